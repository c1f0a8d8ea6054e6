import { expect, test } from "bun:test";
import { createLimiter } from "./ai-limiter";

test("at most `limit` holders; waiters are served in order; a waiter can give up", async () => {
  const limiter = createLimiter(2);
  const a = await limiter.acquire();
  const b = await limiter.acquire();
  const order: string[] = [];
  const c = limiter.acquire().then((release) => (order.push("c"), release));
  const controller = new AbortController();
  const d = limiter.acquire(controller.signal);
  const e = limiter.acquire().then((release) => (order.push("e"), release));
  expect({ active: limiter.active(), waiting: limiter.waiting() }).toEqual({ active: 2, waiting: 3 });
  controller.abort(new Error("gave up"));
  expect(d).rejects.toThrow("gave up");
  a();
  a(); // releasing twice frees one slot only
  const releaseC = await c;
  expect(order).toEqual(["c"]);
  expect(limiter.active()).toBe(2);
  b();
  const releaseE = await e;
  expect(order).toEqual(["c", "e"]);
  releaseC();
  releaseE();
  expect({ active: limiter.active(), waiting: limiter.waiting() }).toEqual({ active: 0, waiting: 0 });
});

test("an already aborted signal is refused at once", async () => {
  const limiter = createLimiter(1);
  expect(limiter.acquire(AbortSignal.abort(new Error("no")))).rejects.toThrow("no");
  expect(limiter.active()).toBe(0);
});
