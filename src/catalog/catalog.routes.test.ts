// HTTP scenarios of the teacher-facing catalog, on SQLite and (when configured) PostgreSQL: who may
// call what, unpublished tools as 404, facet filters, favorites, instructions seen, the home page.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import type { Browser } from "../identity/test-app";
import { listCatalog } from "./catalog.service";
import { createCatalogTestApp, del, put, type CatalogTestApp } from "./catalog.test-app";

type Item = { slug: string; title: string; summary: string; professions: string[]; categories: string[]; is_favorite: boolean };
type Facet = { slug: string; tool_count: number };
const slugs = (body: Record<string, unknown>, key = "items") => (body[key] as Item[]).map((i) => i.slug);
const counts = (facets: unknown) => Object.fromEntries((facets as Facet[]).map((f) => [f.slug, f.tool_count]));

for (const kind of testStoreKinds()) {
  describe(`catalog API on ${kind}`, () => {
    let t: CatalogTestApp;
    let teacher: Browser;
    let ids: Record<string, { toolId: string; versionId: string }>;

    beforeAll(async () => {
      t = await createCatalogTestApp(kind);
      ids = {
        betyg: await t.addTool({ slug: "betyg-csv", title: "Betyg från CSV", summary: "Sammanställer betyg.", professions: ["larare"], categories: ["administration"] }),
        mentor: await t.addTool({ slug: "mentorssamtal", title: "Mentorssamtal", summary: "Mall för samtal.", professions: ["larare", "specialpedagog"], categories: ["mentorskap"] }),
        schema: await t.addTool({ slug: "schema", title: "Årsschema", summary: "Planera läsåret.", professions: ["rektor", "skoladministrator"], categories: ["administration", "lektionsplanering"] }),
        lektion: await t.addTool({ slug: "lektionsplan", title: "Lektionsplan", summary: "Planera lektioner.", professions: ["larare"], categories: ["lektionsplanering"] }),
        // Tags the taxonomy does not know are not shown (and not filterable) until an admin adds them.
        okand: await t.addTool({ slug: "okand-tagg", title: "Övrigt verktyg", summary: "", professions: ["vaktmastare"], categories: ["ovrigt", "okand"] }),
        utkast: await t.addTool({ slug: "utkast", title: "Utkast", summary: "Inte publicerat.", professions: ["larare"], categories: ["administration"], publish: false }),
      };
      teacher = await t.as("user");
    });
    afterAll(async () => t?.close());

    test("anonymous callers get 401 everywhere; any signed-in role reads the catalog", async () => {
      const anon = t.browser();
      for (const [method, path] of [
        ["GET", "/api/v1/catalog/tools"],
        ["GET", "/api/v1/catalog/tools/betyg-csv"],
        ["GET", "/api/v1/catalog/home"],
        ["PUT", "/api/v1/catalog/tools/betyg-csv/favorite"],
        ["DELETE", "/api/v1/catalog/tools/betyg-csv/favorite"],
        ["POST", "/api/v1/catalog/tools/betyg-csv/seen"],
      ] as const) {
        const r = await anon.call(method, path, undefined);
        expect({ method, path, status: r.status }).toEqual({ method, path, status: 401 });
      }
      for (const role of ["user", "contributor", "admin", "superuser"] as const) {
        const b = await t.as(role);
        expect((await b.get("/api/v1/catalog/tools")).status).toBe(200);
        expect((await b.get("/api/v1/catalog/tools/betyg-csv")).status).toBe(200);
        expect((await b.get("/api/v1/catalog/home")).status).toBe(200);
      }
    });

    test("the list holds published tools in Swedish title order with their known tags and the facets", async () => {
      const r = await teacher.get("/api/v1/catalog/tools");
      expect(r.status).toBe(200);
      // "Årsschema" and "Övrigt verktyg" sort after z, as in Swedish.
      expect(slugs(r.body)).toEqual(["betyg-csv", "lektionsplan", "mentorssamtal", "schema", "okand-tagg"]);
      const items = r.body.items as Item[];
      expect(items.find((i) => i.slug === "mentorssamtal")).toEqual({
        slug: "mentorssamtal",
        title: "Mentorssamtal",
        summary: "Mall för samtal.",
        professions: ["larare", "specialpedagog"],
        categories: ["mentorskap"],
        is_favorite: false,
      });
      // tags in taxonomy order, whatever order tool.json listed them in
      expect(items.find((i) => i.slug === "schema")).toMatchObject({ professions: ["skoladministrator", "rektor"], categories: ["lektionsplanering", "administration"] });
      expect(items.find((i) => i.slug === "okand-tagg")).toMatchObject({ professions: [], categories: ["ovrigt"] });
      expect((r.body.professions as Facet[]).map((f) => f.slug)).toEqual(["larare", "specialpedagog", "skoladministrator", "rektor", "gemensamt"]);
      expect(r.body.professions).toContainEqual({ slug: "larare", label_sv: "Lärare", label_en: "Teacher", sort_order: 1, tool_count: 3 });
      expect(counts(r.body.categories)).toEqual({ lektionsplanering: 2, mentorskap: 1, administration: 2, ovrigt: 1 });
    });

    test("facet filters: any value within a facet, every facet across", async () => {
      const list = async (qs: string) => slugs((await teacher.get(`/api/v1/catalog/tools?${qs}`)).body);
      expect(await list("professions=larare")).toEqual(["betyg-csv", "lektionsplan", "mentorssamtal"]);
      expect(await list("professions=specialpedagog,rektor")).toEqual(["mentorssamtal", "schema"]);
      expect(await list("professions=specialpedagog&professions=rektor")).toEqual(["mentorssamtal", "schema"]);
      expect(await list("categories=administration")).toEqual(["betyg-csv", "schema"]);
      expect(await list("professions=larare&categories=administration")).toEqual(["betyg-csv"]);
      expect(await list("professions=larare,rektor&categories=lektionsplanering,mentorskap")).toEqual(["lektionsplan", "mentorssamtal", "schema"]);
      expect(await list("professions=gemensamt")).toEqual([]);
      // a slug no entry has (a stale bookmark) matches nothing rather than everything
      expect(await list("professions=vaktmastare")).toEqual([]);
      expect(await list("professions=vaktmastare,rektor")).toEqual(["schema"]);
      expect(await list("professions=&categories=")).toHaveLength(5);
    });

    test("facet counts apply the search and the other facet, not the facet's own selection", async () => {
      const r = await teacher.get("/api/v1/catalog/tools?professions=larare&categories=administration");
      // professions counted among administration tools: betyg-csv (larare), schema (rektor, skoladministrator)
      expect(counts(r.body.professions)).toEqual({ larare: 1, specialpedagog: 0, skoladministrator: 1, rektor: 1, gemensamt: 0 });
      // categories counted among larare tools: betyg-csv, lektionsplan, mentorssamtal
      expect(counts(r.body.categories)).toEqual({ lektionsplanering: 1, mentorskap: 1, administration: 1, ovrigt: 0 });
      const s = await teacher.get("/api/v1/catalog/tools?q=planera");
      expect(slugs(s.body).sort()).toEqual(["lektionsplan", "schema"]);
      expect(counts(s.body.categories)).toEqual({ lektionsplanering: 2, mentorskap: 0, administration: 1, ovrigt: 0 });
    });

    test("limit and offset page the items; total and facet counts cover every match", async () => {
      const all = await teacher.get("/api/v1/catalog/tools?professions=larare");
      expect(all.body.total).toBe(3);
      const page = await teacher.get("/api/v1/catalog/tools?professions=larare&limit=2&offset=1");
      expect(slugs(page.body)).toEqual(["lektionsplan", "mentorssamtal"]);
      expect(page.body.total).toBe(3);
      expect(page.body.categories).toEqual(all.body.categories);
      expect(slugs((await teacher.get("/api/v1/catalog/tools?limit=1")).body)).toEqual(["betyg-csv"]);
      expect(slugs((await teacher.get("/api/v1/catalog/tools?offset=4")).body)).toEqual(["okand-tagg"]);
      expect(slugs((await teacher.get("/api/v1/catalog/tools?offset=99")).body)).toEqual([]);
      for (const qs of ["limit=0", "offset=-1", "limit=abc"]) expect((await teacher.get(`/api/v1/catalog/tools?${qs}`)).status).toBe(422);
    });

    test("invalid query parameters are 422", async () => {
      const r = await teacher.get(`/api/v1/catalog/tools?q=${"x".repeat(201)}`);
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ error: { code: "validation.failed" } });
    });

    test("a tool's page shows the active version; unpublished and missing tools are 404 alike", async () => {
      const r = await teacher.get("/api/v1/catalog/tools/betyg-csv");
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        slug: "betyg-csv",
        title: "Betyg från CSV",
        summary: "Sammanställer betyg.",
        professions: ["larare"],
        categories: ["administration"],
        is_favorite: false,
        usage_instructions: "",
        input_schema: [],
        settings_schema: null,
        version: 1,
        updated_at: expect.stringMatching(/^2026-03-02T/),
        instructions_changed_since_seen: false,
        instructions_seen_version: null,
      });
      for (const b of [teacher, await t.as("admin")]) {
        for (const slug of ["utkast", "finns-inte"]) {
          for (const [method, path] of [
            ["GET", `/api/v1/catalog/tools/${slug}`],
            ["PUT", `/api/v1/catalog/tools/${slug}/favorite`],
            ["DELETE", `/api/v1/catalog/tools/${slug}/favorite`],
            ["POST", `/api/v1/catalog/tools/${slug}/seen`],
          ] as const) {
            const res = await b.call(method, path, undefined);
            expect({ path, method, status: res.status, code: (res.body.error as { code: string }).code }).toEqual({ path, method, status: 404, code: "catalog.tool_not_found" });
          }
        }
      }
      expect(slugs((await teacher.get("/api/v1/catalog/tools?q=utkast")).body)).toEqual([]);
    });

    test("favorites: idempotent PUT and DELETE, per user, shown in the list, the page and home", async () => {
      const b = await t.as("contributor");
      expect((await put(b, "/api/v1/catalog/tools/schema/favorite")).body).toEqual({ slug: "schema", is_favorite: true });
      expect((await put(b, "/api/v1/catalog/tools/schema/favorite")).status).toBe(200);
      expect((await put(b, "/api/v1/catalog/tools/betyg-csv/favorite")).status).toBe(200);
      expect((await b.get("/api/v1/catalog/tools/schema")).body.is_favorite).toBe(true);
      const listed = await b.get("/api/v1/catalog/tools");
      const list = listed.body.items as Item[];
      expect(list.filter((i) => i.is_favorite).map((i) => i.slug)).toEqual(["betyg-csv", "schema"]);
      // the route sends pre-encoded bytes (listCatalogBody): the same answer as listCatalog's object,
      // with the context's headers (request id) on it
      expect(listed.body).toEqual(await listCatalog(t.deps, { viewer: { id: t.users.contributor }, professions: [], categories: [] }));
      expect(listed.headers.get("content-type")).toBe("application/json");
      expect(listed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const searched = await b.get("/api/v1/catalog/tools?q=planera&categories=lektionsplanering");
      expect(searched.body).toEqual(await listCatalog(t.deps, { viewer: { id: t.users.contributor }, q: "planera", professions: [], categories: ["lektionsplanering"] }));
      // another user's view is unaffected
      expect(((await teacher.get("/api/v1/catalog/tools")).body.items as Item[]).some((i) => i.is_favorite)).toBe(false);
      expect(slugs((await b.get("/api/v1/catalog/home")).body, "favorites")).toEqual(["betyg-csv", "schema"]);

      expect((await del(b, "/api/v1/catalog/tools/betyg-csv/favorite")).body).toEqual({ slug: "betyg-csv", is_favorite: false });
      expect((await del(b, "/api/v1/catalog/tools/betyg-csv/favorite")).status).toBe(200);
      expect(slugs((await b.get("/api/v1/catalog/home")).body, "favorites")).toEqual(["schema"]);
      // CSRF applies to favorites like to every change
      const noCsrf = await b.call("PUT", "/api/v1/catalog/tools/lektionsplan/favorite", undefined, { csrf: false });
      expect(noCsrf.status).toBe(403);
    });

    test("instructions seen: unchanged on a first visit, changed after a new version with other instructions", async () => {
      const slug = "instruktioner";
      const v1 = await t.addTool({ slug, title: "Instruktioner", instructions: "Ladda upp en CSV-fil." });
      const page = async () => (await teacher.get(`/api/v1/catalog/tools/${slug}`)).body;
      expect(await page()).toMatchObject({ version: 1, instructions_changed_since_seen: false, instructions_seen_version: null });

      expect((await teacher.post(`/api/v1/catalog/tools/${slug}/seen`)).body).toEqual({ version: 1, instructions_changed_since_seen: false });
      expect(await page()).toMatchObject({ instructions_changed_since_seen: false, instructions_seen_version: 1 });

      // v2 changes only the script: the instructions are the same, so nothing to read again
      await t.addTool({ slug, title: "Instruktioner", instructions: "Ladda upp en CSV-fil.", source: "def run_tool(i, o):\n    return 'v2'\n" });
      expect(await page()).toMatchObject({ version: 2, instructions_changed_since_seen: false, instructions_seen_version: 1 });

      // v3 rewrites the instructions
      await t.addTool({ slug, title: "Instruktioner", instructions: "Ladda upp en CSV-fil med rubrikrad.", source: "def run_tool(i, o):\n    return 'v3'\n" });
      expect(await page()).toMatchObject({ version: 3, usage_instructions: "Ladda upp en CSV-fil med rubrikrad.", instructions_changed_since_seen: true, instructions_seen_version: 1 });
      // another user never saw them: no "changed" badge for a first visit
      expect((await (await t.as("admin")).get(`/api/v1/catalog/tools/${slug}`)).body).toMatchObject({ instructions_changed_since_seen: false, instructions_seen_version: null });

      // the page says which version it showed: marking an older one keeps the badge
      expect((await teacher.post(`/api/v1/catalog/tools/${slug}/seen`, { version: 2 })).body).toEqual({ version: 2, instructions_changed_since_seen: true });
      expect((await teacher.post(`/api/v1/catalog/tools/${slug}/seen`, { version: 3 })).body).toEqual({ version: 3, instructions_changed_since_seen: false });
      expect(await page()).toMatchObject({ instructions_changed_since_seen: false, instructions_seen_version: 3 });
      const missing = await teacher.post(`/api/v1/catalog/tools/${slug}/seen`, { version: 9 });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: { code: "catalog.version_not_found", details: { version: 9 } } });
      expect((await teacher.post(`/api/v1/catalog/tools/${slug}/seen`, { version: 0 })).status).toBe(422);
      expect(v1.version).toBe(1);
    });

    test("home: recently run (production, own, published) and newly published tools", async () => {
      const b = await t.as("superuser");
      t.advance(10);
      await t.run("superuser", ids.betyg!);
      t.advance(1);
      await t.run("superuser", ids.schema!);
      t.advance(1);
      await t.run("superuser", ids.betyg!);
      await t.run("superuser", ids.lektion!, "sandbox");
      await t.run("user", ids.mentor!);
      const home = (await b.get("/api/v1/catalog/home")).body;
      expect(slugs(home, "recent")).toEqual(["betyg-csv", "schema"]);
      expect((home.recent as { last_run_at: string }[])[0]!.last_run_at).toBe(t.now().toISOString());
      expect((home.recent as Item[])[0]).toMatchObject({ title: "Betyg från CSV", professions: ["larare"], categories: ["administration"], is_favorite: false });

      t.advance(1);
      const nytt = await t.addTool({ slug: "nytt-verktyg", title: "Nytt verktyg" });
      await t.addTool({ slug: "nytt-utkast", title: "Nytt utkast", publish: false });
      const fresh = (await b.get("/api/v1/catalog/home")).body.new as (Item & { published_at: string })[];
      expect(fresh[0]).toMatchObject({ slug: "nytt-verktyg", published_at: t.now().toISOString() });
      expect(fresh.map((i) => i.slug)).not.toContain("nytt-utkast");
      expect(fresh.length).toBeLessThanOrEqual(6);

      // an unpublished tool leaves every list (its favorite and runs stay, and come back with it)
      await put(b, "/api/v1/catalog/tools/nytt-verktyg/favorite");
      await t.run("superuser", nytt);
      await t.unpublish(nytt.toolId);
      const after = (await b.get("/api/v1/catalog/home")).body;
      for (const key of ["favorites", "recent", "new"]) expect(slugs(after, key)).not.toContain("nytt-verktyg");
      expect(slugs((await b.get("/api/v1/catalog/tools")).body)).not.toContain("nytt-verktyg");
    });
  });
}
