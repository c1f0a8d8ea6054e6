// Messages between the PDF text pool and its worker threads.
export type PoolRequest =
  | {
      type: "extract";
      id: number;
      bytes: Uint8Array;
      /** Int32 shared by the document's threads: the last page handed out (Atomics.add) */
      nextPage: SharedArrayBuffer;
      maxPages: number;
    }
  | { type: "cancel"; id: number };

export type PoolReply =
  | { type: "page"; id: number; page: number; text: string }
  | { type: "done"; id: number; totalPages: number }
  | { type: "error"; id: number; page: number | null; message: string };
