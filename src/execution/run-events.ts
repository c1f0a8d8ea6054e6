// Server-Sent Events for one run: `queued` {position} (again whenever the position changes),
// `running` {}, `finished` {status}; then the stream ends. Between events a comment line every 5 s
// keeps proxies and load balancers (often 30–60 s idle limits) from closing the connection.
//
// The stream POLLS the store (every `pollMs`, 300 ms by default) rather than listening to the worker:
// the worker may be another process (`skriptoteket worker` on PostgreSQL), and polling one row by
// primary key is cheap. A run that finished before the stream opened gets `finished` at once. An
// optional in-process notifier (createRunNotifier) wakes the loop early when a worker in the same
// process changes a run, which cuts the latency without making correctness depend on it.
//
// Clients: EventSource reconnects when a stream ends, so close it on `finished`; a reconnect after the
// end just gets `finished` again. `position` is 1 for the next run to start; null while the run is
// between being claimed and being marked running.
import type { RunStatus } from "./runs.repository";

export type RunEventSource = {
  getRunStatus(runId: string): Promise<RunStatus | null>;
  /** 1-based place in the queue; null when the run's job is not waiting (any more). */
  position(runId: string): Promise<number | null>;
};

/** Wakes event streams of a run early; optional, see the file header. */
export type RunNotifier = {
  notify(runId: string): void;
  subscribe(runId: string, wake: () => void): () => void;
};

export function createRunNotifier(): RunNotifier {
  const listeners = new Map<string, Set<() => void>>();
  return {
    notify(runId) {
      for (const wake of listeners.get(runId) ?? []) wake();
    },
    subscribe(runId, wake) {
      let set = listeners.get(runId);
      if (!set) listeners.set(runId, (set = new Set()));
      set.add(wake);
      return () => {
        set.delete(wake);
        if (set.size === 0) listeners.delete(runId);
      };
    },
  };
}

export type RunEventOptions = {
  pollMs?: number;
  heartbeatMs?: number;
  notifier?: RunNotifier;
  /** Aborted when the client goes away (the request's signal). */
  signal?: AbortSignal;
  /** Store errors end the stream (the client reconnects); they are reported here. */
  onError?: (error: unknown) => void;
};

export const RUN_EVENT_DEFAULTS = { pollMs: 300, heartbeatMs: 5_000 } as const;

const TERMINAL: ReadonlySet<RunStatus> = new Set(["succeeded", "failed", "timed_out", "cancelled"]);
const encoder = new TextEncoder();

export function formatEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The text/event-stream body for one run (see the file header). */
export function runEventStream(source: RunEventSource, runId: string, opts: RunEventOptions = {}): ReadableStream<Uint8Array> {
  const pollMs = opts.pollMs ?? RUN_EVENT_DEFAULTS.pollMs;
  const heartbeatMs = opts.heartbeatMs ?? RUN_EVENT_DEFAULTS.heartbeatMs;
  let closed = false;
  let wakeNow: (() => void) | null = null;
  const wake = () => wakeNow?.();
  const unsubscribe = opts.notifier?.subscribe(runId, wake);

  /** Resolves after `ms`, or earlier on a notification, an abort or cancel. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeNow = null;
        resolve();
      }
      wakeNow = done;
    });

  const stop = () => {
    closed = true;
    unsubscribe?.();
    wake();
  };
  opts.signal?.addEventListener("abort", stop, { once: true });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let lastWrite = Date.now();
      const write = (text: string) => {
        if (closed) return;
        controller.enqueue(encoder.encode(text));
        lastWrite = Date.now();
      };
      const end = () => {
        if (closed) return;
        stop();
        controller.close();
      };
      const pump = async () => {
        // the browser's reconnect delay after a dropped connection
        write("retry: 2000\n\n");
        let last = "";
        while (!closed) {
          const status = await source.getRunStatus(runId);
          if (closed) return;
          if (!status) return end();
          if (TERMINAL.has(status)) {
            write(formatEvent("finished", { status }));
            return end();
          }
          if (status === "queued") {
            const position = await source.position(runId);
            const key = `queued:${position}`;
            if (key !== last) write(formatEvent("queued", { position }));
            last = key;
          } else if (last !== "running") {
            write(formatEvent("running", {}));
            last = "running";
          }
          if (Date.now() - lastWrite >= heartbeatMs) write(": heartbeat\n\n");
          await pause(Math.min(pollMs, heartbeatMs));
        }
      };
      pump().catch((e: unknown) => {
        opts.onError?.(e);
        end();
      });
    },
    cancel() {
      stop();
    },
  });
}
