// Test helper for the run API tests: the identity test app's store and seeded users, plus the run and
// settings routes over a temporary blob store, tool import, multipart posts with the cookie-keeping
// Browser, and a stand-in for the worker that moves runs by writing their rows.
import { Elysia } from "elysia";
import { eq } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { securityHeaders } from "../http/security-headers";
import { identityRoutes } from "../identity/identity.routes";
import { resolveSession } from "../identity/sessions.service";
import { Browser, createTestApp, emailOf, PASSWORDS, type ApiResponse } from "../identity/test-app";
import type { Role } from "../identity/roles.rules";
import { createFsBlobStore } from "../store/blob-store";
import type { TestStoreKind } from "../store/test-db";
import { createToolsDeps, importTool } from "../tools/tools.service";
import * as lite from "./execution.schema.sqlite";
import * as pg from "./execution.schema.pg";
import { createExecutionDeps, type ExecutionDeps } from "./execution.deps";
import { runsRoutes } from "./runs.routes";
import { settingsRoutes } from "./settings.routes";
import type { RunStatus } from "./runs.repository";

export const HELLO_SOURCE = "def run_tool(input_dir, output_dir):\n    return 'hej'\n";

export type ToolSpec = {
  slug: string;
  inputSchema?: unknown[];
  settingsSchema?: unknown[] | null;
  source?: string;
  publish?: boolean;
};

export type FinishSpec = {
  status: Exclude<RunStatus, "queued" | "running">;
  uiPayload?: Record<string, unknown>;
  errorSummary?: string | null;
  stdout?: string;
  stderr?: string;
  /** Written to tool_state (next revision) and recorded as the run's state_rev. */
  state?: Record<string, unknown>;
  artifacts?: { path: string; content: string | Uint8Array }[];
};

export type RunsTestApp = Awaited<ReturnType<typeof createRunsTestApp>>;

export async function createRunsTestApp(kind: TestStoreKind, opts: { maxUploadFiles?: number; maxUploadMb?: number; pollMs?: number; heartbeatMs?: number } = {}) {
  const base = await createTestApp(kind);
  const dataDir = mkdtempSync(join(tmpdir(), "skt-runs-"));
  base.config.storage.data_dir = dataDir;
  if (opts.maxUploadFiles) base.config.storage.max_upload_files = opts.maxUploadFiles;
  if (opts.maxUploadMb) base.config.storage.max_upload_mb = opts.maxUploadMb;
  const blobStore = createFsBlobStore(dataDir);
  const exec: ExecutionDeps = createExecutionDeps({
    store: base.store,
    config: base.config,
    log: base.deps.log,
    blobStore,
    pollMs: opts.pollMs ?? 20,
    heartbeatMs: opts.heartbeatMs,
  });
  const ctx = httpContext({
    trustProxy: false,
    defaultLocale: "sv",
    resolveSession: resolveSession(base.deps),
    authRateLimiter: createRateLimiter({ limit: 10_000 }),
  });
  const app = new Elysia()
    .use(securityHeaders({ hsts: false }))
    .use(errorHandler({ log: base.deps.log, defaultLocale: "sv" }))
    .use(ctx)
    .use(identityRoutes(ctx, base.deps))
    .use(runsRoutes(ctx, exec))
    .use(settingsRoutes(ctx, exec));
  const store = base.store;
  const toolsDeps = createToolsDeps(store);

  async function setRunRow(runId: string, set: Partial<typeof lite.runs.$inferInsert>) {
    if (store.dialect === "sqlite") store.db.update(lite.runs).set(set).where(eq(lite.runs.id, runId)).run();
    else await store.db.update(pg.runs).set(set).where(eq(pg.runs.id, runId));
  }
  async function setJobRow(runId: string, set: Partial<typeof lite.jobs.$inferInsert>) {
    if (store.dialect === "sqlite") store.db.update(lite.jobs).set(set).where(eq(lite.jobs.runId, runId)).run();
    else await store.db.update(pg.jobs).set(set).where(eq(pg.jobs.runId, runId));
  }

  return {
    store,
    config: base.config,
    /** identity deps (users, sessions, audit, log) */
    deps: base.deps,
    users: base.users,
    logLines: base.logLines,
    app,
    exec,
    blobStore,
    dataDir,
    /** An anonymous browser against this app. */
    browser: () => new Browser(app),
    /** A browser logged in as `role` against this app. */
    async as(role: Role): Promise<Browser> {
      const b = new Browser(app);
      const res = await b.post("/api/v1/auth/login", { email: emailOf(role), password: PASSWORDS[role] });
      if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
      return b;
    },
    /** Imports a tool (published unless publish: false) and returns its id. */
    async addTool(spec: ToolSpec): Promise<string> {
      const manifest = { slug: spec.slug, title: `Verktyg ${spec.slug}`, input_schema: spec.inputSchema ?? [], settings_schema: spec.settingsSchema ?? null };
      const r = await importTool(toolsDeps, { manifestText: JSON.stringify(manifest), source: spec.source ?? HELLO_SOURCE, publish: spec.publish ?? true, actor: { kind: "cli" } });
      return r.tool.id;
    },
    /** A multipart POST the way the UI sends it (session cookie + X-CSRF-Token). */
    async postForm(browser: Browser, path: string, form: FormData, { csrf = true }: { csrf?: boolean } = {}): Promise<ApiResponse> {
      if (csrf && browser.csrf === null) await browser.refreshCsrf();
      const headers: Record<string, string> = {};
      if (csrf && browser.csrf) headers["x-csrf-token"] = browser.csrf;
      if (browser.jar.size) headers.cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await app.handle(new Request(`http://localhost${path}`, { method: "POST", headers, body: form }));
      const text = await res.text();
      const body = (res.headers.get("content-type") ?? "").includes("json") && text ? (JSON.parse(text) as Record<string, unknown>) : {};
      return { status: res.status, body, headers: res.headers, cookies: {} };
    },
    /** GET returning the raw Response (downloads, event streams). */
    async raw(browser: Browser | null, path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (browser?.jar.size) headers.set("cookie", [...browser.jar].map(([k, v]) => `${k}=${v}`).join("; "));
      return app.handle(new Request(`http://localhost${path}`, { ...init, headers }));
    },
    /** The worker claimed the run and started its container. */
    async startRun(runId: string, at = new Date()) {
      await setJobRow(runId, { status: "leased", attempts: 1, leaseOwner: "test-worker", leaseExpiresAt: new Date(at.getTime() + 60_000) });
      await setRunRow(runId, { status: "running", startedAt: at });
    },
    /** The worker finished the run: payload, logs, state and artifacts as the real one stores them. */
    async finishRun(runId: string, spec: FinishSpec) {
      const run = await exec.runs.getRun(runId);
      if (!run?.userId) throw new Error(`no run ${runId}`);
      let stateRev: number | null = null;
      if (spec.state) {
        const current = await exec.runs.getToolState(run.userId, run.toolId, run.context);
        const w = await exec.runs.writeToolState({ userId: run.userId, toolId: run.toolId, context: run.context, state: spec.state, expectedRev: current?.rev ?? 0, now: new Date() });
        if (!w.ok) throw new Error("state write conflict in test");
        stateRev = w.rev;
      }
      for (const a of spec.artifacts ?? []) {
        const id = Bun.randomUUIDv7();
        const key = `runs/${runId}/artifacts/${id}`;
        const bytes = typeof a.content === "string" ? new TextEncoder().encode(a.content) : a.content;
        await blobStore.put(key, bytes);
        const row = { id, runId, path: a.path, bytes: bytes.byteLength, sha256: new Bun.CryptoHasher("sha256").update(bytes).digest("hex"), storageKey: key, createdAt: new Date() };
        if (store.dialect === "sqlite") store.db.insert(lite.artifacts).values(row).run();
        else await store.db.insert(pg.artifacts).values(row);
      }
      await setJobRow(runId, { status: "done", leaseOwner: null, leaseExpiresAt: null });
      await setRunRow(runId, {
        status: spec.status,
        uiPayload: spec.uiPayload ?? { contract_version: 2, outputs: [], next_actions: [] },
        errorSummary: spec.errorSummary ?? null,
        stdout: spec.stdout ?? "",
        stderr: spec.stderr ?? "",
        exitCode: 0,
        stateRev,
        startedAt: run.startedAt ?? new Date(),
        finishedAt: new Date(),
      });
    },
    async jobOf(runId: string) {
      if (store.dialect === "sqlite") return store.db.select().from(lite.jobs).where(eq(lite.jobs.runId, runId)).get() ?? null;
      return (await store.db.select().from(pg.jobs).where(eq(pg.jobs.runId, runId)))[0] ?? null;
    },
    async close() {
      await base.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A FormData the run form sends. */
export function runForm(inputs: unknown, files: { name: string; content: string | Uint8Array }[] = [], extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  if (inputs !== undefined) form.append("inputs", typeof inputs === "string" ? inputs : JSON.stringify(inputs));
  for (const f of files) form.append("files", new File([f.content], f.name));
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return form;
}
