// HTTP scenarios of session files: the input files of a user's latest form run of a tool in a
// context, reused on request ("reuse"), forgotten on request ("clear"), and given to action runs
// continuing that context. The worker is simulated by writing rows (runs.test-app.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import type { Browser } from "../identity/test-app";
import { createRunsTestApp, runForm, type RunsTestApp } from "./runs.test-app";

const A_CSV = "namn;betyg\nAnna;A\n";
const B_CSV = "namn;betyg\nBo;C\nCilla;B\n";

type ErrorJson = { error: { code: string; details: { path: string }[] | null } };
type SessionFilesJson = { files: { name: string; bytes: number }[]; run_id: string | null };

const NEXT_ACTIONS = [{ action_id: "klar", label: "Klar", kind: "form", fields: [] }];

for (const kind of testStoreKinds()) {
  describe(`session files on ${kind}`, () => {
    let t: RunsTestApp;
    let user: Browser;
    let other: Browser;

    beforeAll(async () => {
      t = await createRunsTestApp(kind);
      // file field: 1..2 .csv files, so a run without any file is refused unless session files are reused
      await t.addTool({ slug: "listor", inputSchema: [{ kind: "file", name: "elever", label: "Elevlista", accept: [".csv"], min: 1, max: 2 }] });
      await t.addTool({ slug: "valfri", inputSchema: [{ kind: "file", name: "elever", label: "Elevlista", accept: [".csv"], min: 0, max: 2 }] });
      [user, other] = await Promise.all([t.as("user"), t.as("superuser")]);
    });
    afterAll(async () => t?.close());

    async function submit(b: Browser, slug: string, files: { name: string; content: string }[], extra: Record<string, string> = {}) {
      return t.postForm(b, `/api/v1/tools/${slug}/run`, runForm({}, files, extra));
    }
    async function submitOk(b: Browser, slug: string, files: { name: string; content: string }[], extra: Record<string, string> = {}): Promise<string> {
      const res = await submit(b, slug, files, extra);
      expect(res.status).toBe(202);
      return res.body.run_id as string;
    }
    async function sessionFiles(b: Browser, slug: string, context: string): Promise<SessionFilesJson> {
      const res = await b.get(`/api/v1/tools/${slug}/session-files?context=${context}`);
      expect(res.status).toBe(200);
      return res.body as unknown as SessionFilesJson;
    }
    /** name → text of the run's stored input files, and checks each blob lives under the run's own prefix. */
    async function inputsOf(runId: string): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const f of await t.exec.runs.listRunFiles(runId)) {
        expect(f.storageKey.startsWith(`runs/${runId}/inputs/`)).toBe(true);
        out[f.name] = await (await t.blobStore.get(f.storageKey))!.text();
      }
      return out;
    }

    test("the latest form run's uploads are the session files; none before any run", async () => {
      expect(await sessionFiles(user, "listor", "s1")).toEqual({ files: [], run_id: null });
      const runId = await submitOk(user, "listor", [{ name: "a.csv", content: A_CSV }, { name: "b.csv", content: B_CSV }], { context: "s1" });
      expect(await sessionFiles(user, "listor", "s1")).toEqual({
        files: [
          { name: "a.csv", bytes: A_CSV.length },
          { name: "b.csv", bytes: B_CSV.length },
        ],
        run_id: runId,
      });
      // per context
      expect((await sessionFiles(user, "listor", "annan")).files).toEqual([]);
    });

    test("reuse without uploads: the new run gets copies of the session files (names and bytes)", async () => {
      const first = await submitOk(user, "listor", [{ name: "a.csv", content: A_CSV }, { name: "b.csv", content: B_CSV }], { context: "s2" });
      await t.finishRun(first, { status: "succeeded" });
      const second = await submitOk(user, "listor", [], { context: "s2", session_files_mode: "reuse" });
      expect(await inputsOf(second)).toEqual({ "a.csv": A_CSV, "b.csv": B_CSV });
      expect(await t.exec.runs.getRun(second)).toMatchObject({ sessionFilesMode: "reuse", context: "s2" });
      // the reusing run is now the session run; deleting the first run leaves its copies whole
      expect((await sessionFiles(user, "listor", "s2")).run_id).toBe(second);
      expect((await user.call("DELETE", `/api/v1/runs/${first}`, undefined)).status).toBe(204);
      expect(await inputsOf(second)).toEqual({ "a.csv": A_CSV, "b.csv": B_CSV });
    });

    test("reuse with uploads: the uploads win and become the session files", async () => {
      await submitOk(user, "listor", [{ name: "a.csv", content: A_CSV }], { context: "s3" });
      const second = await submitOk(user, "listor", [{ name: "b.csv", content: B_CSV }], { context: "s3", session_files_mode: "reuse" });
      expect(await inputsOf(second)).toEqual({ "b.csv": B_CSV });
      expect((await sessionFiles(user, "listor", "s3")).files.map((f) => f.name)).toEqual(["b.csv"]);
    });

    test("reuse with no session files: a required file field is still refused (422)", async () => {
      const res = await submit(user, "listor", [], { context: "tom", session_files_mode: "reuse" });
      expect(res.status).toBe(422);
    });

    test("too many session files for the form: 422 like too many uploads", async () => {
      // the tool is updated to take one file at most after two were uploaded: reusing both no longer fits
      await t.addTool({ slug: "krympt", inputSchema: [{ kind: "file", name: "elever", label: "Elevlista", accept: [".csv"], min: 0, max: 2 }] });
      await submitOk(user, "krympt", [{ name: "a.csv", content: A_CSV }, { name: "b.csv", content: B_CSV }], { context: "s5" });
      await t.addTool({ slug: "krympt", inputSchema: [{ kind: "file", name: "elever", label: "Elevlista", accept: [".csv"], min: 0, max: 1 }] });
      const res = await submit(user, "krympt", [], { context: "s5", session_files_mode: "reuse" });
      expect(res.status).toBe(422);
      const error = (res.body as unknown as ErrorJson).error;
      expect(error.code).toBe("runs.invalid_inputs");
      expect((error.details ?? []).map((d) => d.path)).toEqual(["/inputs/elever"]);
    });

    test("clear: the session files are forgotten; the run only has its uploads", async () => {
      await submitOk(user, "valfri", [{ name: "a.csv", content: A_CSV }], { context: "s6" });
      const cleared = await submitOk(user, "valfri", [], { context: "s6", session_files_mode: "clear" });
      expect(await inputsOf(cleared)).toEqual({});
      expect(await sessionFiles(user, "valfri", "s6")).toEqual({ files: [], run_id: null });
      // nothing left to reuse
      const reused = await submitOk(user, "valfri", [], { context: "s6", session_files_mode: "reuse" });
      expect(await inputsOf(reused)).toEqual({});
      // clear with uploads: those uploads are the new session files
      const fresh = await submitOk(user, "valfri", [{ name: "b.csv", content: B_CSV }], { context: "s6", session_files_mode: "clear" });
      expect(await sessionFiles(user, "valfri", "s6")).toEqual({ files: [{ name: "b.csv", bytes: B_CSV.length }], run_id: fresh });
    });

    test("none without uploads keeps the session files for later", async () => {
      const first = await submitOk(user, "valfri", [{ name: "a.csv", content: A_CSV }], { context: "s7" });
      const plain = await submitOk(user, "valfri", [], { context: "s7" });
      expect(await inputsOf(plain)).toEqual({});
      expect((await sessionFiles(user, "valfri", "s7")).run_id).toBe(first);
    });

    test("an action run continuing the context gets the session files in its input folder", async () => {
      const first = await submitOk(user, "valfri", [{ name: "a.csv", content: A_CSV }, { name: "b.csv", content: B_CSV }], { context: "s8" });
      await t.finishRun(first, { status: "succeeded", uiPayload: { contract_version: 2, outputs: [], next_actions: NEXT_ACTIONS }, state: { steg: 1 } });
      const rev = (await user.get(`/api/v1/runs/${first}`)).body.state_rev as number;
      const res = await user.post("/api/v1/tools/valfri/actions", { action_id: "klar", expected_state_rev: rev, context: "s8" });
      expect(res.status).toBe(202);
      const actionRun = res.body.run_id as string;
      expect(await inputsOf(actionRun)).toEqual({ "a.csv": A_CSV, "b.csv": B_CSV });
      expect((await user.get(`/api/v1/runs/${actionRun}`)).body.input_files).toEqual([
        { name: "a.csv", bytes: A_CSV.length },
        { name: "b.csv", bytes: B_CSV.length },
      ]);
      // an action run does not change which run holds the session files
      expect((await sessionFiles(user, "valfri", "s8")).run_id).toBe(first);
    });

    test("an action run after clear gets no files", async () => {
      const first = await submitOk(user, "valfri", [{ name: "a.csv", content: A_CSV }], { context: "s9" });
      await t.finishRun(first, { status: "succeeded" });
      const cleared = await submitOk(user, "valfri", [], { context: "s9", session_files_mode: "clear" });
      await t.finishRun(cleared, { status: "succeeded", uiPayload: { contract_version: 2, outputs: [], next_actions: NEXT_ACTIONS }, state: { steg: 1 } });
      const rev = (await user.get(`/api/v1/runs/${cleared}`)).body.state_rev as number;
      const res = await user.post("/api/v1/tools/valfri/actions", { action_id: "klar", expected_state_rev: rev, context: "s9" });
      expect(res.status).toBe(202);
      expect(await inputsOf(res.body.run_id as string)).toEqual({});
    });

    test("another user never sees or reuses them", async () => {
      await submitOk(user, "valfri", [{ name: "a.csv", content: A_CSV }], { context: "delad" });
      expect(await sessionFiles(other, "valfri", "delad")).toEqual({ files: [], run_id: null });
      const theirs = await submitOk(other, "valfri", [], { context: "delad", session_files_mode: "reuse" });
      expect(await inputsOf(theirs)).toEqual({});
    });

    test("GET session-files: unpublished or unknown tool 404, anonymous 401, bad context 422", async () => {
      await t.addTool({ slug: "dold", publish: false });
      expect((await user.get("/api/v1/tools/dold/session-files")).status).toBe(404);
      expect((await user.get("/api/v1/tools/finns-inte/session-files")).status).toBe(404);
      expect((await t.browser().get("/api/v1/tools/valfri/session-files")).status).toBe(401);
      expect((await user.get("/api/v1/tools/valfri/session-files?context=%20bad")).status).toBe(422);
    });
  });
}
