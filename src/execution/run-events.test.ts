// Run event streams: the stream logic against a scripted source, and the real thing over HTTP (a
// listening server, fetch() reading the body as it arrives) with the worker simulated by row updates.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "../identity/test-app";
import { createRunNotifier, runEventStream, type RunEventSource } from "./run-events";
import type { RunStatus } from "./runs.repository";
import { createRunsTestApp, runForm, type RunsTestApp } from "./runs.test-app";

type SseEvent = { event: string; data: unknown } | { comment: string };

/** Reads server-sent events from a body as they arrive. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  const pending: SseEvent[] = [];
  async function fill(): Promise<void> {
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const lines = block.split("\n");
      if (lines.every((l) => l.startsWith("retry:"))) continue;
      if (lines[0]!.startsWith(":")) pending.push({ comment: lines[0]!.slice(1).trim() });
      else {
        const event = lines.find((l) => l.startsWith("event: "))!.slice(7);
        const data = JSON.parse(lines.find((l) => l.startsWith("data: "))!.slice(6)) as unknown;
        pending.push({ event, data });
      }
    }
  }
  return {
    /** The next event or comment; null once the stream has ended. Fails after `ms`. */
    async next(ms = 3_000): Promise<SseEvent | null> {
      const deadline = Date.now() + ms;
      while (pending.length === 0 && !ended) {
        if (Date.now() > deadline) throw new Error("no event in time");
        await Promise.race([fill(), Bun.sleep(Math.max(1, deadline - Date.now()))]);
      }
      return pending.shift() ?? null;
    },
    /** The next real event, skipping heartbeat comments. */
    async nextEvent(ms = 3_000): Promise<{ event: string; data: unknown } | null> {
      for (;;) {
        const e = await this.next(ms);
        if (e === null || "event" in e) return e;
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe("runEventStream against a scripted source", () => {
  function scripted(statuses: RunStatus[], positions: (number | null)[] = []) {
    let i = 0;
    let calls = 0;
    const source: RunEventSource = {
      async getRunStatus() {
        calls++;
        return statuses[Math.min(i, statuses.length - 1)]!;
      },
      async position() {
        return positions[Math.min(i, positions.length - 1)] ?? null;
      },
    };
    return { source, step: () => i++, calls: () => calls };
  }

  test("queued (again only when the position changes) → running → finished, then the stream ends", async () => {
    const s = scripted(["queued", "queued", "queued", "running", "running", "succeeded"], [3, 3, 1]);
    const stream = runEventStream(
      {
        getRunStatus: async (id) => {
          const r = await s.source.getRunStatus(id);
          s.step();
          return r;
        },
        position: s.source.position,
      },
      "r1",
      { pollMs: 1 },
    );
    const sse = sseReader(stream);
    // position is read after getRunStatus moved the script on, so the first poll sees index 1
    expect(await sse.nextEvent()).toEqual({ event: "queued", data: { position: 3 } });
    expect(await sse.nextEvent()).toEqual({ event: "queued", data: { position: 1 } });
    expect(await sse.nextEvent()).toEqual({ event: "running", data: {} });
    expect(await sse.nextEvent()).toEqual({ event: "finished", data: { status: "succeeded" } });
    expect(await sse.next()).toBeNull();
  });

  test("a finished run gets `finished` at once", async () => {
    const sse = sseReader(runEventStream(scripted(["timed_out"]).source, "r", { pollMs: 10_000 }));
    expect(await sse.nextEvent(500)).toEqual({ event: "finished", data: { status: "timed_out" } });
    expect(await sse.next(500)).toBeNull();
  });

  test("heartbeat comments while nothing changes", async () => {
    const sse = sseReader(runEventStream(scripted(["running"]).source, "r", { pollMs: 5, heartbeatMs: 20 }));
    expect(await sse.next()).toEqual({ event: "running", data: {} });
    expect(await sse.next()).toEqual({ comment: "heartbeat" });
    await sse.cancel();
  });

  test("cancelling the stream (client gone) stops the polling", async () => {
    const s = scripted(["queued"], [1]);
    const sse = sseReader(runEventStream(s.source, "r", { pollMs: 5 }));
    await sse.nextEvent();
    await sse.cancel();
    await Bun.sleep(20);
    const after = s.calls();
    await Bun.sleep(60);
    expect(s.calls()).toBe(after);
  });

  test("an aborted request signal stops the polling too", async () => {
    const s = scripted(["running"]);
    const abort = new AbortController();
    const sse = sseReader(runEventStream(s.source, "r", { pollMs: 5, signal: abort.signal }));
    await sse.nextEvent();
    abort.abort();
    await Bun.sleep(20);
    const after = s.calls();
    await Bun.sleep(60);
    expect(s.calls()).toBe(after);
  });

  test("a notification wakes the stream before the next poll", async () => {
    let status: RunStatus = "running";
    const notifier = createRunNotifier();
    const sse = sseReader(runEventStream({ getRunStatus: async () => status, position: async () => null }, "r7", { pollMs: 60_000, notifier }));
    expect(await sse.nextEvent()).toEqual({ event: "running", data: {} });
    status = "failed";
    const t0 = performance.now();
    notifier.notify("r7");
    expect(await sse.nextEvent(1_000)).toEqual({ event: "finished", data: { status: "failed" } });
    expect(performance.now() - t0).toBeLessThan(500);
  });

  test("a store error ends the stream and is reported", async () => {
    const errors: unknown[] = [];
    const source: RunEventSource = { getRunStatus: async () => Promise.reject(new Error("db down")), position: async () => null };
    const sse = sseReader(runEventStream(source, "r", { onError: (e) => errors.push(e) }));
    expect(await sse.next()).toBeNull();
    expect(errors).toHaveLength(1);
  });
});

describe("GET /runs/{id}/events over a real connection", () => {
  let t: RunsTestApp;
  let base = "";
  let user: Browser;
  let other: Browser;

  beforeAll(async () => {
    t = await createRunsTestApp("sqlite", { pollMs: 20 });
    await t.addTool({ slug: "hej" });
    [user, other] = await Promise.all([t.as("user"), t.as("admin")]);
    t.app.listen({ hostname: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${t.app.server!.port}`;
  });
  afterAll(async () => {
    await t?.app.stop(true);
    await t?.close();
  });

  const cookie = (b: Browser) => [...b.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const open = (b: Browser, runId: string, signal?: AbortSignal) => fetch(`${base}/api/v1/runs/${runId}/events`, { headers: { cookie: cookie(b) }, signal });
  async function submit(): Promise<string> {
    const res = await t.postForm(user, "/api/v1/tools/hej/run", runForm({}));
    expect(res.status).toBe(202);
    return res.body.run_id as string;
  }

  test("queued with its position, the position moving up, running, finished; then the stream ends", async () => {
    const first = await submit();
    const second = await submit();
    const res = await open(user, second);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    const sse = sseReader(res.body!);
    expect(await sse.nextEvent()).toEqual({ event: "queued", data: { position: 2 } });
    // the run ahead goes away
    expect((await user.post(`/api/v1/runs/${first}/cancel`)).body).toEqual({ status: "cancelled" });
    expect(await sse.nextEvent()).toEqual({ event: "queued", data: { position: 1 } });
    await t.startRun(second);
    expect(await sse.nextEvent()).toEqual({ event: "running", data: {} });
    await t.finishRun(second, { status: "succeeded" });
    expect(await sse.nextEvent()).toEqual({ event: "finished", data: { status: "succeeded" } });
    expect(await sse.next()).toBeNull();
  });

  test("a run that finished before the stream opened: finished at once", async () => {
    const runId = await submit();
    await t.finishRun(runId, { status: "failed", errorSummary: "nej" });
    const sse = sseReader((await open(user, runId)).body!);
    expect(await sse.nextEvent()).toEqual({ event: "finished", data: { status: "failed" } });
    expect(await sse.next()).toBeNull();
  });

  test("another user's run is 404 JSON, anonymous is 401 — no stream opens", async () => {
    const runId = await submit();
    const res = await open(other, runId);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("runs.not_found");
    const anon = await fetch(`${base}/api/v1/runs/${runId}/events`);
    expect(anon.status).toBe(401);
    await user.post(`/api/v1/runs/${runId}/cancel`);
  });

  test("a client that goes away stops its stream's polling", async () => {
    const runId = await submit();
    const abort = new AbortController();
    const sse = sseReader((await open(user, runId, abort.signal)).body!);
    expect(await sse.nextEvent()).toMatchObject({ event: "queued" });
    let calls = 0;
    const getRunStatus = t.exec.runs.getRunStatus;
    t.exec.runs.getRunStatus = async (id) => {
      if (id === runId) calls++;
      return getRunStatus(id);
    };
    try {
      await Bun.sleep(100);
      expect(calls).toBeGreaterThan(0);
      abort.abort();
      await Bun.sleep(100);
      const after = calls;
      await Bun.sleep(150);
      expect(calls).toBe(after);
    } finally {
      t.exec.runs.getRunStatus = getRunStatus;
      await user.post(`/api/v1/runs/${runId}/cancel`);
    }
  });
});
