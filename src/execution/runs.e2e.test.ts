// End to end on SQLite (PostgreSQL with SKRIPTOTEKET_TEST_STORE=postgres): the HTTP API, the real
// in-process worker and Docker with the runner image.
// Submit with a file → follow the events → read the payload and download the artifact → continue
// with an action → a stale action is refused → cancel a running run. Skipped (with a note) when Docker
// or the runner image is not available on this machine.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "../identity/test-app";
import { processTestStoreKind } from "../store/test-db";
import { startRunWorkers } from "./run-workers";
import type { WorkerHandle } from "./worker";
import { createRunsTestApp, runForm, type RunsTestApp } from "./runs.test-app";

const IMAGE = "skriptoteket-runner:latest";
const dockerReady = Bun.spawnSync(["docker", "image", "inspect", IMAGE], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
if (!dockerReady) console.warn(`runs.e2e.test.ts: skipped, Docker or the image ${IMAGE} is not available`);

const SOURCE = `
import os, time
from skriptoteket_toolkit import read_inputs, list_input_files, get_action_parts, read_settings

ACTIONS = [{"action_id": "lagg_till", "label": "Lägg till", "kind": "form",
            "fields": [{"kind": "string", "name": "namn", "label": "Namn", "required": True}]}]

def run_tool(input_dir, output_dir):
    action_id, action_input, state = get_action_parts()
    if action_id is not None:
        names = list(state.get("namn", [])) + [action_input["namn"]]
        return {"outputs": [{"kind": "markdown", "markdown": ", ".join(names)}], "next_actions": ACTIONS, "state": {"namn": names}}
    inputs = read_inputs()
    if inputs.get("title") == "sov":
        time.sleep(120)
    rows = []
    for f in list_input_files():
        with open(f["path"], encoding="utf-8") as fh:
            rows.append({"fil": f["name"], "rader": len(fh.read().splitlines())})
    with open(os.path.join(output_dir, "rapport.txt"), "w", encoding="utf-8") as out:
        out.write("Rapport: " + inputs["title"])
    return {
        "outputs": [
            {"kind": "markdown", "markdown": "# " + inputs["title"]},
            {"kind": "table", "columns": [{"key": "fil", "label": "Fil"}, {"key": "rader", "label": "Rader"}], "rows": rows},
            {"kind": "json", "value": {"sprak": read_settings().get("sprak")}},
        ],
        "next_actions": ACTIONS,
        "state": {"namn": []},
    }
`;

const TERMINAL = ["succeeded", "failed", "timed_out", "cancelled"];

const storeKind = processTestStoreKind();

describe.skipIf(!dockerReady)(`a run end to end with the real worker and Docker (${storeKind})`, () => {
  let t: RunsTestApp;
  let worker: WorkerHandle;
  let user: Browser;
  let base = "";

  beforeAll(async () => {
    t = await createRunsTestApp(storeKind, { pollMs: 100 });
    await t.addTool({
      slug: "e2e",
      source: SOURCE,
      inputSchema: [
        { kind: "string", name: "title", label: "Titel", required: true },
        { kind: "file", name: "filer", label: "Filer", accept: [".csv"], min: 0, max: 2 },
      ],
      settingsSchema: [{ kind: "enum", name: "sprak", label: "Språk", options: [{ value: "sv", label: "Svenska" }, { value: "en", label: "Engelska" }], default: "sv" }],
    });
    // the workers exactly as `skriptoteket serve` starts them, over the test app's store and data_dir
    t.config.runner.image = IMAGE;
    worker = startRunWorkers({ config: t.config, store: t.store, log: t.deps.log, concurrency: 2 });
    // wired as the composition root does
    t.exec.notifyQueued = () => worker.wake();
    t.exec.abortLocal = (runId) => worker.abortLocal(runId);
    user = await t.as("user");
    t.app.listen({ hostname: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${t.app.server!.port}`;
  });
  afterAll(async () => {
    await worker?.stop({ graceMs: 10_000 });
    await t?.app.stop(true);
    await t?.close();
  });

  async function waitFinished(runId: string, ms = 60_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const res = await user.get(`/api/v1/runs/${runId}`);
      if (TERMINAL.includes(res.body.status as string)) return res.body;
      if (Date.now() > deadline) throw new Error(`run ${runId} still ${String(res.body.status)}`);
      await Bun.sleep(100);
    }
  }

  /** All events of a run's stream until it ends. */
  async function followEvents(runId: string): Promise<{ event: string; data: unknown }[]> {
    const cookie = [...user.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(`${base}/api/v1/runs/${runId}/events`, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    return text
      .split("\n\n")
      .filter((block) => block.startsWith("event: "))
      .map((block) => {
        const [event, data] = block.split("\n");
        return { event: event!.slice(7), data: JSON.parse(data!.slice(6)) as unknown };
      });
  }

  test(
    "submit with a file and saved settings → events → payload, artifact, state; then an action continues the state",
    async () => {
      expect((await user.call("PUT", "/api/v1/tools/e2e/settings", { values: { sprak: "en" }, expected_rev: 0 })).status).toBe(200);

      const submitted = await t.postForm(user, "/api/v1/tools/e2e/run", runForm({ title: "Åk 9" }, [{ name: "elever.csv", content: "namn;betyg\nAnna;A\nBo;C\n" }]));
      expect(submitted.status).toBe(202);
      const runId = submitted.body.run_id as string;

      const events = await followEvents(runId);
      expect(events.at(-1)).toEqual({ event: "finished", data: { status: "succeeded" } });
      // whatever was seen before (a fast worker may claim the run before the stream opens) came in order
      const order = events.map((e) => e.event);
      expect(order.filter((e) => e === "running").length).toBeLessThanOrEqual(1);
      expect(order.lastIndexOf("queued")).toBeLessThan(Math.max(order.indexOf("running"), order.indexOf("finished")));

      const run = await waitFinished(runId);
      expect(run).toMatchObject({ status: "succeeded", error_summary: null, state_rev: 1 });
      const payload = run.ui_payload as { outputs: Record<string, unknown>[]; next_actions: { action_id: string }[] };
      expect(payload.outputs).toEqual([
        { kind: "markdown", markdown: "# Åk 9" },
        { kind: "table", columns: [{ key: "fil", label: "Fil" }, { key: "rader", label: "Rader" }], rows: [{ fil: "elever.csv", rader: 3 }] },
        { kind: "json", value: { sprak: "en" } },
      ]);
      expect(payload.next_actions.map((a) => a.action_id)).toEqual(["lagg_till"]);

      const artifacts = run.artifacts as { path: string; download_url: string }[];
      expect(artifacts.map((a) => a.path)).toEqual(["output/rapport.txt"]);
      const download = await t.raw(user, artifacts[0]!.download_url);
      expect(download.headers.get("content-disposition")).toContain("attachment;");
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await download.text()).toBe("Rapport: Åk 9");

      const action = await user.post("/api/v1/tools/e2e/actions", { action_id: "lagg_till", input: { namn: "Cecilia" }, expected_state_rev: 1 });
      expect(action.status).toBe(202);
      const continued = await waitFinished(action.body.run_id as string);
      expect(continued).toMatchObject({ status: "succeeded", state_rev: 2 });
      expect((continued.ui_payload as { outputs: unknown[] }).outputs).toEqual([{ kind: "markdown", markdown: "Cecilia" }]);

      const stale = await user.post("/api/v1/tools/e2e/actions", { action_id: "lagg_till", input: { namn: "Dan" }, expected_state_rev: 1 });
      expect(stale.status).toBe(409);
      expect((stale.body.error as { code: string }).code).toBe("runs.state_conflict");
    },
    120_000,
  );

  test(
    "cancelling a running run stops its container; the run ends cancelled",
    async () => {
      const submitted = await t.postForm(user, "/api/v1/tools/e2e/run", runForm({ title: "sov" }));
      const runId = submitted.body.run_id as string;
      const deadline = Date.now() + 30_000;
      while ((await user.get(`/api/v1/runs/${runId}`)).body.status !== "running") {
        if (Date.now() > deadline) throw new Error("the run never started");
        await Bun.sleep(100);
      }
      // give the container time to start the script, so the cancel really kills a process
      await Bun.sleep(1_500);
      const t0 = Date.now();
      const cancel = await user.post(`/api/v1/runs/${runId}/cancel`);
      expect(cancel.status).toBe(202);
      expect(cancel.body).toEqual({ status: "running" });
      const run = await waitFinished(runId, 30_000);
      expect(run.status).toBe("cancelled");
      // abortLocal kills at once; waiting for the next heartbeat would also do, but slower
      expect(Date.now() - t0).toBeLessThan(15_000);
    },
    60_000,
  );
});
