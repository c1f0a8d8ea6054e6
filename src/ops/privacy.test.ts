// Export and erasure of a user's data over HTTP, on every test store: the export holds exactly the
// user's rows and files; erasure removes them, unlinks what stays, keeps the audit log with a stable
// pseudonym instead of the e-mail address and name, and leaves other users' data alone.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testStoreKinds } from "../store/test-db";
import { createFsBlobStore, type BlobStore } from "../store/blob-store";
import { createLogger } from "../log/logger";
import { createTestApp, type Browser, type TestApp } from "../identity/test-app";
import { adminUsersRoutes } from "../identity/admin-users.routes";
import { changeAccount, createUser } from "../identity/users.service";
import { userActor } from "../audit/audit.actions";
import { insertTestTool, type TestTool } from "../execution/test-runs";
import { createRunsRepository } from "../execution/runs.repository";
import { createToolsRepository } from "../tools/tools.repository";
import { bytesOf, seedRun, type SeededRun } from "./ops.test-data";
import { opsTestApp } from "./ops.test-app";
import { privacyRoutes } from "./privacy.routes";
import { createPrivacyDeps, eraseUser, type PrivacyDeps } from "./privacy.service";
import { consumeEntry, entryBytes, readArchive } from "./archive";
import { pseudonymFor } from "./privacy.rules";
import { quoteIdent } from "./store-introspection";

type ExportDoc = {
  format: string;
  user: { id: string; email: string };
  tables: Record<string, Record<string, unknown>[]>;
  files: { path: string; storage_key: string; sha256: string; bytes: number }[];
  missing_files: string[];
};

const ANNA = { email: "anna@skola.se", password: "Annas-hemliga-lösen-1" };
const SECRET = "privacy-test-secret-0123456789abcdef";

for (const kind of testStoreKinds()) {
  describe(`user export and erasure on ${kind}`, () => {
    let h: TestApp;
    let dir: string;
    let blobs: BlobStore;
    let deps: PrivacyDeps;
    let app: ReturnType<typeof opsTestApp>;
    let su: Browser;
    let annaBrowser: Browser;
    let anna = "";
    let bertil = "";
    let tool: TestTool;
    let versionByAnna = "";
    const annaRuns: SeededRun[] = [];
    let bertilRun: SeededRun;

    async function rows(table: string, where: string, params: string[]): Promise<Record<string, unknown>[]> {
      const q = `SELECT * FROM ${quoteIdent(table)} WHERE ${where}`;
      if (h.store.dialect === "sqlite") return h.store.sqlite.query(q.replaceAll(/\$\d/g, "?")).all(...params) as Record<string, unknown>[];
      return await h.store.sql.unsafe<Record<string, unknown>[]>(q, params);
    }

    async function download(path: string, b: Browser): Promise<{ status: number; type: string | null; doc: ExportDoc | null; files: Record<string, string> }> {
      const res = await app.app.handle(new Request(`http://localhost${path}`, { headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; ") } }));
      if (res.status !== 200) return { status: res.status, type: res.headers.get("content-type"), doc: null, files: {} };
      const file = join(dir, `export-${crypto.randomUUID()}.tar.gz`);
      writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
      let doc: ExportDoc | null = null;
      const files: Record<string, string> = {};
      await readArchive(file, async (e) => {
        if (e.name === "export.json") doc = JSON.parse(new TextDecoder().decode(await entryBytes(e, 1 << 24))) as ExportDoc;
        else if (e.name.startsWith("files/")) files[e.name.slice(6)] = (await consumeEntry(e)).sha256;
        else await consumeEntry(e);
      });
      return { status: res.status, type: res.headers.get("content-type"), doc, files };
    }

    beforeAll(async () => {
      h = await createTestApp(kind);
      h.config.server.secret = SECRET;
      dir = mkdtempSync(join(tmpdir(), "skt-privacy-"));
      blobs = createFsBlobStore(dir);
      deps = createPrivacyDeps({ store: h.store, config: { server: h.config.server, storage: { ...h.config.storage, data_dir: dir } }, log: createLogger({ level: "error", write: () => {} }) });
      app = opsTestApp(h, [(ctx) => adminUsersRoutes(ctx, h.deps), (ctx) => privacyRoutes(ctx, deps)]);
      su = await app.as("superuser");

      anna = (await createUser(h.deps, { email: ANNA.email, role: "contributor", password: ANNA.password, firstName: "A", lastName: "", actor: { kind: "cli" } })).user.id;
      bertil = (await createUser(h.deps, { email: "bertil@skola.se", role: "user", password: "Bertils-lösenord-22", firstName: "Bertil", lastName: "Berg", actor: { kind: "cli" } })).user.id;
      // a failed login typed with her address, then her own session and profile change
      const failed = await app.browser().post("/api/v1/auth/login", { email: "Anna@Skola.se", password: "fel-lösenord-xx" }, { headers: { "user-agent": "annas-webblasare" } });
      expect(failed.status).toBe(401);
      annaBrowser = app.browser();
      expect((await annaBrowser.post("/api/v1/auth/login", ANNA, { headers: { "user-agent": "annas-webblasare" } })).status).toBe(200);
      expect((await annaBrowser.patch("/api/v1/profile", { first_name: "Anna", last_name: "Andersson" })).status).toBe(200);
      // a superuser's action on her account (kept with the superuser's own details)
      const superuser = (await h.deps.users.getById(h.users.superuser))!;
      await changeAccount(h.deps, { actor: userActor(superuser), id: anna, role: "admin", meta: { ip: "10.9.9.9", userAgent: "su-browser", requestId: "req-su-1" } });

      tool = await insertTestTool(h.store, { source: "def run_tool(i, o):\n    pass\n", slug: "privat-verktyg" });
      for (const n of [1, 2]) {
        annaRuns.push(await seedRun(h.store, blobs, { tool, userId: anna, finishedAt: new Date(), inputs: [{ name: "elever.csv", data: bytesOf(`Annas klass ${n}`) }], artifacts: [{ name: "rapport.txt", data: bytesOf(`rapport ${n}`) }] }));
      }
      bertilRun = await seedRun(h.store, blobs, { tool, userId: bertil, finishedAt: new Date(), inputs: [{ name: "b.csv", data: bytesOf("Bertils fil") }], artifacts: [{ name: "b.txt", data: bytesOf("Bertils resultat") }] });
      const runsRepo = createRunsRepository(h.store);
      await runsRepo.writeToolState({ userId: anna, toolId: tool.toolId, context: "default", state: { steg: 2 }, expectedRev: 0, now: new Date() });
      await runsRepo.saveSettings({ userId: anna, toolId: tool.toolId, schemaHash: "h1", scope: "production", values: { mall: "A" }, expectedRev: 0, now: new Date() });
      await runsRepo.saveSettings({ userId: bertil, toolId: tool.toolId, schemaHash: "h1", scope: "production", values: { mall: "B" }, expectedRev: 0, now: new Date() });
      const version = await createToolsRepository(h.store).createVersion({
        toolId: tool.toolId,
        state: "draft",
        source: "def run_tool(i, o):\n    return 2\n",
        entrypoint: "run_tool",
        inputSchema: [],
        settingsSchema: null,
        usageInstructions: "",
        contentHash: "annas-version",
        parentVersionId: tool.versionId,
        createdBy: anna,
        note: null,
        now: new Date(),
      });
      versionByAnna = version.id;
    });
    afterAll(async () => {
      await h?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test("only superusers may export or erase; unknown users are 404", async () => {
      const admin = await app.as("admin");
      expect((await download(`/api/v1/admin/users/${anna}/export`, admin)).status).toBe(403);
      expect((await download(`/api/v1/admin/users/${anna}/export`, app.browser())).status).toBe(401);
      expect((await admin.post(`/api/v1/admin/users/${anna}/erase`, { confirm_email: ANNA.email })).status).toBe(403);
      expect((await download("/api/v1/admin/users/no-such-user/export", su)).status).toBe(404);
      expect((await su.post("/api/v1/admin/users/no-such-user/erase", { confirm_email: "x@y.se" })).status).toBe(404);
    });

    test("the export holds every row that refers to her and her files — and nothing of others", async () => {
      const r = await download(`/api/v1/admin/users/${anna}/export`, su);
      expect([r.status, r.type]).toEqual([200, "application/gzip"]);
      const doc = r.doc!;
      expect(doc.format).toBe("skriptoteket-user-export");
      expect(doc.user).toEqual({ id: anna, email: ANNA.email });
      const t = doc.tables;
      expect(t.users).toEqual([expect.objectContaining({ id: anna, email: ANNA.email, password_hash: "[redacted]", role: "admin", created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })]);
      expect(t.profiles).toEqual([expect.objectContaining({ user_id: anna, first_name: "Anna", last_name: "Andersson" })]);
      expect(t.sessions).toEqual([expect.objectContaining({ user_id: anna, token_hash: "[redacted]", csrf_token: "[redacted]", user_agent: "annas-webblasare" })]);
      expect(t.login_events!.map((e) => e.outcome).sort()).toEqual(["bad_password", "success"]);
      expect(t.runs!.map((x) => x.id).sort()).toEqual(annaRuns.map((x) => x.id).sort());
      expect(t.runs![0]!.inputs).toEqual({ note: "seeded" });
      expect(t.jobs).toHaveLength(2);
      expect(t.run_files).toHaveLength(2);
      expect(t.artifacts).toHaveLength(2);
      expect(t.tool_state).toEqual([expect.objectContaining({ user_id: anna, state: { steg: 2 } })]);
      expect(t.tool_settings).toEqual([expect.objectContaining({ user_id: anna, values: { mall: "A" } })]);
      expect(t.tool_versions).toEqual([expect.objectContaining({ id: versionByAnna, created_by: anna })]);
      expect(t.audit_events!.map((e) => e.action).sort()).toEqual(["auth.login_failed", "auth.login_succeeded", "profile.updated", "user.created", "user.role_changed"]);
      // her four files, byte for byte
      const expected = Object.fromEntries(annaRuns.flatMap((x) => x.blobs).map((b) => [b.key, b.sha256]));
      expect(r.files).toEqual(expected);
      expect(doc.files.map((f) => f.storage_key).sort()).toEqual(Object.keys(expected).sort());
      expect(doc.missing_files).toEqual([]);
      const text = JSON.stringify(doc);
      expect(text).not.toContain("bertil");
      expect(text).not.toContain(bertilRun.id);
      expect(text).not.toContain("$argon2");
      const [event] = await h.deps.audit.list({ action: "user.exported" });
      expect(event).toMatchObject({ actorId: h.users.superuser, targetId: anna, after: { files: 4 } });
    });

    test("erasure needs her e-mail address typed again, and nobody erases themselves or the last superuser", async () => {
      const wrong = await su.post(`/api/v1/admin/users/${anna}/erase`, { confirm_email: "bertil@skola.se" });
      expect([wrong.status, (wrong.body.error as { code: string }).code]).toEqual([422, "privacy.confirm_mismatch"]);
      const self = await su.post(`/api/v1/admin/users/${h.users.superuser}/erase`, { confirm_email: "superuser@skola.se" });
      expect([self.status, (self.body.error as { code: string }).code]).toEqual([409, "privacy.self_erase"]);
      await expect(eraseUser(deps, { actor: { kind: "cli" }, userId: h.users.superuser })).rejects.toMatchObject({ code: "privacy.last_superuser" });
      expect(await h.deps.users.getById(anna)).not.toBeNull();
    });

    test("erasure removes her rows and files, unlinks her tool version and pseudonymises the audit log", async () => {
      const before = await rows("audit_events", "1 = 1", []);
      const r = await su.post(`/api/v1/admin/users/${anna}/erase`, { confirm_email: "ANNA@skola.se" });
      expect(r.status).toBe(200);
      const pseudonym = pseudonymFor(SECRET, anna);
      expect(r.body).toMatchObject({ user_id: anna, pseudonym, files: 4, errors: [], unlinked: [{ table: "tool_versions", rows: 1 }], pseudonymised: [] });
      const removed = Object.fromEntries((r.body.removed as { table: string; rows: number }[]).map((x) => [x.table, x.rows]));
      expect(removed).toMatchObject({ users: 1, profiles: 1, sessions: 1, login_events: 2, runs: 2, jobs: 2, run_files: 2, artifacts: 2, tool_state: 1, tool_settings: 1 });

      for (const [table, col] of [["users", "id"], ["profiles", "user_id"], ["sessions", "user_id"], ["runs", "user_id"], ["tool_state", "user_id"], ["tool_settings", "user_id"]] as const) {
        expect({ table, left: (await rows(table, `${col} = $1`, [anna])).length }).toEqual({ table, left: 0 });
      }
      for (const table of ["jobs", "run_files", "artifacts"]) {
        const left = await rows(table, "run_id IN ($1, $2)", annaRuns.map((x) => x.id));
        expect({ table, left: left.length }).toEqual({ table, left: 0 });
      }
      expect(await rows("login_events", "lower(email) = $1", [ANNA.email])).toEqual([]);
      expect((await rows("tool_versions", "id = $1", [versionByAnna]))[0]).toMatchObject({ created_by: null });
      for (const b of annaRuns.flatMap((x) => x.blobs)) expect(await blobs.get(b.key)).toBeNull();
      for (const b of bertilRun.blobs) expect(await blobs.get(b.key)).not.toBeNull();
      expect(await rows("runs", "user_id = $1", [bertil])).toHaveLength(1);
      expect(await rows("tool_settings", "user_id = $1", [bertil])).toHaveLength(1);

      // the audit log keeps every event, with the pseudonym instead of her address and name
      const after = await rows("audit_events", "1 = 1", []);
      expect(after.length).toBe(before.length + 1);
      const text = JSON.stringify(after);
      expect(text.toLowerCase()).not.toContain(ANNA.email);
      expect(text).not.toContain("Andersson");
      expect(text).not.toContain("annas-webblasare");
      const byAction = (action: string) => after.filter((e) => e.action === action);
      const parse = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);
      expect(byAction("auth.login_succeeded").find((e) => e.actor_id === anna)).toMatchObject({ actor_id: anna, actor_email: pseudonym, ip: null, user_agent: null });
      expect(parse(byAction("auth.login_failed")[0]!.after)).toEqual({ email: pseudonym, outcome: "bad_password" });
      expect(parse(byAction("profile.updated")[0]!.after)).toEqual({ first_name: pseudonym, last_name: pseudonym });
      expect(parse(byAction("user.created").find((e) => e.target_id === anna)!.after)).toMatchObject({ email: pseudonym, role: "contributor" });
      // the superuser's action keeps the superuser's identity and address
      expect(byAction("user.role_changed")[0]).toMatchObject({ actor_email: "superuser@skola.se", ip: "10.9.9.9", user_agent: "su-browser" });
      expect(parse(byAction("user.created").find((e) => e.target_id === bertil)!.after)).toMatchObject({ email: "bertil@skola.se" });
      const erased = byAction("user.erased")[0]!;
      expect(erased).toMatchObject({ actor_id: h.users.superuser, target_id: anna });
      // created, failed login, own login, own profile change; the role change and the export name no address
      expect(parse(erased.after)).toMatchObject({ pseudonym, files: 4, audit_events_pseudonymised: 4 });

      // her browser session ended with the account
      expect((await annaBrowser.get("/api/v1/auth/me")).status).toBe(401);
      expect((await download(`/api/v1/admin/users/${anna}/export`, su)).status).toBe(404);
    });
  });
}
