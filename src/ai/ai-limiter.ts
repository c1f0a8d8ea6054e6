// At most `limit` Ollama requests at once per process: a GPU box serves one or two generations at a
// time, and queueing here keeps the timeout of a request from running while it only waits in
// Ollama's own queue. Waiting callers can give up through their AbortSignal.

export type Limiter = {
  /** Waits for a free slot; the returned function frees it (call it exactly once). */
  acquire(signal?: AbortSignal): Promise<() => void>;
  active(): number;
  waiting(): number;
};

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const queue: { grant: () => void; signal?: AbortSignal }[] = [];

  const release = () => {
    active--;
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (next.signal?.aborted) continue;
      active++;
      next.grant();
      return;
    }
  };
  const releaser = () => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < limit) {
        active++;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const entry = {
          signal,
          grant: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve(releaser());
          },
        };
        const onAbort = () => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(entry);
      });
    },
    active: () => active,
    waiting: () => queue.length,
  };
}
