import { expect, test } from "bun:test";
import { createRateLimiter } from "./rate-limit";

test("allows `limit` hits per window and per key, then tells when to retry", () => {
  const rl = createRateLimiter({ limit: 3, windowMs: 60_000 });
  const t0 = 1_000_000;
  expect([1, 2, 3].map(() => rl.hit("ip1", t0).ok)).toEqual([true, true, true]);
  expect(rl.hit("ip1", t0 + 10_000)).toEqual({ ok: false, retryAfterSeconds: 50 });
  expect(rl.hit("ip2", t0 + 10_000).ok).toBe(true);
  expect(rl.hit("ip1", t0 + 60_000).ok).toBe(true);
});
