// HTTP scenarios of the run API (app.handle, seeded users): submitting, validation, limits, names,
// visibility, reading, artifacts, cancel and actions. The worker is simulated by writing rows.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import type { Browser } from "../identity/test-app";
import { createRunsTestApp, runForm, type RunsTestApp } from "./runs.test-app";
import { submitRun } from "./runs.service";

const CSV = "namn;betyg\nAnna;A\nBo;C\n";
const PDF = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";

const INPUT_SCHEMA = [
  { kind: "string", name: "title", label: "Titel", required: true },
  { kind: "integer", name: "antal", label: "Antal", min: 1, max: 10 },
  { kind: "file", name: "elever", label: "Elevlista", accept: [".csv"], min: 0, max: 3 },
];

type ErrorJson = { error: { code: string; message: string; details: { path: string; message: string }[] | Record<string, unknown> | null } };
const err = (body: unknown) => (body as ErrorJson).error;
const paths = (body: unknown) => ((err(body).details ?? []) as { path: string }[]).map((d) => d.path);

const NEXT_ACTIONS = [
  {
    action_id: "lagg_till",
    label: "Lägg till",
    kind: "form",
    fields: [
      { kind: "string", name: "namn", label: "Namn", required: true },
      { kind: "integer", name: "poang", label: "Poäng", min: 0, max: 100 },
    ],
  },
  { action_id: "klar", label: "Klar", kind: "form", fields: [] },
];

for (const kind of testStoreKinds()) {
  describe(`run API on ${kind}`, () => {
    let t: RunsTestApp;
    let user: Browser;
    let other: Browser;
    let admin: Browser;
    let contributor: Browser;

    beforeAll(async () => {
      t = await createRunsTestApp(kind, { maxUploadFiles: 5, maxUploadMb: 1 });
      await t.addTool({ slug: "betyg", inputSchema: INPUT_SCHEMA });
      await t.addTool({ slug: "utan-filer", inputSchema: [{ kind: "string", name: "title", label: "Titel" }] });
      await t.addTool({ slug: "utkast", publish: false });
      await t.addTool({ slug: "stegvis" });
      await t.addTool({ slug: "pdf", inputSchema: [{ kind: "file", name: "filer", label: "Filer", min: 1, max: 10 }] });
      [user, other, admin, contributor] = await Promise.all([t.as("user"), t.as("superuser"), t.as("admin"), t.as("contributor")]);
    });
    afterAll(async () => t?.close());

    async function submit(b: Browser, slug: string, inputs: unknown, files: { name: string; content: string | Uint8Array }[] = [], extra: Record<string, string> = {}) {
      return t.postForm(b, `/api/v1/tools/${slug}/run`, runForm(inputs, files, extra));
    }

    async function submitOk(b: Browser, slug = "betyg", inputs: unknown = { title: "Åk 9" }): Promise<string> {
      const res = await submit(b, slug, inputs);
      expect(res.status).toBe(202);
      return res.body.run_id as string;
    }

    describe("POST /tools/{slug}/run", () => {
      test("accepted: 202 with the run id; run, job and file rows and blobs exist", async () => {
        const res = await submit(user, "betyg", { title: "  Åk 9  ", antal: "3" }, [{ name: "elever.csv", content: CSV }], { context: "klass-9a" });
        expect(res.status).toBe(202);
        const runId = res.body.run_id as string;
        expect(Object.keys(res.body)).toEqual(["run_id"]);
        const run = await t.exec.runs.getRun(runId);
        expect(run).toMatchObject({ status: "queued", kind: "production", userId: t.users.user, inputs: { title: "Åk 9", antal: 3 }, action: null, context: "klass-9a" });
        expect(await t.jobOf(runId)).toMatchObject({ status: "queued", priority: 0 });
        const files = await t.exec.runs.listRunFiles(runId);
        expect(files).toHaveLength(1);
        const f = files[0]!;
        expect(f).toMatchObject({ name: "elever.csv", bytes: CSV.length, sha256: new Bun.CryptoHasher("sha256").update(CSV).digest("hex") });
        expect(f.storageKey).toBe(`runs/${runId}/inputs/${f.id}`);
        expect(await (await t.blobStore.get(f.storageKey))!.text()).toBe(CSV);
      });

      test("a queued run wakes the in-process worker", async () => {
        const woken: string[] = [];
        t.exec.notifyQueued = (id) => void woken.push(id);
        try {
          const runId = await submitOk(user);
          expect(woken).toEqual([runId]);
        } finally {
          t.exec.notifyQueued = undefined;
        }
      });

      test("inputs may be omitted when the form needs nothing; context defaults to \"default\"", async () => {
        const res = await submit(user, "utan-filer", undefined);
        expect(res.status).toBe(202);
        expect(await t.exec.runs.getRun(res.body.run_id as string)).toMatchObject({ inputs: {}, context: "default" });
      });

      test("session_files_mode is validated; every valid mode is accepted", async () => {
        for (const mode of ["none", "reuse", "clear"]) expect((await submit(user, "utan-filer", {}, [], { session_files_mode: mode })).status).toBe(202);
        const bad = await submit(user, "utan-filer", {}, [], { session_files_mode: "keep" });
        expect(bad.status).toBe(422);
        expect(paths(bad.body)).toContain("/session_files_mode");
      });

      const invalid: { name: string; slug: string; inputs: unknown; files?: { name: string; content: string }[]; code?: string; paths: string[] }[] = [
        { name: "required field missing and a bad integer, each on its field", slug: "betyg", inputs: { antal: "tre" }, paths: ["/inputs/title", "/inputs/antal"] },
        { name: "integer out of range", slug: "betyg", inputs: { title: "x", antal: 11 }, paths: ["/inputs/antal"] },
        { name: "unknown input key", slug: "betyg", inputs: { title: "x", okand: "1" }, paths: ["/inputs/okand"] },
        { name: "inputs that are not JSON", slug: "betyg", inputs: "{title:", paths: ["/inputs"] },
        { name: "inputs that are not an object", slug: "betyg", inputs: [1, 2], paths: ["/inputs"] },
        {
          name: "more files than the file field allows",
          slug: "betyg",
          inputs: { title: "x" },
          files: ["a", "b", "c", "d"].map((n) => ({ name: `${n}.csv`, content: CSV })),
          paths: ["/inputs/elever"],
        },
        { name: "fewer files than required", slug: "pdf", inputs: {}, paths: ["/inputs/filer"] },
        { name: "a file for a tool without a file field", slug: "utan-filer", inputs: {}, files: [{ name: "a.csv", content: CSV }], paths: ["/files"] },
        { name: "a file type the field does not accept", slug: "betyg", inputs: { title: "x" }, files: [{ name: "rapport.pdf", content: PDF }], paths: ["/inputs/elever"] },
        { name: "a .csv that is really a PDF", slug: "betyg", inputs: { title: "x" }, files: [{ name: "elever.csv", content: PDF }], paths: ["/inputs/elever"] },
        { name: "two uploads with the same sanitized name", slug: "pdf", inputs: {}, files: [{ name: "a.csv", content: CSV }, { name: "mapp/a.csv", content: CSV }], paths: ["/files/1"] },
        { name: "an upload name with nothing usable", slug: "pdf", inputs: {}, files: [{ name: "...", content: CSV }], paths: ["/files/0"] },
      ];
      for (const c of invalid) {
        test(`422: ${c.name}`, async () => {
          const res = await submit(user, c.slug, c.inputs, c.files ?? []);
          expect(res.status).toBe(422);
          expect(err(res.body).code).toBe("runs.invalid_inputs");
          expect(paths(res.body).sort()).toEqual([...c.paths].sort());
          for (const d of err(res.body).details as { message: string }[]) expect(d.message.length).toBeGreaterThan(5);
        });
      }

      test("422 messages follow the reader's language", async () => {
        const sv = await submit(user, "betyg", {});
        expect((err(sv.body).details as { message: string }[])[0]!.message).toBe("Fältet måste fyllas i.");
        const form = runForm({});
        const res = await t.app.handle(
          new Request("http://localhost/api/v1/tools/betyg/run", {
            method: "POST",
            body: form,
            headers: { cookie: [...user.jar].map(([k, v]) => `${k}=${v}`).join("; "), "x-csrf-token": user.csrf!, "accept-language": "en" },
          }),
        );
        const body = (await res.json()) as ErrorJson;
        expect((body.error.details as { message: string }[])[0]!.message).toBe("This field is required.");
      });

      test("hostile file names are sanitized before they are stored", async () => {
        const names = ["../../etc/passwd.csv", "C:\\Users\\x\\betyg.csv", "bad\u202Egpj.csv"];
        const res = await submit(user, "pdf", {}, names.map((name) => ({ name, content: CSV })));
        expect(res.status).toBe(202);
        const stored = (await t.exec.runs.listRunFiles(res.body.run_id as string)).map((f) => f.name).sort();
        expect(stored).toEqual(["bad_gpj.csv", "betyg.csv", "passwd.csv"]);
      });

      test("too many files: 422 runs.too_many_files naming the limit", async () => {
        const files = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.csv`, content: CSV }));
        const res = await submit(user, "pdf", {}, files);
        expect(res.status).toBe(422);
        expect(err(res.body)).toMatchObject({ code: "runs.too_many_files", details: { max_files: 5 } });
        expect(err(res.body).message).toContain("högst 5 filer");
      });

      test("too large in total: 413 runs.upload_too_large naming the limit, nothing stored", async () => {
        const big = new Uint8Array(600 * 1024).fill(65);
        const res = await submit(user, "pdf", {}, [
          { name: "a.txt", content: big },
          { name: "b.txt", content: big },
        ]);
        expect(res.status).toBe(413);
        expect(err(res.body)).toMatchObject({ code: "runs.upload_too_large", details: { max_mb: 1 } });
        expect(err(res.body).message).toContain("1 MB");
      });

      test("unpublished and unknown tools are 404 for every role", async () => {
        for (const b of [user, contributor, admin, other]) {
          for (const slug of ["utkast", "finns-inte"]) {
            const res = await submit(b, slug, {});
            expect(res.status).toBe(404);
            expect(err(res.body).code).toBe("runs.tool_not_found");
          }
        }
      });

      test("anonymous: 401; missing CSRF token: 403", async () => {
        const anon = await t.postForm(t.browser(), "/api/v1/tools/betyg/run", runForm({ title: "x" }));
        expect(anon.status).toBe(401);
        const noCsrf = await t.postForm(user, "/api/v1/tools/betyg/run", runForm({ title: "x" }), { csrf: false });
        expect(noCsrf.status).toBe(403);
        expect(err(noCsrf.body).code).toBe("csrf.invalid");
      });

      test("a failed submission leaves no blobs behind", async () => {
        const before = await Array.fromAsync(new Bun.Glob("**/*").scan({ cwd: t.blobStore.root, onlyFiles: true })).catch(() => []);
        const res = await submit(user, "betyg", { title: "x", okand: 1 }, [{ name: "elever.csv", content: CSV }]);
        expect(res.status).toBe(422);
        const after = await Array.fromAsync(new Bun.Glob("**/*").scan({ cwd: t.blobStore.root, onlyFiles: true }));
        expect(after.sort()).toEqual(before.sort());
      });
    });

    test("when storing the run fails, the uploads already written are removed again", async () => {
      const written: string[] = [];
      const deps = {
        ...t.exec,
        blobStore: { ...t.blobStore, put: async (key: string, data: Uint8Array | Blob) => (written.push(key), t.blobStore.put(key, data)) },
        runs: { ...t.exec.runs, createQueuedRun: async () => Promise.reject(new Error("database went away")) },
      };
      const viewer = { id: t.users.user, email: "user@skola.se", role: "user" as const, locale: null };
      const files = [new File([CSV], "a.csv"), new File([CSV], "b.csv")];
      await expect(submitRun(deps, { viewer, slug: "pdf", inputs: {}, files, locale: "sv" })).rejects.toThrow("database went away");
      expect(written).toHaveLength(2);
      for (const key of written) expect(await t.blobStore.get(key)).toBeNull();
      expect(existsSync(join(t.blobStore.root, written[0]!.split("/").slice(0, 3).join("/")))).toBe(false);
    });

    describe("GET /runs/{id}", () => {
      test("the owner sees status, payload, state_rev and artifacts; no logs for a teacher", async () => {
        const runId = await submitOk(user);
        const queued = await user.get(`/api/v1/runs/${runId}`);
        expect(queued.status).toBe(200);
        expect(queued.body).toEqual({
          run_id: runId,
          tool_slug: "betyg",
          tool_title: "Verktyg betyg",
          status: "queued",
          is_action: false,
          context: "default",
          inputs: { title: "Åk 9" },
          input_files: [],
          error_summary: null,
          ui_payload: null,
          state_rev: null,
          artifacts: [],
          queued_at: expect.any(String),
          started_at: null,
          finished_at: null,
        });
        const payload = { contract_version: 2, outputs: [{ kind: "markdown", markdown: "# Klart" }], next_actions: [] };
        await t.startRun(runId);
        await t.finishRun(runId, { status: "succeeded", uiPayload: payload, stdout: "hemligt", stderr: "Traceback", artifacts: [{ path: "output/rapport.pdf", content: PDF }] });
        const done = await user.get(`/api/v1/runs/${runId}`);
        expect(done.body).toMatchObject({ status: "succeeded", ui_payload: payload, started_at: expect.any(String), finished_at: expect.any(String) });
        const artifacts = done.body.artifacts as { artifact_id: string; path: string; bytes: number; download_url: string }[];
        expect(artifacts).toEqual([{ artifact_id: expect.any(String), path: "output/rapport.pdf", bytes: PDF.length, download_url: `/api/v1/runs/${runId}/artifacts/${artifacts[0]!.artifact_id}` }]);
        expect("stdout" in done.body).toBe(false);
        expect("stderr" in done.body).toBe(false);
      });

      test("another user's run is 404 — also for admins and superusers (runs hold pupils' data)", async () => {
        const runId = await submitOk(user);
        for (const b of [other, admin, contributor]) {
          const res = await b.get(`/api/v1/runs/${runId}`);
          expect(res.status).toBe(404);
          expect(err(res.body).code).toBe("runs.not_found");
        }
        expect((await user.get(`/api/v1/runs/${crypto.randomUUID()}`)).status).toBe(404);
        expect((await t.browser().get(`/api/v1/runs/${runId}`)).status).toBe(401);
      });

      test("stdout/stderr: admins and superusers see them on their own runs; contributors only on sandbox runs", async () => {
        for (const [b, sees] of [
          [admin, true],
          [other, true],
          [contributor, false],
        ] as const) {
          const runId = await submitOk(b);
          await t.finishRun(runId, { status: "failed", errorSummary: "Tool execution failed (ValueError).", stdout: "ut", stderr: "Traceback …" });
          const res = await b.get(`/api/v1/runs/${runId}`);
          expect(res.body.error_summary).toBe("Tool execution failed (ValueError).");
          if (sees) expect(res.body).toMatchObject({ stdout: "ut", stderr: "Traceback …" });
          else expect("stdout" in res.body).toBe(false);
        }
      });
    });

    describe("GET /runs/{id}/artifacts/{artifact_id}", () => {
      let runId = "";
      let ids: Record<string, string> = {};
      beforeAll(async () => {
        runId = await submitOk(user);
        await t.finishRun(runId, {
          status: "succeeded",
          artifacts: [
            { path: "output/rapport.pdf", content: PDF },
            { path: "output/sida.html", content: "<script>alert(1)</script>" },
            { path: "output/bild.svg", content: "<svg onload=alert(1)>" },
            { path: "output/undermapp/Betyg åk 9 \"slut\".csv", content: CSV },
          ],
        });
        const view = await user.get(`/api/v1/runs/${runId}`);
        ids = Object.fromEntries((view.body.artifacts as { artifact_id: string; path: string }[]).map((a) => [a.path, a.artifact_id]));
      });

      const cases = [
        { path: "output/rapport.pdf", type: "application/pdf", disposition: "attachment; filename=\"rapport.pdf\"; filename*=UTF-8''rapport.pdf", body: PDF },
        { path: "output/sida.html", type: "application/octet-stream", disposition: "attachment; filename=\"sida.html\"; filename*=UTF-8''sida.html", body: "<script>alert(1)</script>" },
        { path: "output/bild.svg", type: "application/octet-stream", disposition: "attachment; filename=\"bild.svg\"; filename*=UTF-8''bild.svg", body: "<svg onload=alert(1)>" },
        {
          path: "output/undermapp/Betyg åk 9 \"slut\".csv",
          type: "text/csv; charset=utf-8",
          disposition: "attachment; filename=\"Betyg _k 9 _slut_.csv\"; filename*=UTF-8''Betyg%20%C3%A5k%209%20%22slut%22.csv",
          body: CSV,
        },
      ];
      for (const c of cases) {
        test(`downloads ${c.path} as an attachment with nosniff and a sandbox CSP`, async () => {
          const res = await t.raw(user, `/api/v1/runs/${runId}/artifacts/${ids[c.path]}`);
          expect(res.status).toBe(200);
          expect(res.headers.get("content-type")).toBe(c.type);
          expect(res.headers.get("content-disposition")).toBe(c.disposition);
          expect(res.headers.get("x-content-type-options")).toBe("nosniff");
          expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
          expect(await res.text()).toBe(c.body);
        });
      }

      test("owner only: other users (admins too) get 404; an artifact of another run is 404", async () => {
        const pdfId = ids["output/rapport.pdf"]!;
        for (const b of [other, admin]) expect((await t.raw(b, `/api/v1/runs/${runId}/artifacts/${pdfId}`)).status).toBe(404);
        expect((await t.raw(null, `/api/v1/runs/${runId}/artifacts/${pdfId}`)).status).toBe(401);
        const otherRun = await submitOk(user);
        const res = await t.raw(user, `/api/v1/runs/${otherRun}/artifacts/${pdfId}`);
        expect(res.status).toBe(404);
        expect(((await res.json()) as ErrorJson).error.code).toBe("runs.artifact_not_found");
      });
    });

    describe("POST /runs/{id}/cancel", () => {
      test("a queued run is cancelled at once", async () => {
        const runId = await submitOk(user);
        const res = await user.post(`/api/v1/runs/${runId}/cancel`);
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ status: "cancelled" });
        expect(await t.exec.runs.getRun(runId)).toMatchObject({ status: "cancelled", finishedAt: expect.any(Date), errorSummary: "The run was cancelled.\nKörningen avbröts." });
        expect(await t.jobOf(runId)).toMatchObject({ status: "done" });
      });

      test("a running run gets a cancel request for its worker, and this process's worker is told at once", async () => {
        const runId = await submitOk(user);
        await t.startRun(runId);
        const aborted: string[] = [];
        t.exec.abortLocal = (id) => (aborted.push(id), true);
        try {
          const res = await user.post(`/api/v1/runs/${runId}/cancel`);
          expect(res.status).toBe(202);
          expect(res.body).toEqual({ status: "running" });
        } finally {
          t.exec.abortLocal = undefined;
        }
        expect(await t.jobOf(runId)).toMatchObject({ status: "leased", cancelRequested: true });
        expect(aborted).toEqual([runId]);
      });

      test("a finished run stays as it was", async () => {
        const runId = await submitOk(user);
        await t.finishRun(runId, { status: "succeeded" });
        expect((await user.post(`/api/v1/runs/${runId}/cancel`)).body).toEqual({ status: "succeeded" });
      });

      test("owner only", async () => {
        const runId = await submitOk(user);
        for (const b of [other, admin]) expect((await b.post(`/api/v1/runs/${runId}/cancel`)).status).toBe(404);
        expect((await t.exec.runs.getRun(runId))?.status).toBe("queued");
      });
    });

    describe("POST /tools/{slug}/actions", () => {
      /** A finished first run in `context` that offered NEXT_ACTIONS and kept state; returns its state_rev. */
      async function startSession(b: Browser, context: string): Promise<number> {
        const res = await submit(b, "stegvis", {}, [], { context });
        const runId = res.body.run_id as string;
        await t.finishRun(runId, { status: "succeeded", uiPayload: { contract_version: 2, outputs: [], next_actions: NEXT_ACTIONS }, state: { elever: ["Anna"] } });
        return (await b.get(`/api/v1/runs/${runId}`)).body.state_rev as number;
      }

      test("queues an action run with the action, its normalized input and the current state", async () => {
        const rev = await startSession(user, "lektion-1");
        expect(rev).toBe(1);
        const res = await user.post("/api/v1/tools/stegvis/actions", { action_id: "lagg_till", input: { namn: " Bo ", poang: "12" }, expected_state_rev: rev, context: "lektion-1" });
        expect(res.status).toBe(202);
        const run = await t.exec.runs.getRun(res.body.run_id as string);
        expect(run).toMatchObject({
          status: "queued",
          inputs: {},
          context: "lektion-1",
          action: { action_id: "lagg_till", input: { namn: "Bo", poang: 12 }, state: { elever: ["Anna"] } },
        });
      });

      test("a stale expected_state_rev is 409 runs.state_conflict telling to reload", async () => {
        const rev = await startSession(user, "lektion-2");
        // another tab moved on: a second state revision
        const next = await user.post("/api/v1/tools/stegvis/actions", { action_id: "klar", expected_state_rev: rev, context: "lektion-2" });
        await t.finishRun(next.body.run_id as string, { status: "succeeded", uiPayload: { contract_version: 2, outputs: [], next_actions: NEXT_ACTIONS }, state: { elever: ["Anna", "Bo"] } });
        const res = await user.post("/api/v1/tools/stegvis/actions", { action_id: "klar", expected_state_rev: rev, context: "lektion-2" });
        expect(res.status).toBe(409);
        expect(err(res.body)).toMatchObject({ code: "runs.state_conflict", details: { expected_state_rev: 1, current_state_rev: 2 } });
        expect(err(res.body).message).toContain("Ladda om sidan");
      });

      test("without any state there is nothing to continue: 409", async () => {
        const res = await user.post("/api/v1/tools/stegvis/actions", { action_id: "klar", expected_state_rev: 0, context: "aldrig" });
        expect(res.status).toBe(409);
        expect(err(res.body).code).toBe("runs.state_conflict");
      });

      test("an action the state's run did not offer: 409 runs.action_not_offered", async () => {
        const rev = await startSession(user, "lektion-3");
        const res = await user.post("/api/v1/tools/stegvis/actions", { action_id: "radera_allt", expected_state_rev: rev, context: "lektion-3" });
        expect(res.status).toBe(409);
        expect(err(res.body).code).toBe("runs.action_not_offered");
      });

      test("action input is validated against the action's fields: 422 on /input/<field>", async () => {
        const rev = await startSession(user, "lektion-4");
        const res = await user.post("/api/v1/tools/stegvis/actions", { action_id: "lagg_till", input: { poang: 500, extra: 1 }, expected_state_rev: rev, context: "lektion-4" });
        expect(res.status).toBe(422);
        expect(paths(res.body).sort()).toEqual(["/input/extra", "/input/namn", "/input/poang"]);
      });

      test("state is per user: another user cannot continue it", async () => {
        const rev = await startSession(user, "lektion-5");
        const res = await other.post("/api/v1/tools/stegvis/actions", { action_id: "klar", expected_state_rev: rev, context: "lektion-5" });
        expect(res.status).toBe(409);
      });

      test("unpublished tool: 404", async () => {
        const res = await user.post("/api/v1/tools/utkast/actions", { action_id: "klar", expected_state_rev: 1 });
        expect(res.status).toBe(404);
      });
    });
  });
}
