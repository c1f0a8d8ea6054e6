// Every registered route declares its permission, and the permission holds for every role: a table
// over app.routes, so a new route without `permission` (or with a wrong one) fails here.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp, type App } from "./app";
import { API_DOCS_PLUGIN_ROUTES } from "./api-docs";
import { defaultConfig } from "../config/config.keys";
import { createLogger } from "../log/logger";
import { createMetrics } from "../ops/metrics";
import { openTestStore } from "../store/test-db";
import type { Store } from "../store/db";
import { createIdentityDeps, type IdentityDeps } from "../identity/identity.deps";
import { startSession } from "../identity/sessions.service";
import { createUser } from "../identity/users.service";
import { createExecutionDeps } from "../execution/execution.deps";
import { createFsBlobStore } from "../store/blob-store";
import { tmpdir } from "node:os";
import { Browser, PASSWORDS, emailOf } from "../identity/test-app";
import { PERMISSIONS, ROLES, checkPermission, type Permission, type Role } from "../identity/roles.rules";

type Actor = Role | "anonymous";
const ACTORS: Actor[] = ["anonymous", ...ROLES];

let app: App;
let store: Store;
let identityDeps: IdentityDeps;
const userIds = new Map<Role, string>();

beforeAll(async () => {
  store = await openTestStore("sqlite");
  const config = defaultConfig();
  config.auth.rate_limit_per_minute = 100_000;
  const log = createLogger({ write: () => {} });
  const metrics = createMetrics({ defaults: false });
  const identity = createIdentityDeps({ store, config, log, metrics, mailer: { send: async () => {} } });
  config.storage.data_dir = `${tmpdir()}/skt-perm-${crypto.randomUUID()}`;
  const execution = createExecutionDeps({ store, config, log, metrics, blobStore: createFsBlobStore(config.storage.data_dir) });
  app = createApp({ config, log, store, metrics, identity, execution, assets: {}, version: "test" });
  identityDeps = identity;
  for (const role of ROLES) {
    const { user } = await createUser(identity, { email: emailOf(role), role, password: PASSWORDS[role], actor: { kind: "cli" } });
    userIds.set(role, user.id);
  }
});
afterAll(async () => store?.close());

/** The permission a route declared, read back from its OpenAPI security requirement. */
function declaredPermission(detail: unknown): Permission | undefined {
  const security = (detail as { security?: { session?: string[] }[] } | undefined)?.security;
  if (!Array.isArray(security)) return undefined;
  if (security.length === 0) return "public";
  const p = security[0]?.session?.[0];
  return (PERMISSIONS as readonly string[]).includes(p ?? "") ? (p as Permission) : undefined;
}

function routeTable() {
  return app.routes
    .filter((r) => !API_DOCS_PLUGIN_ROUTES.includes(`${r.method} ${r.path}`))
    .map((r) => ({ method: r.method, path: r.path, permission: declaredPermission((r.hooks as { detail?: unknown }).detail) }));
}

// A session started directly (what a successful login does), not through POST /auth/login: the table makes
// hundreds of sessions, and an argon2 verify per row would make the test minutes long. Login itself has
// its own tests.
async function browserFor(actor: Actor): Promise<Browser> {
  const b = new Browser(app);
  if (actor === "anonymous") return b;
  const started = await startSession(identityDeps, userIds.get(actor)!, { ip: "127.0.0.1", userAgent: "route-permissions.test" });
  b.jar.set("skriptoteket_session", started.token);
  b.csrf = started.csrfToken;
  return b;
}

describe("route permissions", () => {
  test("every route declares a permission", () => {
    const routes = routeTable();
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !r.permission).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  test("each route answers 401/403 exactly to the actors below its permission", async () => {
    const failures: string[] = [];
    for (const route of routeTable()) {
      const path = route.path.replace(/:[a-z_]+/g, crypto.randomUUID()).replace(/\*$/, "probe");
      for (const actor of ACTORS) {
        // a fresh session per call: logout and password changes must not spoil the next row
        const b = await browserFor(actor);
        const res = await b.call(route.method, path, route.method === "GET" ? undefined : {});
        const code = (res.body as { error?: { code?: string } }).error?.code;
        const verdict = checkPermission(route.permission!, actor === "anonymous" ? null : actor);
        const denied = code === "auth.required" || code === "auth.forbidden" || code === "csrf.invalid";
        const ok =
          verdict === "anonymous" ? res.status === 401 && code === "auth.required" : verdict === "forbidden" ? res.status === 403 && code === "auth.forbidden" : !denied;
        if (!ok) failures.push(`${route.method} ${route.path} as ${actor}: expected ${verdict}, got ${res.status} ${code ?? ""}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  test("mutating routes refuse a request without X-CSRF-Token for every signed-in role", async () => {
    const failures: string[] = [];
    for (const route of routeTable().filter((r) => r.method !== "GET")) {
      const path = route.path.replace(/:[a-z_]+/g, crypto.randomUUID());
      for (const actor of ROLES) {
        if (checkPermission(route.permission!, actor) !== "ok") continue;
        const b = await browserFor(actor);
        const res = await b.call(route.method, path, {}, { csrf: false });
        const code = (res.body as { error?: { code?: string } }).error?.code;
        if (res.status !== 403 || code !== "csrf.invalid") failures.push(`${route.method} ${route.path} as ${actor}: ${res.status} ${code}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
