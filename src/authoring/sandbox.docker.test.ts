// The sandbox for real: an unsaved buffer goes through the authoring API, the queue, a worker and the
// Docker runner image, with a file, sandbox settings and a next action; the author then reads the
// payload, stdout, stderr and timing through the run API. Skipped without Docker or the image
// (CI=true makes that a failure), like the other Docker suites.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestJobDeps, dockerAvailability, memoryLogger, waitForRun, type TestJobDeps } from "../execution/test-worker";
import { startWorkers, type WorkerHandle } from "../execution/worker";
import type { Browser } from "../identity/test-app";
import { createAuthoringTestApp, runForm, type AuthoringTestApp } from "./authoring.test-app";

const { skip } = await dockerAvailability("sandbox.docker.test.ts");
const A = "/api/v1/authoring";

const SOURCE = `import json
import os
import sys

from skriptoteket_toolkit import get_action_parts, list_input_files, read_settings


def run_tool(input_dir, output_dir):
    action_id, action_input, state = get_action_parts()
    if action_id is not None:
        return {"outputs": [{"kind": "notice", "level": "info", "message": "steg %d" % (state["steg"] + 1)}], "state": {"steg": state["steg"] + 1}}
    names = []
    for f in list_input_files():
        with open(f["path"], encoding="utf-8") as fh:
            names.extend(line.strip() for line in fh if line.strip())
    print("läste %d namn" % len(names))
    print("en varning", file=sys.stderr)
    sign = read_settings().get("sign", "")
    return {
        "outputs": [{"kind": "markdown", "markdown": "%s: %s" % (sign, ", ".join(names))}],
        "next_actions": [{"action_id": "vidare", "label": "Vidare", "kind": "form", "fields": []}],
        "state": {"steg": 1},
    }
`;

describe.skipIf(skip)("sandbox runs with real Docker", () => {
  let t: AuthoringTestApp;
  let jobDeps: TestJobDeps;
  let workers: WorkerHandle;
  let author: Browser;

  beforeAll(async () => {
    t = await createAuthoringTestApp("sqlite");
    const logs = memoryLogger();
    // The worker reads the uploads from the same blob store the API wrote them to.
    jobDeps = { ...createTestJobDeps(t.store, logs.log, { sandbox_timeout_seconds: 20 }), blobs: t.blobStore };
    workers = startWorkers(jobDeps, { concurrency: 1, owner: `sandbox-test-${crypto.randomUUID().slice(0, 8)}`, pollMs: 100, housekeepingMs: 500 });
    author = await t.as("maintainer");
  });

  afterAll(async () => {
    await workers?.stop({ graceMs: 20_000 });
    jobDeps?.cleanup();
    await t?.close();
  }, 30_000);

  test("buffer → snapshot → queue → runner: payload, stdout, stderr, timing, sandbox settings and a next action", async () => {
    const admin = await t.as("admin");
    const toolId = await t.newTool(admin, "sandlada-docker");
    const buffer = {
      source: SOURCE,
      entrypoint: "run_tool",
      input_schema: [{ kind: "file", name: "elever", label: "Elevlista", accept: [".txt"], min: 1, max: 1 }],
      settings_schema: [{ kind: "string", name: "sign", label: "Signatur" }],
      usage_instructions: "Ladda upp en elevlista.",
    };
    const snap = await author.post(`${A}/tools/${toolId}/sandbox/snapshots`, buffer);
    expect(snap.status).toBe(201);
    const snapshotId = String(snap.body.snapshot_id);
    const settings = await author.call("PUT", `${A}/tools/${toolId}/sandbox/settings`, { snapshot_id: snapshotId, values: { sign: "Sandlåda" }, expected_rev: 0 });
    expect(settings.status).toBe(200);

    const started = await t.postForm(author, `${A}/tools/${toolId}/sandbox/runs`, runForm({}, [{ name: "elever.txt", content: "Ada\nBo\n" }], { snapshot_id: snapshotId }));
    expect(started.status).toBe(202);
    workers.wake();
    const runId = String(started.body.run_id);
    const run = await waitForRun(t.exec.runs, runId);
    expect(run.status).toBe("succeeded");

    const view = await author.get(`/api/v1/runs/${runId}`);
    expect(view.body).toMatchObject({ status: "succeeded", stdout: "läste 2 namn\n", stderr: "en varning\n" });
    const payload = view.body.ui_payload as { outputs: { kind: string; markdown?: string }[]; next_actions: { action_id: string }[] };
    expect(payload.outputs).toEqual([{ kind: "markdown", markdown: "Sandlåda: Ada, Bo" }]);
    expect(payload.next_actions.map((a) => a.action_id)).toEqual(["vidare"]);
    expect(Date.parse(String(view.body.finished_at))).toBeGreaterThanOrEqual(Date.parse(String(view.body.started_at)));

    const action = await author.post(`${A}/tools/${toolId}/sandbox/actions`, { snapshot_id: snapshotId, action_id: "vidare", expected_state_rev: Number(view.body.state_rev) });
    expect(action.status).toBe(202);
    workers.wake();
    const second = await waitForRun(t.exec.runs, String(action.body.run_id));
    expect(second.status).toBe("succeeded");
    expect((second.uiPayload as { outputs: { message?: string }[] }).outputs[0]!.message).toBe("steg 2");
  }, 90_000);
});
