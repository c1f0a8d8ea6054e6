// Webhooks end to end on both stores against a real HTTP receiver on 127.0.0.1: a run submitted with
// a key that has a webhook is announced once it finishes, signed; failures are retried with backoff
// from the database, so a new process (after a crash) picks them up.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { testStoreKinds } from "../store/test-db";
import { runForm } from "../execution/runs.test-app";
import { createAccessTestApp, type AccessTestApp } from "./access.test-app";
import { createAccessDeps } from "./access.deps";
import { enqueueFinishedRuns, sendDueDeliveries } from "./webhooks.service";

type Received = { headers: Headers; body: string };

for (const kind of testStoreKinds()) {
  describe(`webhooks on ${kind}`, () => {
    let t: AccessTestApp;
    let server: ReturnType<typeof Bun.serve>;
    const received: Received[] = [];
    /** Statuses the receiver answers with, in order; 204 once they run out. */
    const answers: number[] = [];
    beforeAll(async () => {
      server = Bun.serve({
        hostname: "127.0.0.1",
        port: 0,
        async fetch(req) {
          received.push({ headers: req.headers, body: await req.text() });
          return new Response(null, { status: answers.shift() ?? 204 });
        },
      });
      t = await createAccessTestApp(kind);
      await t.addTool("hook-tool");
    });
    afterAll(async () => {
      await server?.stop(true);
      await t?.close();
    });

    async function submit(secret: string): Promise<string> {
      const res = await t.raw("/api/v1/tools/hook-tool/run", { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: runForm({}) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { run_id: string }).run_id;
    }
    async function deliveries(keyId: string) {
      const b = await t.loggedIn("user");
      return (await b.get(`/api/v1/access/keys/${keyId}/deliveries`)).body.deliveries as { run_id: string; status: string; attempts: number; last_status_code: number | null; last_error: string | null }[];
    }

    test("a finished run is delivered once, signed with the key's webhook secret", async () => {
      received.length = 0;
      const b = await t.loggedIn("user");
      const created = await b.post("/api/v1/access/keys", { label: "Hook", scopes: ["runs:write"], webhook_url: `http://127.0.0.1:${server.port}/hook` });
      const secret = created.body.secret as string;
      const webhookSecret = created.body.webhook_secret as string;
      expect(webhookSecret).toMatch(/^whsec_/);
      const keyId = (created.body.key as { id: string }).id;
      const runId = await submit(secret);

      // not finished yet: nothing to send
      expect(await enqueueFinishedRuns(t.access)).toBe(0);
      await t.finishRun(runId, "succeeded");
      expect(await enqueueFinishedRuns(t.access)).toBe(1);
      expect(await enqueueFinishedRuns(t.access)).toBe(0);
      expect(await sendDueDeliveries(t.access)).toBe(1);
      expect(await sendDueDeliveries(t.access)).toBe(0);

      expect(received).toHaveLength(1);
      const [hit] = received;
      const body = JSON.parse(hit!.body) as Record<string, unknown>;
      expect(body).toMatchObject({ event: "run.finished", run_id: runId, tool_slug: "hook-tool", status: "succeeded" });
      expect(hit!.headers.get("x-skriptoteket-event")).toBe("run.finished");
      expect(hit!.headers.get("x-skriptoteket-delivery")).toBe(body.delivery_id as string);
      const ts = hit!.headers.get("x-skriptoteket-timestamp")!;
      const expected = createHmac("sha256", webhookSecret).update(`${ts}.${hit!.body}`).digest("hex");
      expect(hit!.headers.get("x-skriptoteket-signature")).toBe(`sha256=${expected}`);

      expect(await deliveries(keyId)).toEqual([expect.objectContaining({ run_id: runId, status: "delivered", attempts: 1, last_status_code: 204 })]);
    });

    test("failures are retried with backoff and survive a new process", async () => {
      received.length = 0;
      answers.push(500);
      const k = await t.key("user", ["runs:write"], { webhookUrl: `http://127.0.0.1:${server.port}/flaky` });
      const runId = await submit(k.secret);
      await t.finishRun(runId, "failed");
      await enqueueFinishedRuns(t.access);
      await sendDueDeliveries(t.access);
      expect(received).toHaveLength(1);
      expect(await deliveries(k.key.id)).toEqual([expect.objectContaining({ status: "pending", attempts: 1, last_status_code: 500, last_error: "HTTP 500" })]);
      // not due yet
      expect(await sendDueDeliveries(t.access)).toBe(0);

      // "restart": fresh deps over the same store, clock past the first backoff (30 s)
      t.advance(1);
      const restarted = createAccessDeps({ store: t.store, config: t.config, log: t.access.log, now: t.now });
      expect(await sendDueDeliveries(restarted)).toBe(1);
      expect(received).toHaveLength(2);
      expect(JSON.parse(received[1]!.body).delivery_id).toBe(JSON.parse(received[0]!.body).delivery_id);
      expect(await deliveries(k.key.id)).toEqual([expect.objectContaining({ status: "delivered", attempts: 2, last_status_code: 204 })]);
    });

    test("an unreachable receiver is retried and finally marked failed", async () => {
      const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(null) });
      const deadUrl = `http://127.0.0.1:${closed.port}/gone`;
      await closed.stop(true);
      const k = await t.key("user", ["runs:write"], { webhookUrl: deadUrl });
      const runId = await submit(k.secret);
      await t.finishRun(runId, "succeeded");
      await enqueueFinishedRuns(t.access);
      for (let i = 0; i < 10; i++) {
        await sendDueDeliveries(t.access);
        t.advance(200);
      }
      const [d] = await deliveries(k.key.id);
      expect(d).toMatchObject({ status: "failed", attempts: 7, last_status_code: null });
      expect(d!.last_error).toBeTruthy();
    });

    test("keys without a webhook, and revoked keys, send nothing", async () => {
      received.length = 0;
      const plain = await t.key("user", ["runs:write"]);
      await t.finishRun(await submit(plain.secret), "succeeded");
      const hooked = await t.key("user", ["runs:write"], { webhookUrl: `http://127.0.0.1:${server.port}/x` });
      const runId = await submit(hooked.secret);
      const b = await t.loggedIn("user");
      await b.call("DELETE", `/api/v1/access/keys/${hooked.key.id}`, undefined);
      await t.finishRun(runId, "succeeded");
      expect(await enqueueFinishedRuns(t.access)).toBe(0);
      await sendDueDeliveries(t.access);
      expect(received).toHaveLength(0);
    });
  });
}
