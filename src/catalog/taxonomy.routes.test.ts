// HTTP scenarios of the taxonomy admin API, on SQLite and (when configured) PostgreSQL: reading for
// everyone signed in, changes for admins only, and the audit events each change writes (or not).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import type { Browser } from "../identity/test-app";
import { createCatalogTestApp, del, put, type CatalogTestApp } from "./catalog.test-app";

type Entry = { slug: string; label_sv: string; label_en: string; sort_order: number; tool_count: number };
const order = (body: Record<string, unknown>) => (body.items as Entry[]).map((e) => e.slug);

for (const kind of testStoreKinds()) {
  describe(`taxonomy API on ${kind}`, () => {
    let t: CatalogTestApp;
    let admin: Browser;

    beforeAll(async () => {
      t = await createCatalogTestApp(kind);
      admin = await t.as("admin");
      await t.addTool({ slug: "betyg-csv", title: "Betyg från CSV", professions: ["larare"], categories: ["administration", "elevhalsa"] });
      await t.addTool({ slug: "narvaro", title: "Närvaro", professions: ["larare", "rektor"], categories: ["administration"], publish: false });
    });
    afterAll(async () => t?.close());

    const taxonomyActions = async () => (await t.auditActions()).filter((a) => a.startsWith("taxonomy."));

    test("the seeded taxonomies, in order, with published tool counts", async () => {
      const user = await t.as("user");
      const p = await user.get("/api/v1/catalog/professions");
      expect(p.status).toBe(200);
      expect(p.body.items).toEqual([
        { slug: "larare", label_sv: "Lärare", label_en: "Teacher", sort_order: 1, tool_count: 1 },
        { slug: "specialpedagog", label_sv: "Specialpedagog", label_en: "Special needs educator", sort_order: 2, tool_count: 0 },
        { slug: "skoladministrator", label_sv: "Skoladministratör", label_en: "School administrator", sort_order: 3, tool_count: 0 },
        { slug: "rektor", label_sv: "Rektor", label_en: "Principal", sort_order: 4, tool_count: 0 },
        { slug: "gemensamt", label_sv: "Gemensamt", label_en: "Everyone", sort_order: 5, tool_count: 0 },
      ]);
      const c = await user.get("/api/v1/catalog/categories");
      expect((c.body.items as Entry[]).map((e) => [e.slug, e.label_sv, e.label_en])).toEqual([
        ["lektionsplanering", "Lektionsplanering", "Lesson planning"],
        ["mentorskap", "Mentorskap", "Mentoring"],
        ["administration", "Administration", "Administration"],
        ["ovrigt", "Övrigt", "Other"],
      ]);
    });

    test("changes are for admins and superusers; users and contributors get 403, anonymous 401, and nothing changes", async () => {
      const calls = [
        ["POST", "/api/v1/catalog/professions", { slug: "fritidspedagog", label_sv: "Fritidspedagog", label_en: "After-school teacher" }],
        ["PATCH", "/api/v1/catalog/professions/larare", { label_sv: "Lärare!" }],
        ["PUT", "/api/v1/catalog/professions/order", { slugs: ["rektor", "larare", "specialpedagog", "skoladministrator", "gemensamt"] }],
        ["DELETE", "/api/v1/catalog/categories/ovrigt", undefined],
      ] as const;
      for (const [role, status] of [
        ["anonymous", 401],
        ["user", 403],
        ["contributor", 403],
      ] as const) {
        const b = role === "anonymous" ? t.browser() : await t.as(role);
        for (const [method, path, body] of calls) {
          const r = await b.call(method, path, body);
          expect({ role, method, path, status: r.status }).toEqual({ role, method, path, status });
        }
      }
      expect(order((await admin.get("/api/v1/catalog/professions")).body)).toEqual(["larare", "specialpedagog", "skoladministrator", "rektor", "gemensamt"]);
      expect(await taxonomyActions()).toEqual([]);
    });

    test("add: appended last, audited; a duplicate slug is 409 and a bad slug or label 422", async () => {
      const r = await admin.post("/api/v1/catalog/categories", { slug: "elevhalsa", label_sv: "  Elevhälsa ", label_en: "Student   health" });
      expect(r.status).toBe(201);
      // betyg-csv already listed "elevhalsa" in its tool.json: the new entry links it at once
      expect(r.body.entry).toEqual({ slug: "elevhalsa", label_sv: "Elevhälsa", label_en: "Student health", sort_order: 5, tool_count: 1 });
      const tool = await (await t.as("user")).get("/api/v1/catalog/tools/betyg-csv");
      expect(tool.body.categories).toEqual(["administration", "elevhalsa"]);

      const dup = await admin.post("/api/v1/catalog/categories", { slug: "elevhalsa", label_sv: "X", label_en: "X" });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ error: { code: "taxonomy.slug_taken" } });
      const bad = await admin.post("/api/v1/catalog/categories", { slug: "Elev Hälsa", label_sv: " ", label_en: "ok" });
      expect(bad.status).toBe(422);
      expect((bad.body.error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(["/slug", "/label_sv"]);

      const su = await t.as("superuser");
      expect((await su.post("/api/v1/catalog/professions", { slug: "fritidspedagog", label_sv: "Fritidspedagog", label_en: "After-school teacher" })).status).toBe(201);
      expect(await taxonomyActions()).toEqual(["taxonomy.entry_created", "taxonomy.entry_created"]);
      const events = await t.audit.list({ action: "taxonomy.entry_created" });
      expect(events.map((e) => [e.actorId, e.targetType, e.before, e.after])).toContainEqual([
        t.users.admin,
        "category",
        null,
        { kind: "categories", slug: "elevhalsa", label_sv: "Elevhälsa", label_en: "Student health", sort_order: 5 },
      ]);
    });

    test("rename: labels only, audited once; an unknown slug is 404", async () => {
      const before = (await taxonomyActions()).length;
      const r = await admin.patch("/api/v1/catalog/professions/rektor", { label_en: "Head teacher" });
      expect(r.status).toBe(200);
      expect(r.body.entry).toEqual({ slug: "rektor", label_sv: "Rektor", label_en: "Head teacher", sort_order: 4, tool_count: 0 });
      // the same labels again change nothing and write no event
      expect((await admin.patch("/api/v1/catalog/professions/rektor", { label_en: "Head teacher" })).status).toBe(200);
      expect((await taxonomyActions()).slice(before)).toEqual(["taxonomy.entry_renamed"]);
      const events = await t.audit.list({});
      const renamed = events.find((e) => e.action === "taxonomy.entry_renamed");
      expect(renamed).toMatchObject({
        actorId: t.users.admin,
        targetType: "profession",
        before: { kind: "professions", slug: "rektor", label_sv: "Rektor", label_en: "Principal" },
        after: { kind: "professions", slug: "rektor", label_sv: "Rektor", label_en: "Head teacher" },
      });
      expect((await admin.patch("/api/v1/catalog/professions/finns-inte", { label_sv: "X" })).status).toBe(404);
      expect((await admin.patch("/api/v1/catalog/professions/rektor", {})).status).toBe(422);
    });

    test("reorder: the full list in a new order; repeats are 422, a stale list 409", async () => {
      const next = ["gemensamt", "rektor", "larare", "specialpedagog", "skoladministrator", "fritidspedagog"];
      const r = await put(admin, "/api/v1/catalog/professions/order", { slugs: next });
      expect(r.status).toBe(200);
      expect(order(r.body)).toEqual(next);
      expect((r.body.items as Entry[]).map((e) => e.sort_order)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(order((await (await t.as("user")).get("/api/v1/catalog/professions")).body)).toEqual(next);
      // the catalog's facets and each tool's tags follow the new order
      const list = await (await t.as("user")).get("/api/v1/catalog/tools");
      expect((list.body.professions as Entry[]).map((e) => e.slug)).toEqual(next);

      const stale = await put(admin, "/api/v1/catalog/professions/order", { slugs: next.slice(0, 5) });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ error: { code: "taxonomy.order_mismatch", details: { slugs: ["fritidspedagog"] } } });
      const dup = await put(admin, "/api/v1/catalog/professions/order", { slugs: [...next, "rektor"] });
      expect(dup.status).toBe(422);
      const actions = await taxonomyActions();
      expect(actions.filter((a) => a === "taxonomy.reordered")).toHaveLength(1);
      // the same order again is not a change
      await put(admin, "/api/v1/catalog/professions/order", { slugs: next });
      expect((await taxonomyActions()).filter((a) => a === "taxonomy.reordered")).toHaveLength(1);
    });

    test("remove: refused with 409 naming the tools (published or not) while in use; then removed and audited", async () => {
      const refused = await del(admin, "/api/v1/catalog/professions/larare");
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({
        code: "taxonomy.in_use",
        message: expect.stringContaining("”Betyg från CSV”, ”Närvaro”"),
        details: {
          kind: "professions",
          slug: "larare",
          tools: [
            { slug: "betyg-csv", title: "Betyg från CSV" },
            { slug: "narvaro", title: "Närvaro" },
          ],
        },
      });
      const en = await admin.call("DELETE", "/api/v1/catalog/professions/larare", undefined, { headers: { "accept-language": "en" } });
      expect((en.body.error as { message: string }).message).toBe(
        'The profession "larare" is used by 2 tool(s): "Betyg från CSV", "Närvaro". Remove it from those tools\' tool.json and import them again, or keep the entry.',
      );
      // once no tool lists it any more, it can go
      await t.addTool({ slug: "narvaro", title: "Närvaro", professions: ["rektor"], categories: ["administration"], publish: false });
      await t.addTool({ slug: "betyg-csv", title: "Betyg från CSV", professions: [], categories: ["administration", "elevhalsa"] });
      const ok = await del(admin, "/api/v1/catalog/professions/larare");
      expect(ok.status).toBe(204);
      expect(order((await admin.get("/api/v1/catalog/professions")).body)).not.toContain("larare");
      expect((await del(admin, "/api/v1/catalog/professions/larare")).status).toBe(404);
      const removed = (await t.audit.list({})).find((e) => e.action === "taxonomy.entry_removed");
      expect(removed).toMatchObject({ targetType: "profession", before: { kind: "professions", slug: "larare", label_sv: "Lärare" }, after: null });
      // an unused seeded category goes at once
      expect((await del(admin, "/api/v1/catalog/categories/ovrigt")).status).toBe(204);
    });
  });
}
