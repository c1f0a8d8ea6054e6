// In-memory fixed-window limiter per key (client IP). Enough for one node; the counter resets when
// the window ends, and stale keys are swept so memory stays bounded under a flood of addresses.
export type RateLimiter = { hit(key: string, now?: number): { ok: true } | { ok: false; retryAfterSeconds: number } };

export function createRateLimiter({ limit, windowMs = 60_000, maxKeys = 100_000 }: { limit: number; windowMs?: number; maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const sweep = (now: number) => {
    for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
  };
  return {
    hit(key, now = Date.now()) {
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        if (windows.size >= maxKeys) sweep(now);
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      if (w.count > limit) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) };
      return { ok: true };
    },
  };
}
