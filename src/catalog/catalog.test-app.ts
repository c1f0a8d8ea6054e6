// Test helper for the catalog HTTP tests: the identity test app's store, clock and seeded users (one
// per role) plus the catalog and taxonomy routes, tool import through the real tools service (so the
// sync triggers see what production writes), and production/sandbox runs for "recently run".
import { Elysia } from "elysia";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { identityRoutes } from "../identity/identity.routes";
import { resolveSession } from "../identity/sessions.service";
import { Browser, createTestApp, emailOf, PASSWORDS, type ApiResponse } from "../identity/test-app";
import type { Role } from "../identity/roles.rules";
import type { TestStoreKind } from "../store/test-db";
import { createToolsDeps, importTool } from "../tools/tools.service";
import { createRunsRepository } from "../execution/runs.repository";
import { createCatalogDeps } from "./catalog.deps";
import { catalogRoutes } from "./catalog.routes";
import { taxonomyRoutes } from "./taxonomy.routes";

export type ToolSpec = {
  slug: string;
  title?: string;
  summary?: string;
  instructions?: string;
  professions?: string[];
  categories?: string[];
  /** Default true: import with --publish. */
  publish?: boolean;
  /** Changes the script, so importing again makes a new version. */
  source?: string;
};

export type CatalogTestApp = Awaited<ReturnType<typeof createCatalogTestApp>>;

export async function createCatalogTestApp(kind: TestStoreKind) {
  const base = await createTestApp(kind);
  const deps = createCatalogDeps({ store: base.store, now: base.deps.now });
  const ctx = httpContext({
    trustProxy: false,
    defaultLocale: "sv",
    resolveSession: resolveSession(base.deps),
    authRateLimiter: createRateLimiter({ limit: 10_000 }),
  });
  const app = new Elysia()
    .use(errorHandler({ log: base.deps.log, defaultLocale: "sv" }))
    .use(ctx)
    .use(identityRoutes(ctx, base.deps))
    .use(catalogRoutes(ctx, deps))
    .use(taxonomyRoutes(ctx, deps));
  const toolsDeps = createToolsDeps(base.store, base.deps.now);
  const runs = createRunsRepository(base.store);

  return {
    store: base.store,
    deps,
    users: base.users,
    app,
    advance: base.advance,
    now: base.deps.now,
    /** Audit actions in order, optionally only those about one target. */
    auditActions: base.auditActions,
    audit: base.deps.audit,
    browser: () => new Browser(app),
    async as(role: Role): Promise<Browser> {
      const b = new Browser(app);
      const res = await b.post("/api/v1/auth/login", { email: emailOf(role), password: PASSWORDS[role] });
      if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
      return b;
    },
    /** Imports (or re-imports) a tool folder's content; returns the tool and the version the content is in. */
    async addTool(spec: ToolSpec): Promise<{ toolId: string; versionId: string; version: number }> {
      const manifest = {
        slug: spec.slug,
        title: spec.title ?? `Verktyg ${spec.slug}`,
        summary: spec.summary ?? "",
        usage_instructions: spec.instructions ?? "",
        professions: spec.professions ?? [],
        categories: spec.categories ?? [],
      };
      const source = spec.source ?? "def run_tool(input_dir, output_dir):\n    return 'hej'\n";
      const r = await importTool(toolsDeps, { manifestText: JSON.stringify(manifest), source, publish: spec.publish ?? true, actor: { kind: "cli" } });
      return { toolId: r.tool.id, versionId: r.version.id, version: r.version.number };
    },
    /** Unpublishes a tool directly in the store (no service does it yet). */
    async unpublish(toolId: string): Promise<void> {
      const ok = await toolsDeps.tools.applyStateChanges({ toolId, changes: [], isPublished: false, now: base.deps.now() });
      if (!ok) throw new Error("unpublish failed");
    },
    /** A queued run of the tool's version by `role`'s user at the current test time. */
    async run(role: Role, tool: { toolId: string; versionId: string }, kind: "production" | "sandbox" = "production"): Promise<void> {
      await runs.createQueuedRun({
        id: Bun.randomUUIDv7(),
        toolId: tool.toolId,
        toolVersionId: tool.versionId,
        userId: base.users[role],
        kind,
        inputs: {},
        action: null,
        context: "default",
        files: [],
        now: base.deps.now(),
      });
    },
    close: () => base.close(),
  };
}

export async function put(b: Browser, path: string, body?: unknown): Promise<ApiResponse> {
  return b.call("PUT", path, body);
}
export async function del(b: Browser, path: string): Promise<ApiResponse> {
  return b.call("DELETE", path, undefined);
}
