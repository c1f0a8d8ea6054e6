// Test helper for the AI HTTP tests: the identity test app (store, clock, one user per role) plus the
// catalog and AI routes, tools imported through the real tools service, and the AI deps pointing at
// an Ollama-compatible test server (or with AI off).
import { Elysia } from "elysia";
import { createCatalogDeps } from "../catalog/catalog.deps";
import { catalogRoutes } from "../catalog/catalog.routes";
import type { Config } from "../config/config.keys";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { identityRoutes } from "../identity/identity.routes";
import type { Role } from "../identity/roles.rules";
import { resolveSession } from "../identity/sessions.service";
import { Browser, createTestApp, emailOf, PASSWORDS } from "../identity/test-app";
import type { TestStoreKind } from "../store/test-db";
import { createToolsDeps, importTool } from "../tools/tools.service";
import { createAiClient } from "./ai-client";
import { createAiDeps } from "./ai.deps";
import { aiRoutes } from "./ai.routes";

export type AiToolSpec = { slug: string; title: string; summary?: string; instructions?: string; publish?: boolean; source?: string };

export type AiTestApp = Awaited<ReturnType<typeof createAiTestApp>>;

/** `ai` = the [ai] section to use (testAiConfig(fake) for AI on; defaults = AI off). */
export async function createAiTestApp(kind: TestStoreKind, ai: Config["ai"]) {
  const base = await createTestApp(kind);
  // the section object itself: identity's deps (GET /meta) hold the same one
  Object.assign(base.config.ai, ai);
  const catalog = createCatalogDeps({ store: base.store, now: base.deps.now });
  // a client of its own per app, so one test's concurrency slots never leak into another's
  const deps = createAiDeps({ store: base.store, config: base.config, log: base.deps.log, catalog, ai: ai.enabled ? createAiClient(ai) : null, now: base.deps.now });
  const ctx = httpContext({ trustProxy: false, defaultLocale: "sv", resolveSession: resolveSession(base.deps), authRateLimiter: createRateLimiter({ limit: 10_000 }) });
  const app = new Elysia()
    .use(errorHandler({ log: base.deps.log, defaultLocale: "sv" }))
    .use(ctx)
    .use(identityRoutes(ctx, base.deps))
    .use(catalogRoutes(ctx, catalog))
    .use(aiRoutes(ctx, deps));
  const toolsDeps = createToolsDeps(base.store, base.deps.now);

  return {
    ...base,
    app,
    ai: deps,
    async as(role: Role): Promise<Browser> {
      const b = new Browser(app);
      const res = await b.post("/api/v1/auth/login", { email: emailOf(role), password: PASSWORDS[role] });
      if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
      return b;
    },
    async addTool(spec: AiToolSpec): Promise<{ toolId: string }> {
      const manifest = { slug: spec.slug, title: spec.title, summary: spec.summary ?? "", usage_instructions: spec.instructions ?? "", professions: [], categories: [] };
      const source = spec.source ?? "def run_tool(input_dir, output_dir):\n    return 'hej'\n";
      const r = await importTool(toolsDeps, { manifestText: JSON.stringify(manifest), source, publish: spec.publish ?? true, actor: { kind: "cli" } });
      return { toolId: r.tool.id };
    },
    async unpublish(toolId: string): Promise<void> {
      if (!(await toolsDeps.tools.applyStateChanges({ toolId, changes: [], isPublished: false, now: base.deps.now() }))) throw new Error("unpublish failed");
    },
    /** A raw request with the browser's cookies and CSRF token: for Server-Sent Events, which Browser would wait out. */
    async raw(b: Browser, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
      if (b.csrf === null) await b.refreshCsrf();
      const headers: Record<string, string> = { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; "), "x-csrf-token": b.csrf ?? "" };
      if (body !== undefined) headers["content-type"] = "application/json";
      return app.handle(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal }));
    },
  };
}

export type SseEvent = { event: string; data: unknown };

/** Reads a whole text/event-stream body into its events (comments and retry lines skipped). */
export async function readEvents(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .map((block) => block.split("\n"))
    .flatMap((lines) => {
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
      const data = lines.find((l) => l.startsWith("data: "))?.slice(6);
      return event && data !== undefined ? [{ event, data: JSON.parse(data) as unknown }] : [];
    });
}
