/**
 * The editor's working copies in the browser's IndexedDB, one per (tool, user): autosaved while the
 * author types, offered for restore when the editor opens, removed after a successful save or a
 * discard. IndexedDB (not localStorage) because sources and schemas can be large and writes must not
 * block typing. Failures (private mode, storage full) only lose the autosave, never the editor.
 */
import type { WorkingCopy } from "./editor-buffer.rules";

const DB_NAME = "skriptoteket-authoring";
const STORE = "working-copies";

let opening: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("indexedDB.open failed"));
  }).catch((error: unknown) => {
    opening = null; // try again next time (e.g. after the user freed space)
    throw error;
  });
  return opening;
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise<T>((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB transaction failed"));
    transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
  });
}

export async function loadWorkingCopy(key: string): Promise<WorkingCopy | null> {
  try {
    const found = await run<unknown>("readonly", (store) => store.get(key));
    return isWorkingCopy(found) ? found : null;
  } catch {
    return null;
  }
}

export async function saveWorkingCopy(copy: WorkingCopy): Promise<boolean> {
  try {
    await run("readwrite", (store) => store.put(copy));
    return true;
  } catch {
    return false;
  }
}

export async function deleteWorkingCopy(key: string): Promise<void> {
  try {
    await run("readwrite", (store) => store.delete(key));
  } catch {
    // Nothing to clean up if the store cannot be opened.
  }
}

function isWorkingCopy(value: unknown): value is WorkingCopy {
  if (typeof value !== "object" || value === null) return false;
  const copy = value as Partial<WorkingCopy>;
  const buffer = copy.buffer as Partial<WorkingCopy["buffer"]> | undefined;
  return (
    typeof copy.key === "string" &&
    typeof copy.savedAt === "string" &&
    typeof buffer === "object" &&
    buffer !== null &&
    typeof buffer.source === "string" &&
    typeof buffer.entrypoint === "string" &&
    typeof buffer.inputSchema === "string" &&
    typeof buffer.settingsSchema === "string" &&
    typeof buffer.usageInstructions === "string"
  );
}
