// The authoring API end to end over HTTP (SQLite and PostgreSQL): tool administration, drafts with
// head checks and validation, the draft lock, review with e-mail and audit, suggestions, and the
// sandbox's way into the run queue (the worker is played by runs.test-app's finishRun).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import { CONTENT, createAuthoringTestApp, runForm, type AuthoringTestApp } from "./authoring.test-app";
import { SANDBOX_CONTEXT } from "./sandbox.service";
import type { Browser } from "../identity/test-app";
import { createCatalogDeps } from "../catalog/catalog.deps";
import { loadSnapshot } from "../catalog/catalog.snapshot";

type Json = Record<string, unknown>;
const A = "/api/v1/authoring";

for (const kind of testStoreKinds()) {
  describe(`authoring API on ${kind}`, () => {
    let t: AuthoringTestApp;
    let admin: Browser;
    let author: Browser;
    let stranger: Browser;
    let superuser: Browser;

    beforeAll(async () => {
      t = await createAuthoringTestApp(kind);
      admin = await t.as("admin");
      author = await t.as("maintainer");
      stranger = await t.as("contributor");
      superuser = await t.as("superuser");
    });
    afterAll(async () => t?.close());

    test("tool administration: create, validate fields, tags, maintainers, list per role", async () => {
      const bad = await admin.post(`${A}/tools`, { slug: "Betyg CSV", title: " ", professions: ["okand"] });
      expect(bad.status).toBe(422);
      expect(((bad.body.error as Json).details as Json[]).map((d) => d.path)).toEqual(["/slug", "/title", "/professions/0"]);

      const created = await admin.post(`${A}/tools`, { slug: "narvaro", title: "Närvaro", professions: ["larare"], categories: ["betyg"] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ slug: "narvaro", is_published: false, head_version: null, active_version: null, slug_editable: true, maintainers: [] });
      const id = String(created.body.id);
      expect((await admin.post(`${A}/tools`, { slug: "narvaro", title: "Igen" })).body).toMatchObject({ error: { code: "authoring.slug_taken" } });

      const renamed = await admin.patch(`${A}/tools/${id}`, { slug: "narvaro-2", summary: "Sammanställer närvaro" });
      expect(renamed.body).toMatchObject({ slug: "narvaro-2", summary: "Sammanställer närvaro" });

      expect((await admin.post(`${A}/tools/${id}/maintainers`, { email: "user@skola.se" })).body).toMatchObject({ error: { code: "authoring.maintainer_role" } });
      expect((await admin.post(`${A}/tools/${id}/maintainers`, { email: "ingen@skola.se" })).status).toBe(404);
      const added = await admin.post(`${A}/tools/${id}/maintainers`, { email: "CONTRIBUTOR@skola.se" });
      expect((added.body.maintainers as Json[]).map((m) => m.email)).toEqual(["contributor@skola.se"]);

      const mine = await author.get(`${A}/tools`);
      expect((mine.body.items as Json[]).map((x) => x.id)).toContain(id);
      const theirs = await stranger.get(`${A}/tools`);
      expect((theirs.body.items as Json[]).map((x) => x.id)).not.toContain(id);
      expect((await stranger.get(`${A}/tools/${id}`)).body).toMatchObject({ error: { code: "authoring.not_maintainer" } });
      expect((await author.get(`${A}/tools/by-slug/narvaro-2`)).body).toMatchObject({ id, can: { edit: true, review: false, manage: false, rollback: false } });

      const removed = await admin.call("DELETE", `${A}/tools/${id}/maintainers/${t.users.contributor}`, undefined);
      expect(removed.body.maintainers).toEqual([]);
      expect(await t.auditActions(id)).toEqual(["tool.created", "tool.updated", "tool.maintainer_added", "tool.maintainer_removed"]);
    });

    test("drafts: new immutable versions on the head, 409 when it moved, validation with JSON pointers", async () => {
      const id = await t.newTool(admin, "drafts");
      const first = await author.post(`${A}/tools/${id}/versions`, { ...CONTENT, parent_version_id: null, note: "Första" });
      expect(first.status).toBe(201);
      const v1 = (first.body.version as Json).id as string;
      expect(first.body.version).toMatchObject({ number: 1, state: "draft", note: "Första", created_by: { email: "contributor@skola.se" }, source: CONTENT.source });

      const same = await author.post(`${A}/tools/${id}/versions`, { ...CONTENT, parent_version_id: v1 });
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ created: false, version: { id: v1 } });

      const changed = { ...CONTENT, usage_instructions: "Ny text" };
      const second = await author.post(`${A}/tools/${id}/versions`, { ...changed, parent_version_id: v1 });
      expect(second.body).toMatchObject({ created: true, version: { number: 2, parent_version_id: v1 } });
      const stale = await admin.post(`${A}/tools/${id}/versions`, { ...CONTENT, source: `${CONTENT.source}# x\n`, parent_version_id: v1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: "authoring.head_moved", details: { head_number: 2 } });

      const invalid = { ...CONTENT, input_schema: [{ kind: "string", name: "a", label: "A" }, { kind: "colour", name: "b", label: "B" }] };
      const rejected = await author.post(`${A}/tools/${id}/versions`, { ...invalid, parent_version_id: (second.body.version as Json).id }, { headers: { "accept-language": "en" } });
      expect(rejected.status).toBe(422);
      const details = (rejected.body.error as Json).details as { path: string; message: string }[];
      expect(details[0]!.path.startsWith("/input_schema/1")).toBe(true);
      const checked = await author.post(`${A}/tools/${id}/validate`, invalid);
      expect(checked.status).toBe(200);
      expect(checked.body.ok).toBe(false);
      expect((checked.body.problems as Json[])[0]!.path).toBe(details[0]!.path);
      expect((await author.post(`${A}/tools/${id}/validate`, CONTENT)).body).toEqual({ ok: true, problems: [] });

      const list = await author.get(`${A}/tools/${id}/versions`);
      expect((list.body.items as Json[]).map((v) => v.number)).toEqual([2, 1]);
      expect(list.body.head_version_id).toBe((second.body.version as Json).id);
      const one = await author.get(`${A}/tools/${id}/versions/${v1}`);
      expect(one.body).toMatchObject({ number: 1, usage_instructions: CONTENT.usage_instructions, input_schema: CONTENT.input_schema });
      expect((await author.get(`${A}/tools/${id}/versions/${crypto.randomUUID()}`)).status).toBe(404);
    });

    test("draft lock: the holder's name, 423 on save, heartbeat, admin takeover, expiry", async () => {
      const id = await t.newTool(admin, "lasta");
      const taken = await author.post(`${A}/tools/${id}/lock`, {});
      expect(taken.body.lock).toMatchObject({ holder: { email: "contributor@skola.se", name: "contributor Test" }, mine: true });
      expect((await admin.get(`${A}/tools/${id}/lock`)).body.lock).toMatchObject({ holder: { email: "contributor@skola.se" }, mine: false });

      const blocked = await admin.post(`${A}/tools/${id}/versions`, { ...CONTENT, parent_version_id: null });
      expect(blocked.status).toBe(423);
      expect(blocked.body.error).toMatchObject({ code: "authoring.locked", details: { holder: { email: "contributor@skola.se" } } });
      expect((await admin.post(`${A}/tools/${id}/lock`, {})).status).toBe(423);
      expect((await author.post(`${A}/tools/${id}/versions`, { ...CONTENT, parent_version_id: null })).status).toBe(201);
      expect((await author.post(`${A}/tools/${id}/lock/heartbeat`)).status).toBe(200);

      const takeover = await admin.post(`${A}/tools/${id}/lock`, { take_over: true });
      expect(takeover.body.lock).toMatchObject({ holder: { email: "admin@skola.se" }, mine: true });
      const lost = await author.post(`${A}/tools/${id}/lock/heartbeat`);
      expect(lost.status).toBe(423);
      expect(lost.body.error).toMatchObject({ code: "authoring.lock_lost", details: { holder: { email: "admin@skola.se" } } });
      expect(await t.auditActions(id)).toContain("tool.lock_taken_over");

      // Without heartbeats the lock expires and anyone may edit again.
      t.advance(121);
      expect((await author.get(`${A}/tools/${id}/lock`)).body.lock).toBeNull();
      expect((await author.post(`${A}/tools/${id}/lock`, {})).body.lock).toMatchObject({ mine: true });
      expect((await author.call("DELETE", `${A}/tools/${id}/lock`, undefined)).status).toBe(204);
      expect((await author.get(`${A}/tools/${id}/lock`)).body.lock).toBeNull();
    });

    test("review: submit, request changes, resubmit, publish, show in the catalog, a teacher runs it, rollback", async () => {
      const id = await t.newTool(admin, "granskning");
      const save = async (source: string, parent: string | null) =>
        ((await author.post(`${A}/tools/${id}/versions`, { ...CONTENT, source, parent_version_id: parent })).body.version as Json).id as string;
      const v1 = await save(CONTENT.source, null);

      t.mail.length = 0;
      const submitted = await author.post(`${A}/tools/${id}/versions/${v1}/submit`, { note: "Klar för granskning" });
      expect(submitted.body).toMatchObject({ state: "in_review", events: [{ kind: "submitted", message: "Klar för granskning", actor: { email: "contributor@skola.se" } }] });
      expect(t.mail.map((m) => m.to).sort()).toEqual(["admin@skola.se", "superuser@skola.se"]);
      expect(t.mail[0]!.text).toContain(`https://skriptoteket.skola.se/authoring/tools/${id}`);
      expect((await admin.get(`${A}/tools`)).body.pending_reviews_total).toBeGreaterThanOrEqual(1);
      expect(((await admin.get(`${A}/reviews`)).body.items as Json[]).some((r) => (r.version as Json).id === v1)).toBe(true);

      // Publishing a draft directly is refused: it must be reviewed.
      t.mail.length = 0;
      const changes = await admin.post(`${A}/tools/${id}/versions/${v1}/request-changes`, { message: "Lägg till hjälptext" });
      expect(changes.body).toMatchObject({ state: "draft" });
      expect(t.mail.map((m) => m.to)).toEqual(["contributor@skola.se"]);
      expect(t.mail[0]!.text).toContain("Lägg till hjälptext");
      expect((await admin.post(`${A}/tools/${id}/versions/${v1}/publish`, {})).body).toMatchObject({ error: { code: "authoring.invalid_transition", details: { from: "draft", to: "active" } } });

      const v2 = await save("def run_tool(input_dir, output_dir):\n    return 'version 2'\n", v1);
      await author.post(`${A}/tools/${id}/versions/${v2}/submit`, {});
      expect((await admin.call("PUT", `${A}/tools/${id}/published`, { published: true })).body).toMatchObject({ error: { code: "authoring.no_active_version" } });
      const published = await admin.post(`${A}/tools/${id}/versions/${v2}/publish`, { note: "Bra" });
      expect(published.body).toMatchObject({ state: "active" });
      const shown = await admin.call("PUT", `${A}/tools/${id}/published`, { published: true });
      expect(shown.body).toMatchObject({ is_published: true, active_version: { id: v2, number: 2 }, slug_editable: false });
      expect((await admin.patch(`${A}/tools/${id}`, { slug: "annat" })).body).toMatchObject({ error: { code: "authoring.slug_frozen" } });
      // The teachers' catalog (its in-memory snapshot follows the store's revision) lists it now.
      const catalog = createCatalogDeps({ store: t.store });
      expect((await loadSnapshot(catalog)).bySlug.get("granskning")?.title).toBe("Verktyg granskning");

      // A teacher runs the published version.
      const teacher = await t.as("user");
      const run = await t.postForm(teacher, "/api/v1/tools/granskning/run", runForm({ title: "Åk 9" }));
      expect(run.status).toBe(202);
      expect((await t.exec.runs.getRun(String(run.body.run_id)))!.toolVersionId).toBe(v2);

      // v3 published archives v2; the superuser rolls back to v2.
      const v3 = await save("def run_tool(input_dir, output_dir):\n    return 'version 3'\n", v2);
      await author.post(`${A}/tools/${id}/versions/${v3}/submit`, {});
      await admin.post(`${A}/tools/${id}/versions/${v3}/publish`, {});
      expect((await admin.post(`${A}/tools/${id}/versions/${v2}/rollback`, {})).status).toBe(403);
      const rolled = await superuser.post(`${A}/tools/${id}/versions/${v2}/rollback`, { note: "v3 hade fel" });
      expect(rolled.body).toMatchObject({ state: "active" });
      const states = ((await author.get(`${A}/tools/${id}/versions`)).body.items as Json[]).map((v) => [v.number, v.state]);
      expect(states).toEqual([
        [3, "archived"],
        [2, "active"],
        [1, "draft"],
      ]);
      const again = await t.postForm(teacher, "/api/v1/tools/granskning/run", runForm({ title: "Åk 9" }));
      expect((await t.exec.runs.getRun(String(again.body.run_id)))!.toolVersionId).toBe(v2);

      const versionActions = (await t.deps.audit.list({})).filter((e) => [v1, v2, v3].includes(e.targetId ?? "")).map((e) => e.action);
      expect(versionActions).toEqual(
        expect.arrayContaining(["version.created", "version.submitted", "version.changes_requested", "version.published", "version.rolled_back"]),
      );
      const rollback = (await t.deps.audit.list({ action: "version.rolled_back" })).find((e) => e.targetId === v2)!;
      expect(rollback.before).toMatchObject({ active_version: 3, states: { "3": "active", "2": "archived" } });
      expect(rollback.after).toMatchObject({ active_version: 2, states: { "3": "archived", "2": "active" } });
      expect(await t.auditActions(id)).toContain("tool.published");
      const hidden = await admin.call("PUT", `${A}/tools/${id}/published`, { published: false });
      expect(hidden.body).toMatchObject({ is_published: false, slug_editable: true });
      expect((await loadSnapshot(catalog)).bySlug.has("granskning")).toBe(false);
      expect(await t.auditActions(id)).toContain("tool.unpublished");
    });

    test("suggestions: suggest, only own visible, deny needs a rationale, accept makes a draft tool with the suggester as maintainer", async () => {
      const s = await author.post(`${A}/suggestions`, { title: "Frånvarorapport", description: "Sammanställ frånvaro per klass", professions: ["larare"] });
      expect(s.status).toBe(201);
      const sid = String(s.body.id);
      expect(s.body).toMatchObject({ status: "pending", suggested_by: { email: "contributor@skola.se" }, decisions: [] });
      expect((await author.post(`${A}/suggestions`, { title: "X", description: "Y", categories: ["okand"] })).status).toBe(422);

      expect((await stranger.get(`${A}/suggestions/${sid}`)).status).toBe(404);
      expect(((await stranger.get(`${A}/suggestions`)).body.items as Json[]).map((x) => x.id)).not.toContain(sid);
      expect(((await admin.get(`${A}/suggestions?status=pending`)).body.items as Json[]).map((x) => x.id)).toContain(sid);

      expect((await admin.post(`${A}/suggestions/${sid}/deny`, { rationale: "  " })).status).toBe(422);
      const denied = await admin.post(`${A}/suggestions/${sid}/deny`, { rationale: "Finns redan i närvaroverktyget" });
      expect(denied.body).toMatchObject({ status: "denied", decisions: [{ decision: "denied", rationale: "Finns redan i närvaroverktyget", decided_by: { email: "admin@skola.se" } }] });
      expect((await admin.post(`${A}/suggestions/${sid}/deny`, { rationale: "Igen" })).body).toMatchObject({ error: { code: "authoring.suggestion_decided" } });

      const accepted = await admin.post(`${A}/suggestions/${sid}/accept`, {});
      expect(accepted.body).toMatchObject({
        suggestion: { status: "accepted", decisions: [{ decision: "denied" }, { decision: "accepted" }] },
        tool: { slug: "franvarorapport", title: "Frånvarorapport", is_published: false, professions: ["larare"], maintainers: [{ email: "contributor@skola.se" }] },
      });
      const toolId = String((accepted.body.tool as Json).id);
      expect((await author.get(`${A}/tools/${toolId}`)).body).toMatchObject({ can: { edit: true } });
      expect((await admin.post(`${A}/suggestions/${sid}/accept`, {})).body).toMatchObject({ error: { code: "authoring.suggestion_decided" } });
      expect(((await author.get(`${A}/suggestions/${sid}`)).body as Json).tool_id).toBe(toolId);
      expect(await t.auditActions(sid)).toEqual(["suggestion.created", "suggestion.denied", "suggestion.accepted"]);
    });

    test("sandbox: a snapshot runs through the queue as a sandbox run; the author sees stdout, stderr and timing", async () => {
      const id = await t.newTool(admin, "sandlada");
      const fileSchema = [{ kind: "file", name: "files", label: "Fil", accept: [".txt"], min: 1, max: 1 }];
      const content = { ...CONTENT, input_schema: fileSchema, settings_schema: [{ kind: "string", name: "sign", label: "Signatur" }] };
      const snap = await author.post(`${A}/tools/${id}/sandbox/snapshots`, content);
      expect(snap.status).toBe(201);
      expect((await author.post(`${A}/tools/${id}/sandbox/snapshots`, content)).body.snapshot_id).toBe(snap.body.snapshot_id);
      expect((await author.post(`${A}/tools/${id}/sandbox/snapshots`, { ...content, entrypoint: "1x" })).status).toBe(422);
      // Snapshots are not versions.
      expect((await author.get(`${A}/tools/${id}/versions`)).body.items).toEqual([]);

      const snapshotId = String(snap.body.snapshot_id);
      const missing = await t.postForm(author, `${A}/tools/${id}/sandbox/runs`, runForm({}, [], { snapshot_id: snapshotId }));
      expect(missing.status).toBe(422);
      const form = runForm({}, [{ name: "elever.txt", content: "Anna\nBo\n" }], { snapshot_id: snapshotId });
      const started = await t.postForm(author, `${A}/tools/${id}/sandbox/runs`, form);
      expect(started.status).toBe(202);
      const runId = String(started.body.run_id);
      const run = (await t.exec.runs.getRun(runId))!;
      expect(run).toMatchObject({ kind: "sandbox", toolVersionId: snapshotId, context: SANDBOX_CONTEXT });
      expect((await t.jobOf(runId))!.priority).toBe(10);

      await t.startRun(runId);
      await t.finishRun(runId, { status: "succeeded", stdout: "skriver ut\n", stderr: "varning\n" });
      const view = await author.get(`/api/v1/runs/${runId}`);
      expect(view.body).toMatchObject({ status: "succeeded", stdout: "skriver ut\n", stderr: "varning\n", input_files: [{ name: "elever.txt" }] });
      expect(typeof view.body.started_at).toBe("string");
      expect(typeof view.body.finished_at).toBe("string");

      // Sandbox settings are kept apart (scope "sandbox").
      const settings = await author.get(`${A}/tools/${id}/sandbox/settings?snapshot_id=${snapshotId}`);
      expect(settings.body).toMatchObject({ values: {}, rev: 0 });
      const saved = await author.call("PUT", `${A}/tools/${id}/sandbox/settings`, { snapshot_id: snapshotId, values: { sign: "AB" }, expected_rev: 0 });
      expect(saved.body).toMatchObject({ values: { sign: "AB" }, rev: 1 });
      expect((await author.call("PUT", `${A}/tools/${id}/sandbox/settings`, { snapshot_id: snapshotId, values: { sign: "C" }, expected_rev: 0 })).status).toBe(409);

      // Someone else's tool and a snapshot of another tool are refused.
      expect((await t.postForm(stranger, `${A}/tools/${id}/sandbox/runs`, form)).status).toBe(403);
      const other = await t.newTool(admin, "annan-sandlada");
      expect((await t.postForm(author, `${A}/tools/${other}/sandbox/runs`, runForm({}, [], { snapshot_id: snapshotId }))).body).toMatchObject({
        error: { code: "authoring.snapshot_not_found" },
      });
    });

    test("messages follow the language: Swedish by default, English on request", async () => {
      const sv = await stranger.get(`${A}/tools/${crypto.randomUUID()}`);
      const en = await stranger.get(`${A}/tools/${crypto.randomUUID()}`, { headers: { "accept-language": "en" } });
      expect((sv.body.error as Json).message).toContain("Verktyget finns inte");
      expect((en.body.error as Json).message).toContain("The tool does not exist");
    });
  });
}
