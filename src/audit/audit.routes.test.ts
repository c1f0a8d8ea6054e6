// The admin audit log API on both stores: filters, paging, detail with before/after, streamed CSV.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import { recordAudit } from "./audit.service";
import { createAuditQueryRepository } from "./audit-query.repository";
import { createAccessTestApp, type AccessTestApp } from "../access/access.test-app";

type Item = { id: string; action: string; actor_email: string | null; target_type: string | null; target_id: string | null; created_at: string };
const codeOf = (body: Record<string, unknown>) => (body as { error?: { code?: string } }).error?.code;

for (const kind of testStoreKinds()) {
  describe(`audit log API on ${kind}`, () => {
    let t: AccessTestApp;
    const day = (d: string, h = "10:00:00") => new Date(`2026-02-${d}T${h}.000Z`);
    beforeAll(async () => {
      t = await createAccessTestApp(kind);
      const deps = { audit: t.identity.audit, now: () => day("10") };
      const ada = { kind: "user" as const, id: "u-ada", email: "ada.lovelace@skola.se" };
      const bo = { kind: "user" as const, id: "u-bo", email: "bo@kommun.se" };
      await recordAudit({ ...deps, now: () => day("10") }, { actor: ada, action: "user.role_changed", target: { type: "user", id: "u-9" }, before: { role: "user" }, after: { role: "admin" }, ip: "10.1.1.1", requestId: "req-1" });
      await recordAudit({ ...deps, now: () => day("11") }, { actor: bo, action: "taxonomy.entry_renamed", target: { type: "profession", id: "p-1" }, before: { kind: "professions", slug: "larare", label_sv: "Lärare", label_en: "Teacher" }, after: { kind: "professions", slug: "larare", label_sv: "=Lärare+1", label_en: "Teacher, \"senior\"" } });
      await recordAudit({ ...deps, now: () => day("12", "23:30:00") }, { actor: { kind: "cli" }, action: "user.created", target: { type: "user", id: "u-10" }, before: null, after: { email: "new@skola.se", role: "user", active: true, email_verified: true } });
      for (let i = 0; i < 5; i++) await recordAudit({ ...deps, now: () => day("13", `0${i}:00:00`) }, { actor: ada, action: "profile.updated", target: { type: "user", id: "u-ada" }, before: { first_name: `A${i}` }, after: { first_name: `B${i}` } });
    });
    afterAll(async () => t?.close());

    async function list(query: string) {
      const admin = await t.loggedIn("admin");
      const res = await admin.get(`/api/v1/admin/audit?${query}`);
      expect(res.status).toBe(200);
      return res.body as { items: Item[]; total: number; page: number; page_size: number };
    }
    const inFeb = "from=2026-02-01&to=2026-02-28";

    test("newest first, paged, with a total", async () => {
      const p1 = await list(`${inFeb}&page_size=3`);
      expect(p1.total).toBe(8);
      expect(p1.items.map((i) => i.action)).toEqual(["profile.updated", "profile.updated", "profile.updated"]);
      expect(p1.items[0]!.created_at).toBe("2026-02-13T04:00:00.000Z");
      const p3 = await list(`${inFeb}&page_size=3&page=3`);
      expect(p3.items.map((i) => i.action)).toEqual(["taxonomy.entry_renamed", "user.role_changed"]);
      expect(p3.page).toBe(3);
    });

    test("filters: time range (a bare to-date is the whole day), actor, action, target type, free text", async () => {
      expect((await list("from=2026-02-11&to=2026-02-12")).items.map((i) => i.action)).toEqual(["user.created", "taxonomy.entry_renamed"]);
      expect((await list(`${inFeb}&actor=LOVELACE`)).total).toBe(6);
      expect((await list(`${inFeb}&actor=u-bo`)).items.map((i) => i.action)).toEqual(["taxonomy.entry_renamed"]);
      expect((await list(`${inFeb}&actor=cli`)).items.map((i) => i.action)).toEqual(["user.created"]);
      expect((await list(`${inFeb}&action=user.role_changed`)).items.map((i) => i.target_id)).toEqual(["u-9"]);
      expect((await list(`${inFeb}&target_type=profession`)).total).toBe(1);
      // free text reaches into before/after and the ip
      expect((await list(`${inFeb}&q=teacher`)).items.map((i) => i.action)).toEqual(["taxonomy.entry_renamed"]);
      expect((await list(`${inFeb}&q=10.1.1`)).items.map((i) => i.action)).toEqual(["user.role_changed"]);
      // LIKE wildcards in the text are literal
      expect((await list(`${inFeb}&q=%25`)).total).toBe(0);
      const admin = await t.loggedIn("admin");
      const bad = await admin.get("/api/v1/admin/audit?from=igår");
      expect([bad.status, codeOf(bad.body)]).toEqual([422, "validation.failed"]);
    });

    test("detail has before and after; facets list actions and present target types", async () => {
      const [item] = (await list(`${inFeb}&action=user.role_changed`)).items;
      const admin = await t.loggedIn("admin");
      const res = await admin.get(`/api/v1/admin/audit/${item!.id}`);
      expect(res.body.event).toMatchObject({ action: "user.role_changed", before: { role: "user" }, after: { role: "admin" }, ip: "10.1.1.1", request_id: "req-1", user_agent: null });
      expect(codeOf((await admin.get(`/api/v1/admin/audit/${crypto.randomUUID()}`)).body)).toBe("audit.event_not_found");
      const facets = (await admin.get("/api/v1/admin/audit/facets")).body as { actions: string[]; target_types: string[] };
      expect(facets.actions).toContain("api_key.created");
      expect(facets.target_types).toEqual(expect.arrayContaining(["profession", "user"]));
    });

    test("CSV: streamed, filtered, escaped and formula-safe", async () => {
      const admin = await t.loggedIn("admin");
      const res = await t.raw(`/api/v1/admin/audit.csv?${inFeb}&target_type=profession`, { headers: { cookie: [...admin.jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-\d{8}-\d{6}\.csv"$/);
      const text = await res.text();
      const lines = text.replace(/^\uFEFF/, "").split("\r\n");
      expect(lines[0]).toBe("created_at,actor_id,actor_email,action,target_type,target_id,ip,user_agent,request_id,before,after");
      expect(lines).toHaveLength(3); // header, one row, final newline
      expect(lines[1]).toContain("u-bo,bo@kommun.se,taxonomy.entry_renamed,profession,p-1");
      expect(lines[1]).toContain('""label_sv"":""=Lärare+1""');
      expect(lines[1]).toContain('Teacher, \\""senior\\""');
      const all = await (await t.raw(`/api/v1/admin/audit.csv?${inFeb}`, { headers: { cookie: [...admin.jar].map(([k, v]) => `${k}=${v}`).join("; ") } })).text();
      expect(all.trim().split("\r\n")).toHaveLength(9);
    });

    test("the export reads in batches (keyset) without losing or repeating rows", async () => {
      const ids: string[] = [];
      for await (const e of createAuditQueryRepository(t.store).stream({ from: day("01"), to: day("28") }, 3)) ids.push(e.id);
      expect(ids).toHaveLength(8);
      expect(new Set(ids).size).toBe(8);
    });

    test("the audit log is admins' only", async () => {
      const user = await t.loggedIn("contributor");
      expect((await user.get("/api/v1/admin/audit")).status).toBe(403);
      const k = await t.key("admin", ["admin"]);
      expect((await t.bearer(k.secret, "GET", `/api/v1/admin/audit?${inFeb}`)).body.total).toBe(8);
    });
  });
}
