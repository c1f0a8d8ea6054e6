// HTTP scenarios of a teacher's run history (app.handle, seeded users, both stores): the paged list and
// its filters, deleting a run with its files, running a run again, and the downloads of all files as a
// zip and of a table as an Excel workbook. The worker is simulated by writing rows (runs.test-app.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { strFromU8, unzipSync } from "fflate";
import { testStoreKinds } from "../store/test-db";
import type { Browser } from "../identity/test-app";
import { createRunsTestApp, runForm, type RunsTestApp } from "./runs.test-app";

const CSV = "namn;betyg\nAnna;A\nBo;C\n";
const PDF = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";
const INPUT_SCHEMA = [
  { kind: "string", name: "title", label: "Titel", required: true },
  { kind: "file", name: "elever", label: "Elevlista", accept: [".csv"], min: 0, max: 3 },
];
const TABLE = {
  kind: "table",
  title: "Betyg: åk 9/A",
  columns: [
    { key: "namn", label: "Namn" },
    { key: "poang", label: "Poäng" },
    { key: "klar", label: "Klar" },
  ],
  rows: [
    { namn: "Anna <&>", poang: 12.5, klar: true },
    { namn: "=SUMMA(A1)", poang: null, klar: false },
  ],
};

type ErrorJson = { error: { code: string; message: string; details: unknown } };
const err = (body: unknown) => (body as ErrorJson).error;

async function blobKeys(t: RunsTestApp): Promise<string[]> {
  return (await Array.fromAsync(new Bun.Glob("**/*").scan({ cwd: t.blobStore.root, onlyFiles: true })).catch(() => [] as string[])).sort();
}

for (const kind of testStoreKinds()) {
  describe(`run history API on ${kind}`, () => {
    let t: RunsTestApp;
    let user: Browser;
    let other: Browser;
    let admin: Browser;

    beforeAll(async () => {
      t = await createRunsTestApp(kind);
      await t.addTool({ slug: "betyg", inputSchema: INPUT_SCHEMA });
      await t.addTool({ slug: "narvaro" });
      [user, other, admin] = await Promise.all([t.as("user"), t.as("superuser"), t.as("admin")]);
    });
    afterAll(async () => t?.close());

    async function submit(b: Browser, slug: string, inputs: unknown, files: { name: string; content: string }[] = [], extra: Record<string, string> = {}): Promise<string> {
      const res = await t.postForm(b, `/api/v1/tools/${slug}/run`, runForm(inputs, files, extra));
      expect(res.status).toBe(202);
      return res.body.run_id as string;
    }

    describe("GET /runs", () => {
      let ids: Record<string, string> = {};
      let fresh: Browser;
      beforeAll(async () => {
        // A user of their own, so other scenarios' runs do not show up in these lists.
        fresh = await t.as("contributor");
        const a = await submit(fresh, "betyg", { title: "A" });
        const b = await submit(fresh, "narvaro", {});
        const c = await submit(fresh, "betyg", { title: "C" });
        await t.finishRun(a, { status: "succeeded" });
        await t.finishRun(b, { status: "failed", errorSummary: "Något gick fel." });
        await t.startRun(c);
        // a test run from the editor's sandbox, newest of all: the history must not list it
        const sandbox = await submit(fresh, "betyg", { title: "S" });
        const q = "UPDATE runs SET kind = 'sandbox', context = '~sandbox' WHERE id = $1";
        if (t.store.dialect === "sqlite") t.store.sqlite.query(q.replace("$1", "?")).run(sandbox);
        else await t.store.sql.unsafe(q, [sandbox]);
        await t.finishRun(sandbox, { status: "succeeded" });
        ids = { a, b, c, sandbox };
        await submit(other, "betyg", { title: "someone else's" });
      });

      test("test runs from the editor's sandbox are not listed, under any filter", async () => {
        for (const query of ["", "?tool=betyg", "?status=succeeded", "?from=2000-01-01", "?page_size=100"]) {
          const res = await fresh.get(`/api/v1/runs${query}`);
          expect(res.status).toBe(200);
          expect({ query, listed: (res.body.items as { run_id: string }[]).some((i) => i.run_id === ids.sandbox) }).toEqual({ query, listed: false });
        }
        expect((await fresh.get("/api/v1/runs")).body.total).toBe(3);
        // the run itself still exists for its owner (the editor shows it)
        expect((await fresh.get(`/api/v1/runs/${ids.sandbox}`)).status).toBe(200);
      });

      test("the user's own runs, newest first, with tool, status and times", async () => {
        const res = await fresh.get("/api/v1/runs");
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ total: 3, page: 1, page_size: 25 });
        const items = res.body.items as Record<string, unknown>[];
        expect(items.map((i) => i.run_id)).toEqual([ids.c, ids.b, ids.a]);
        expect(items[1]).toEqual({
          run_id: ids.b,
          tool_slug: "narvaro",
          tool_title: "Verktyg narvaro",
          status: "failed",
          is_action: false,
          context: "default",
          error_summary: "Något gick fel.",
          state_rev: null,
          queued_at: expect.any(String),
          started_at: expect.any(String),
          finished_at: expect.any(String),
          duration_ms: null,
        });
      });

      const filters: { name: string; query: string; expect: string[] }[] = [
        { name: "by tool", query: "tool=betyg", expect: ["c", "a"] },
        { name: "by one status", query: "status=failed", expect: ["b"] },
        { name: "by several statuses", query: "status=succeeded,running", expect: ["c", "a"] },
        { name: "tool and status together", query: "tool=betyg&status=succeeded", expect: ["a"] },
        { name: "an unknown tool: nothing", query: "tool=finns-inte", expect: [] },
        { name: "from a date far back", query: "from=2000-01-01", expect: ["c", "b", "a"] },
        { name: "up to a day long ago: nothing", query: "to=2000-01-01", expect: [] },
        { name: "a date-time window around now", query: `from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`, expect: ["c", "b", "a"] },
        { name: "paged", query: "page=2&page_size=2", expect: ["a"] },
      ];
      for (const f of filters) {
        test(`filter ${f.name}`, async () => {
          const res = await fresh.get(`/api/v1/runs?${f.query}`);
          expect(res.status).toBe(200);
          expect((res.body.items as { run_id: string }[]).map((i) => i.run_id)).toEqual(f.expect.map((k) => ids[k]!));
        });
      }

      test("an unknown status or a malformed date is 422 at its parameter", async () => {
        for (const [query, path] of [
          ["status=klar", "/status"],
          ["from=igår", "/from"],
          ["to=2026-02-30", "/to"],
        ] as const) {
          const res = await fresh.get(`/api/v1/runs?${query}`);
          expect(res.status).toBe(422);
          expect(err(res.body).code).toBe("validation.failed");
          expect((err(res.body).details as { path: string }[]).map((d) => d.path)).toEqual([path]);
        }
      });

      test("anonymous: 401", async () => {
        expect((await t.browser().get("/api/v1/runs")).status).toBe(401);
      });
    });

    describe("DELETE /runs/{id}", () => {
      test("deletes a finished run with its input files and artifacts; it is gone afterwards", async () => {
        const runId = await submit(user, "betyg", { title: "x" }, [{ name: "elever.csv", content: CSV }]);
        await t.finishRun(runId, { status: "succeeded", artifacts: [{ path: "output/rapport.pdf", content: PDF }] });
        expect((await blobKeys(t)).filter((k) => k.startsWith(`runs/${runId}/`))).toHaveLength(2);

        const res = await user.call("DELETE", `/api/v1/runs/${runId}`, undefined);
        expect(res.status).toBe(204);
        expect((await blobKeys(t)).filter((k) => k.startsWith(`runs/${runId}/`))).toEqual([]);
        expect(await t.exec.runs.getRun(runId)).toBeNull();
        expect((await user.get(`/api/v1/runs/${runId}`)).status).toBe(404);
        expect((await user.call("DELETE", `/api/v1/runs/${runId}`, undefined)).status).toBe(404);
      });

      test("a queued or running run is refused with 409 runs.still_active and kept", async () => {
        const queued = await submit(user, "narvaro", {});
        const running = await submit(user, "narvaro", {});
        await t.startRun(running);
        for (const id of [queued, running]) {
          const res = await user.call("DELETE", `/api/v1/runs/${id}`, undefined);
          expect(res.status).toBe(409);
          expect(err(res.body).code).toBe("runs.still_active");
          expect(await t.exec.runs.getRun(id)).not.toBeNull();
        }
      });

      test("owner only: other users (admins too) get 404 and the run stays", async () => {
        const runId = await submit(user, "narvaro", {});
        await t.finishRun(runId, { status: "succeeded" });
        for (const b of [other, admin]) {
          const res = await b.call("DELETE", `/api/v1/runs/${runId}`, undefined);
          expect(res.status).toBe(404);
          expect(err(res.body).code).toBe("runs.not_found");
        }
        expect(await t.exec.runs.getRun(runId)).not.toBeNull();
      });
    });

    describe("POST /runs/{id}/rerun", () => {
      test("queues a new run with the same values, context and a copy of each input file", async () => {
        const first = await submit(user, "betyg", { title: "Åk 9" }, [{ name: "elever.csv", content: CSV }], { context: "klass-9a" });
        await t.finishRun(first, { status: "failed" });
        const res = await user.post(`/api/v1/runs/${first}/rerun`);
        expect(res.status).toBe(202);
        const second = res.body.run_id as string;
        expect(second).not.toBe(first);
        expect(await t.exec.runs.getRun(second)).toMatchObject({ status: "queued", inputs: { title: "Åk 9" }, context: "klass-9a", action: null, kind: "production" });
        const [copy] = await t.exec.runs.listRunFiles(second);
        const [original] = await t.exec.runs.listRunFiles(first);
        expect(copy).toMatchObject({ name: "elever.csv", bytes: CSV.length, sha256: original!.sha256 });
        expect(copy!.storageKey).toStartWith(`runs/${second}/inputs/`);
        expect(await (await t.blobStore.get(copy!.storageKey))!.text()).toBe(CSV);
        // the copy is independent: deleting the first run keeps the second one's file
        expect((await user.call("DELETE", `/api/v1/runs/${first}`, undefined)).status).toBe(204);
        expect(await (await t.blobStore.get(copy!.storageKey))!.text()).toBe(CSV);
      });

      test("runs still going on and action runs cannot be run again: 409 runs.rerun_not_possible", async () => {
        const queued = await submit(user, "narvaro", {});
        const res = await user.post(`/api/v1/runs/${queued}/rerun`);
        expect(res.status).toBe(409);
        expect(err(res.body).code).toBe("runs.rerun_not_possible");

        const start = await submit(user, "narvaro", {}, [], { context: "steg" });
        await t.finishRun(start, {
          status: "succeeded",
          uiPayload: { contract_version: 2, outputs: [], next_actions: [{ action_id: "klar", label: "Klar", kind: "form", fields: [] }] },
          state: { steg: 1 },
        });
        const action = await user.post("/api/v1/tools/narvaro/actions", { action_id: "klar", expected_state_rev: 1, context: "steg" });
        expect(action.status).toBe(202);
        await t.finishRun(action.body.run_id as string, { status: "succeeded" });
        const again = await user.post(`/api/v1/runs/${action.body.run_id as string}/rerun`);
        expect(again.status).toBe(409);
        expect(err(again.body).code).toBe("runs.rerun_not_possible");
      });

      test("when the tool's form changed so the values no longer fit: 409 runs.rerun_inputs_changed with the problems", async () => {
        await t.addTool({ slug: "andras", inputSchema: [{ kind: "string", name: "title", label: "Titel" }] });
        const runId = await submit(user, "andras", { title: "x" });
        await t.finishRun(runId, { status: "succeeded" });
        await t.addTool({ slug: "andras", inputSchema: [{ kind: "integer", name: "antal", label: "Antal", required: true }], source: "def run_tool(i, o):\n    return 'ny'\n" });
        const res = await user.post(`/api/v1/runs/${runId}/rerun`);
        expect(res.status).toBe(409);
        expect(err(res.body).code).toBe("runs.rerun_inputs_changed");
        expect((err(res.body).details as { path: string }[]).map((d) => d.path).sort()).toEqual(["/inputs/antal", "/inputs/title"]);
      });

      test("missing input files: 409 runs.rerun_files_missing; another user's run: 404", async () => {
        const runId = await submit(user, "betyg", { title: "x" }, [{ name: "elever.csv", content: CSV }]);
        await t.finishRun(runId, { status: "succeeded" });
        await t.blobStore.deletePrefix(`runs/${runId}/inputs`);
        const res = await user.post(`/api/v1/runs/${runId}/rerun`);
        expect(res.status).toBe(409);
        expect(err(res.body).code).toBe("runs.rerun_files_missing");
        expect((await admin.post(`/api/v1/runs/${runId}/rerun`)).status).toBe(404);
      });

      test("a tool that is no longer published: 404 runs.tool_not_found", async () => {
        const toolId = await t.addTool({ slug: "avpublicerad" });
        const runId = await submit(user, "avpublicerad", {});
        await t.finishRun(runId, { status: "succeeded" });
        expect(await t.exec.tools.applyStateChanges({ toolId, changes: [], isPublished: false, now: new Date() })).toBe(true);
        const res = await user.post(`/api/v1/runs/${runId}/rerun`);
        expect(res.status).toBe(404);
        expect(err(res.body).code).toBe("runs.tool_not_found");
      });
    });

    describe("GET /runs/{id}/artifacts.zip", () => {
      test("all files in one zip: attachment, nosniff, entry names without output/, contents intact", async () => {
        const runId = await submit(user, "narvaro", {});
        const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
        await t.finishRun(runId, {
          status: "succeeded",
          artifacts: [
            { path: "output/rapport.pdf", content: PDF },
            { path: "output/bilagor/Betyg åk 9.csv", content: CSV },
            { path: "output/stor.bin", content: bytes },
          ],
        });
        const res = await t.raw(user, `/api/v1/runs/${runId}/artifacts.zip`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("application/zip");
        expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="narvaro-\d{4}-\d{2}-\d{2}\.zip"/);
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
        expect(Object.keys(files).sort()).toEqual(["bilagor/Betyg åk 9.csv", "rapport.pdf", "stor.bin"]);
        expect(strFromU8(files["rapport.pdf"]!)).toBe(PDF);
        expect(strFromU8(files["bilagor/Betyg åk 9.csv"]!)).toBe(CSV);
        expect(files["stor.bin"]).toEqual(bytes);
      });

      test("a run without files: 404 runs.no_artifacts; another user's run: 404 runs.not_found", async () => {
        const runId = await submit(user, "narvaro", {});
        await t.finishRun(runId, { status: "succeeded" });
        const res = await t.raw(user, `/api/v1/runs/${runId}/artifacts.zip`);
        expect(res.status).toBe(404);
        expect(((await res.json()) as ErrorJson).error.code).toBe("runs.no_artifacts");
        const foreign = await t.raw(other, `/api/v1/runs/${runId}/artifacts.zip`);
        expect(foreign.status).toBe(404);
        expect(((await foreign.json()) as ErrorJson).error.code).toBe("runs.not_found");
      });
    });

    describe("GET /runs/{id}/outputs/{index}/table.xlsx", () => {
      let runId = "";
      beforeAll(async () => {
        runId = await submit(user, "narvaro", {});
        await t.finishRun(runId, { status: "succeeded", uiPayload: { contract_version: 2, outputs: [{ kind: "markdown", markdown: "# Hej" }, TABLE], next_actions: [] } });
      });

      test("the table as a workbook named after its title: header, typed cells, text never a formula", async () => {
        const res = await t.raw(user, `/api/v1/runs/${runId}/outputs/1/table.xlsx`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        expect(res.headers.get("content-disposition")).toBe("attachment; filename=\"Betyg_ _k 9_A.xlsx\"; filename*=UTF-8''Betyg_%20%C3%A5k%209_A.xlsx");
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        const parts = unzipSync(new Uint8Array(await res.arrayBuffer()));
        const sheet = strFromU8(parts["xl/worksheets/sheet1.xml"]!);
        expect(sheet).toContain('<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">Namn</t></is></c>');
        expect(sheet).toContain('<c r="A2" t="inlineStr"><is><t xml:space="preserve">Anna &lt;&amp;&gt;</t></is></c><c r="B2"><v>12.5</v></c><c r="C2" t="b"><v>1</v></c>');
        expect(sheet).toContain('<c r="A3" t="inlineStr"><is><t xml:space="preserve">=SUMMA(A1)</t></is></c><c r="C3" t="b"><v>0</v></c>');
        expect(strFromU8(parts["xl/workbook.xml"]!)).toContain('<sheet name="Betyg åk 9 A" sheetId="1" r:id="rId1"/>');
      });

      test("an output that is not a table, or none at that index: 404 runs.output_not_found; owner only", async () => {
        for (const index of [0, 2]) {
          const res = await t.raw(user, `/api/v1/runs/${runId}/outputs/${index}/table.xlsx`);
          expect(res.status).toBe(404);
          expect(((await res.json()) as ErrorJson).error.code).toBe("runs.output_not_found");
        }
        expect((await t.raw(admin, `/api/v1/runs/${runId}/outputs/1/table.xlsx`)).status).toBe(404);
      });
    });

    test("GET /runs/{id} tells the tool's title, the values and the input files the run started with", async () => {
      const runId = await submit(user, "betyg", { title: "Åk 8" }, [{ name: "elever.csv", content: CSV }]);
      const res = await user.get(`/api/v1/runs/${runId}`);
      expect(res.body).toMatchObject({ tool_title: "Verktyg betyg", inputs: { title: "Åk 8" }, input_files: [{ name: "elever.csv", bytes: CSV.length }], is_action: false, context: "default" });
    });
  });
}
