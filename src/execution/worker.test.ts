// The workers end to end: real tool scripts through the real queue, store, Docker driver and runner
// image (skipped locally without Docker or the image; CI=true makes that a failure). Every store kind
// of testStoreKinds() runs the suite. Afterwards no container of these runs may be left.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import type { UiOutput } from "./contract.types";
import { settingsSchemaHash, validateSettingsSchema } from "../tools/settings-schema.rules";
import { createQueueRepository } from "./queue.repository";
import { RUN_TEXT, systemSummary } from "./run-messages";
import { insertTestTool, insertTestUser, queueTestRun, type TestTool } from "./test-runs";
import { CONTRACT_TOOL_SETTINGS, CONTRACT_TOOL_SOURCE, createTestJobDeps, dockerAvailability, memoryLogger, waitForRun, type TestJobDeps } from "./test-worker";
import { startWorkers, type WorkerHandle } from "./worker";

const { skip } = await dockerAvailability("worker.test.ts");
const sha256 = (data: Uint8Array | string) => new Bun.CryptoHasher("sha256").update(data).digest("hex");

for (const kind of testStoreKinds()) {
  describe.skipIf(skip)(`workers with real Docker (${kind})`, () => {
    let store: Store;
    let deps: TestJobDeps;
    let workers: WorkerHandle;
    let tool: TestTool;
    let brokenTool: TestTool;
    let userId: string;
    const logs = memoryLogger();
    const runIds = new Set<string>();

    async function submit(input: Omit<Parameters<typeof queueTestRun>[1], "userId" | "tool" | "blobs"> & { tool?: TestTool }): Promise<string> {
      const id = await queueTestRun(store, { tool, userId, blobs: deps.blobs, ...input });
      runIds.add(id);
      workers.wake();
      return id;
    }

    beforeAll(async () => {
      store = await openTestStore(kind);
      deps = createTestJobDeps(store, logs.log, { sandbox_timeout_seconds: 3, memory_mb: 128 });
      userId = await insertTestUser(store);
      tool = await insertTestTool(store, { source: CONTRACT_TOOL_SOURCE, settingsSchema: CONTRACT_TOOL_SETTINGS });
      brokenTool = await insertTestTool(store, { source: "import os\n\ndef run_tool(input_dir, output_dir):\n    return {'outputs': [}\n" });
      // saved settings: greeting fits the schema; lang no longer does (dropped, so its default applies)
      const schema = validateSettingsSchema(CONTRACT_TOOL_SETTINGS);
      if (!schema.ok || !schema.schema) throw new Error("contract tool settings schema is invalid");
      const saved = await deps.runsRepo.saveSettings({
        userId,
        toolId: tool.toolId,
        schemaHash: settingsSchemaHash(schema.schema),
        scope: "production",
        values: { greeting: "Hej", lang: "fi", gone: 1 },
        expectedRev: 0,
        now: new Date(),
      });
      expect(saved.ok).toBe(true);
      workers = startWorkers(deps, { concurrency: 2, owner: `test-${kind}-${crypto.randomUUID().slice(0, 8)}`, pollMs: 100, housekeepingMs: 200 });
    });

    afterAll(async () => {
      await workers?.stop({ graceMs: 20_000 });
      const left = (await deps.driver.findRunContainers()).filter((c) => runIds.has(c.runId));
      await store?.close();
      deps?.cleanup();
      expect(left).toEqual([]);
    }, 30_000);

    test("every output kind, artifacts with sha256, inputs, input files and settings from memory.json", async () => {
      const id = await submit({ inputs: { mode: "kinds", title: "Åk 9" }, files: [{ name: "elever.csv", data: new TextEncoder().encode("Namn;Poäng\nAda;12\n") }] });
      const run = await waitForRun(deps.runsRepo, id);
      expect(run).toMatchObject({ status: "succeeded", errorSummary: null, exitCode: 0, oomKilled: false, stateRev: null });
      expect(run.stdout).toBe("hello from the tool\n");
      expect(run.stderr).toBe("a warning\n");
      expect(run.durationMs).toBeGreaterThan(0);
      expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());

      const outputs = (run.uiPayload as { outputs: UiOutput[] }).outputs;
      expect(outputs.map((o) => o.kind)).toEqual(["notice", "markdown", "table", "json", "html_sandboxed", "vega_lite"]);
      expect(outputs[2]).toEqual({
        kind: "table",
        title: "Elever",
        columns: [
          { key: "namn", label: "Namn" },
          { key: "poang", label: "Poäng" },
        ],
        rows: [
          { namn: "Ada", poang: 12 },
          { namn: "Bo", poang: 9.5 },
        ],
      });
      const echoed = (outputs[3] as { value: Record<string, unknown> }).value;
      expect(echoed.inputs).toEqual({ mode: "kinds", title: "Åk 9" });
      expect(echoed.files).toEqual([{ bytes: 19, name: "elever.csv", path: "/work/input/elever.csv" }]); // "ä" is two bytes
      expect(echoed.contents).toEqual({ "elever.csv": "Namn;Poäng\nAda;12\n" });
      expect(echoed.settings).toEqual({ greeting: "Hej", lang: "sv" });
      expect(echoed.memory).toEqual({ settings: { greeting: "Hej", lang: "sv" } });
      expect(echoed.env).toEqual({ HOME: "/tmp/home", SKRIPTOTEKET_ACTION: null, SKRIPTOTEKET_ENTRYPOINT: "run_tool", SKRIPTOTEKET_MEMORY_PATH: "/work/memory.json", XDG_CACHE_HOME: "/tmp/home/.cache" });

      const artifacts = await deps.runsRepo.listArtifacts(id);
      expect(artifacts.map((a) => [a.path, a.bytes])).toEqual([
        ["output/rapport.txt", "Rapport för Åk 9\n".length + 2],
        ["output/sub/data.bin", 1024],
      ]);
      const report = await (await deps.blobs.get(artifacts[0]!.storageKey))!.text();
      expect(report).toBe("Rapport för Åk 9\n");
      expect(artifacts[0]!.sha256).toBe(sha256(report));
      expect(artifacts[1]!.storageKey).toBe(`runs/${id}/artifacts/${artifacts[1]!.id}`);
      const bin = new Uint8Array(await (await deps.blobs.get(artifacts[1]!.storageKey))!.arrayBuffer());
      expect(artifacts[1]!.sha256).toBe(sha256(bin));

      const line = logs.records("run finished").find((r) => r.run_id === id);
      expect(line).toMatchObject({ tool: tool.slug, tool_version_id: tool.versionId, version: 1, user_id: userId, outcome: "succeeded", kind: "production" });
      expect(typeof line?.duration_ms).toBe("number");
    }, 30_000);

    test("a two-step action flow keeps state with revisions", async () => {
      const context = `ctx-${crypto.randomUUID().slice(0, 8)}`;
      const first = await waitForRun(deps.runsRepo, await submit({ inputs: { mode: "steps" }, context }));
      expect(first).toMatchObject({ status: "succeeded", stateRev: 1 });
      const payload = first.uiPayload as { next_actions: { action_id: string; prefill?: unknown }[] };
      expect(payload.next_actions.map((a) => [a.action_id, a.prefill])).toEqual([["add", { n: 1 }]]);
      const s1 = await deps.runsRepo.getToolState(userId, tool.toolId, context);
      expect(s1).toMatchObject({ state: { count: 0 }, rev: 1 });

      const second = await waitForRun(deps.runsRepo, await submit({ context, action: { action_id: "add", input: { n: 2 }, state: s1!.state } }));
      expect(second).toMatchObject({ status: "succeeded", stateRev: 2 });
      expect((second.uiPayload as { outputs: UiOutput[] }).outputs).toEqual([{ kind: "notice", level: "info", message: "count=2" }]);
      const s2 = await deps.runsRepo.getToolState(userId, tool.toolId, context);
      expect(s2).toMatchObject({ state: { count: 2, history: [2] }, rev: 2 });

      const third = await waitForRun(deps.runsRepo, await submit({ context, action: { action_id: "add", input: { n: 5 }, state: s2!.state } }));
      expect(third.stateRev).toBe(3);
      expect(await deps.runsRepo.getToolState(userId, tool.toolId, context)).toMatchObject({ state: { count: 7, history: [2, 7] }, rev: 3 });
    }, 30_000);

    test("ToolUserError, an uncaught exception and a syntax error fail with their messages", async () => {
      const [user, crash, syntax] = await Promise.all([
        submit({ inputs: { mode: "user" } }).then((id) => waitForRun(deps.runsRepo, id)),
        submit({ inputs: { mode: "crash" } }).then((id) => waitForRun(deps.runsRepo, id)),
        submit({ tool: brokenTool }).then((id) => waitForRun(deps.runsRepo, id)),
      ]);
      expect(user).toMatchObject({ status: "failed", errorSummary: "Filen saknar kolumnen 'Namn'." });
      expect(crash).toMatchObject({ status: "failed", errorSummary: "Tool execution failed (ZeroDivisionError)." });
      expect(crash.stderr).toContain("ZeroDivisionError: division by zero");
      expect(syntax.status).toBe("failed");
      expect(syntax.errorSummary).toBe(
        "SyntaxError on line 4, column 25: closing parenthesis '}' does not match opening parenthesis '['\n" +
          "Syntaxfel (SyntaxError) på rad 4, kolumn 25: closing parenthesis '}' does not match opening parenthesis '['\n" +
          "    return {'outputs': [}\n" +
          "                        ^",
      );
    }, 30_000);

    test("the deadline gives timed_out; too much memory fails with a clear message", async () => {
      const [slow, hog] = await Promise.all([
        submit({ kind: "sandbox", inputs: { mode: "sleep", seconds: 30 } }).then((id) => waitForRun(deps.runsRepo, id)),
        submit({ inputs: { mode: "oom" } }).then((id) => waitForRun(deps.runsRepo, id)),
      ]);
      expect(slow).toMatchObject({ status: "timed_out", errorSummary: systemSummary(RUN_TEXT.timedOut(3)), exitCode: 137 });
      expect(slow.stdout).toBe("sleeping\n");
      expect(hog).toMatchObject({ status: "failed", errorSummary: systemSummary(RUN_TEXT.outOfMemory(128)), oomKilled: true, exitCode: 137 });
    }, 30_000);

    test("cancel: a queued run never starts; running runs stop by heartbeat and by abortLocal", async () => {
      const queue = createQueueRepository(store);
      const a = await submit({ inputs: { mode: "sleep", seconds: 30 } });
      const b = await submit({ inputs: { mode: "sleep", seconds: 30 } });
      // both slots busy (the container's output says the script runs), so the third waits in the queue
      await waitForRun(deps.runsRepo, a, { until: (r) => r.status === "running" && r.containerId !== null });
      await waitForRun(deps.runsRepo, b, { until: (r) => r.status === "running" && r.containerId !== null });
      const c = await submit({ inputs: { mode: "noop" } });
      expect(await queue.queuePosition(c)).toBe(1);
      expect(await queue.requestCancel({ runId: c, now: new Date(), message: systemSummary(RUN_TEXT.cancelled) })).toBe("cancelled");

      const t0 = Date.now();
      expect(await queue.requestCancel({ runId: a, now: new Date(), message: "" })).toBe("requested");
      expect(await queue.requestCancel({ runId: b, now: new Date(), message: "" })).toBe("requested");
      expect(workers.abortLocal(b)).toBe(true);
      const [ra, rb] = await Promise.all([waitForRun(deps.runsRepo, a), waitForRun(deps.runsRepo, b)]);
      expect(Date.now() - t0).toBeLessThan(10_000);
      for (const r of [ra, rb]) expect(r).toMatchObject({ status: "cancelled", errorSummary: systemSummary(RUN_TEXT.cancelled), uiPayload: null });
      const rc = await deps.runsRepo.getRun(c);
      expect(rc).toMatchObject({ status: "cancelled", startedAt: null });
      expect(workers.abortLocal(c)).toBe(false);
    }, 30_000);

    test("an expired lease of a dead worker is reaped and the run is retried", async () => {
      const queue = createQueueRepository(store);
      // hold the worker pool back so the "dead" owner claims the run, not them
      await workers.stop();
      const id = await submit({ inputs: { mode: "noop" } });
      const ghost = await queue.claim({ owner: `elsewhere-${hostname()}/1/dead`, leaseMs: 1, now: new Date() });
      expect(ghost?.runId).toBe(id);
      workers = startWorkers(deps, { concurrency: 2, owner: `test-${kind}-${crypto.randomUUID().slice(0, 8)}`, pollMs: 100, housekeepingMs: 200 });
      const run = await waitForRun(deps.runsRepo, id);
      expect(run.status).toBe("succeeded");
      expect(logs.records("worker: reaped an expired lease").some((r) => r.run_id === id && r.outcome === "requeued")).toBe(true);
      const line = logs.records("run finished").find((r) => r.run_id === id);
      expect(line?.attempt).toBe(2);
    }, 30_000);

    test("two worker pools on one store run every job exactly once", async () => {
      const other = startWorkers(deps, { concurrency: 2, owner: `test-${kind}-other-${crypto.randomUUID().slice(0, 8)}`, pollMs: 50, housekeepingMs: 200 });
      try {
        const ids = await Promise.all(Array.from({ length: 12 }, () => submit({ inputs: { mode: "noop" } })));
        other.wake();
        const done = await Promise.all(ids.map((id) => waitForRun(deps.runsRepo, id)));
        expect(done.every((r) => r.status === "succeeded")).toBe(true);
        const finishedLines = logs.records("run finished").filter((r) => ids.includes(String(r.run_id)));
        expect(finishedLines.length).toBe(12);
        expect(new Set(finishedLines.map((r) => r.run_id)).size).toBe(12);
      } finally {
        await other.stop();
      }
    }, 30_000);
  });
}
