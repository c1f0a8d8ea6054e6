// Groups admin API and its effect: a tool limited to a group is hidden from the catalog, search and
// home and answers 404 on its page and run API for non-members, while admins and members see it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { testStoreKinds } from "../store/test-db";
import { Browser, emailOf, PASSWORDS, type ApiResponse } from "../identity/test-app";
import type { Role } from "../identity/roles.rules";
import { createRunsTestApp, runForm, type RunsTestApp } from "../execution/runs.test-app";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { resolveSession } from "../identity/sessions.service";
import { identityRoutes } from "../identity/identity.routes";
import { runsRoutes } from "../execution/runs.routes";
import { createCatalogDeps } from "../catalog/catalog.deps";
import { catalogRoutes } from "../catalog/catalog.routes";
import { createGroupsDeps, type GroupsDeps } from "./groups.deps";
import { groupsRoutes } from "./groups.routes";

describe.each(testStoreKinds())("groups routes (%s)", (kind) => {
  let t: RunsTestApp;
  let groups: GroupsDeps;
  let app: { handle(r: Request): Promise<Response> };
  const as = async (role: Role) => {
    const b = new Browser(app);
    const res = await b.post("/api/v1/auth/login", { email: emailOf(role), password: PASSWORDS[role] });
    if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
    return b;
  };
  /** The run form as the UI posts it, against this app (session cookie + CSRF header). */
  const postRun = async (b: Browser, slug: string) => {
    if (b.csrf === null) await b.refreshCsrf();
    const headers = { "x-csrf-token": b.csrf ?? "", cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; ") };
    return (await app.handle(new Request(`http://localhost/api/v1/tools/${slug}/run`, { method: "POST", headers, body: runForm({}) }))).status;
  };
  const put = (b: Browser, path: string, body: unknown) => b.call("PUT", path, body);
  const del = (b: Browser, path: string) => b.call("DELETE", path, undefined);
  const slugs = (r: ApiResponse) => (r.body.items as { slug: string }[]).map((i) => i.slug);
  let admin: Browser;
  let user: Browser;
  let contributor: Browser;

  beforeAll(async () => {
    t = await createRunsTestApp(kind);
    groups = createGroupsDeps({ store: t.store, findUserByEmail: (e) => t.deps.users.findByEmail(e), now: t.deps.now });
    const catalog = createCatalogDeps({ store: t.store, toolAccess: groups.toolAccess });
    const exec = { ...t.exec, toolAccess: groups.toolAccess };
    const ctx = httpContext({ trustProxy: false, defaultLocale: "sv", resolveSession: resolveSession(t.deps), authRateLimiter: createRateLimiter({ limit: 10_000 }) });
    app = new Elysia()
      .use(errorHandler({ log: t.deps.log, defaultLocale: "sv" }))
      .use(ctx)
      .use(identityRoutes(ctx, t.deps))
      .use(catalogRoutes(ctx, catalog))
      .use(runsRoutes(ctx, exec))
      .use(groupsRoutes(ctx, groups));
    await t.addTool({ slug: "oppet" });
    await t.addTool({ slug: "hemligt" });
    admin = await as("admin");
    user = await as("user");
    contributor = await as("contributor");
  });
  afterAll(() => t.close());

  let groupId = "";

  test("admins create, list and rename groups; duplicates and non-admins are refused", async () => {
    const created = await admin.post("/api/v1/admin/groups", { name: "Matematiklärare" });
    expect(created.status).toBe(201);
    groupId = (created.body.group as { id: string }).id;
    expect((await admin.post("/api/v1/admin/groups", { name: "matematiklärare" })).body).toMatchObject({ error: { code: "groups.name_taken" } });
    expect((await admin.post("/api/v1/admin/groups", { name: "   " })).status).toBe(422);
    expect((await user.get("/api/v1/admin/groups")).status).toBe(403);
    expect((await contributor.post("/api/v1/admin/groups", { name: "X" })).status).toBe(403);
    const renamed = await admin.patch(`/api/v1/admin/groups/${groupId}`, { name: "Matte" });
    expect(renamed.body).toMatchObject({ group: { name: "Matte", member_count: 0 } });
    expect((await admin.patch("/api/v1/admin/groups/nope", { name: "Y" })).status).toBe(404);
    const list = await admin.get("/api/v1/admin/groups");
    expect((list.body.items as { name: string }[]).map((g) => g.name)).toEqual(["Matte"]);
  });

  test("limiting a tool hides it from non-members everywhere, and 404s its page and run API", async () => {
    const limited = await put(admin, "/api/v1/admin/tools/hemligt/access", { group_ids: [groupId] });
    expect(limited.body).toMatchObject({ slug: "hemligt", group_ids: [groupId] });
    expect((await put(admin, "/api/v1/admin/tools/hemligt/access", { group_ids: ["nope"] })).body).toMatchObject({ error: { code: "groups.unknown_groups" } });
    expect((await put(admin, "/api/v1/admin/tools/saknas/access", { group_ids: [] })).status).toBe(404);

    expect(slugs(await user.get("/api/v1/catalog/tools"))).toEqual(["oppet"]);
    expect(slugs(await user.get("/api/v1/catalog/tools?q=verktyg"))).toEqual(["oppet"]);
    expect((await user.get("/api/v1/catalog/tools/hemligt")).body).toMatchObject({ error: { code: "catalog.tool_not_found" } });
    expect((await put(user, "/api/v1/catalog/tools/hemligt/favorite", undefined)).status).toBe(404);
    expect(await postRun(user, "hemligt")).toBe(404);
    expect(await postRun(user, "oppet")).toBe(202);
    expect(slugs(await contributor.get("/api/v1/catalog/tools"))).toEqual(["oppet"]);
    // admins always see limited tools
    expect(slugs(await admin.get("/api/v1/catalog/tools")).sort()).toEqual(["hemligt", "oppet"]);
    expect((await admin.get("/api/v1/catalog/tools/hemligt")).status).toBe(200);
  });

  test("members see the tool at once after being added, and lose it at once when removed", async () => {
    const added = await admin.post(`/api/v1/admin/groups/${groupId}/members`, { email: "USER@skola.se" });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ member: { email: "user@skola.se" } });
    expect((await admin.post(`/api/v1/admin/groups/${groupId}/members`, { email: "ingen@skola.se" })).body).toMatchObject({ error: { code: "groups.user_not_found" } });
    expect(slugs(await user.get("/api/v1/catalog/tools")).sort()).toEqual(["hemligt", "oppet"]);
    expect((await user.get("/api/v1/catalog/tools/hemligt")).status).toBe(200);
    expect(await postRun(user, "hemligt")).toBe(202);
    const home = await user.get("/api/v1/catalog/home");
    expect((home.body.recent as { slug: string }[]).map((r) => r.slug)).toContain("hemligt");

    const detail = await admin.get(`/api/v1/admin/groups/${groupId}`);
    expect(detail.body).toMatchObject({ group: { member_count: 1, tool_count: 1 }, tools: [{ slug: "hemligt" }] });
    const userId = (detail.body.members as { user_id: string }[])[0]!.user_id;
    expect((await del(admin, `/api/v1/admin/groups/${groupId}/members/${userId}`)).status).toBe(204);
    expect((await del(admin, `/api/v1/admin/groups/${groupId}/members/${userId}`)).body).toMatchObject({ error: { code: "groups.member_not_found" } });
    expect(slugs(await user.get("/api/v1/catalog/tools"))).toEqual(["oppet"]);
    // the tool run earlier is no longer on the home page either
    const after = await user.get("/api/v1/catalog/home");
    expect((after.body.recent as { slug: string }[]).map((r) => r.slug)).not.toContain("hemligt");
  });

  test("deleting the group opens the tool again; every change is audited", async () => {
    expect((await del(admin, `/api/v1/admin/groups/${groupId}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/admin/groups/${groupId}`)).status).toBe(404);
    expect(slugs(await user.get("/api/v1/catalog/tools")).sort()).toEqual(["hemligt", "oppet"]);
    const actions = (await t.deps.audit.list({})).map((e) => e.action).filter((a) => a.startsWith("group.") || a === "tool.access_changed");
    expect(actions).toEqual(["group.created", "group.renamed", "tool.access_changed", "group.member_added", "group.member_removed", "group.deleted"]);
  });
});
