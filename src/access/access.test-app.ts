// Test helper for the access tests: the whole app (createApp, every feature's routes) over a fresh
// store with seeded accounts, a movable clock shared by identity and access, and helpers to make keys
// and send bearer requests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { createApp, type App } from "../http/app";
import { defaultConfig } from "../config/config.keys";
import { createLogger } from "../log/logger";
import { createMetrics } from "../ops/metrics";
import { openTestStore, type TestStoreKind } from "../store/test-db";
import { createIdentityDeps } from "../identity/identity.deps";
import { createUser } from "../identity/users.service";
import { createExecutionDeps } from "../execution/execution.deps";
import { createFsBlobStore } from "../store/blob-store";
import { Browser, PASSWORDS, emailOf, type ApiResponse } from "../identity/test-app";
import { ROLES, type Role } from "../identity/roles.rules";
import { createToolsDeps, importTool } from "../tools/tools.service";
import * as liteRuns from "../execution/execution.schema.sqlite";
import * as pgRuns from "../execution/execution.schema.pg";
import type { RunStatus } from "../execution/runs.repository";
import { createAccessDeps, type AccessDeps } from "./access.deps";
import { createApiKey, type CreatedKey } from "./api-keys.service";

export type AccessTestApp = Awaited<ReturnType<typeof createAccessTestApp>>;

export async function createAccessTestApp(kind: TestStoreKind, opts: { fetch?: AccessDeps["fetch"] } = {}) {
  const store = await openTestStore(kind);
  const config = defaultConfig();
  config.auth.rate_limit_per_minute = 100_000;
  config.server.public_url = "https://skriptoteket.skola.se";
  config.server.secret = "access-test-secret-0123456789abcdef";
  const dataDir = mkdtempSync(join(tmpdir(), "skt-access-"));
  config.storage.data_dir = dataDir;
  const logLines: string[] = [];
  const log = createLogger({ level: "debug", write: (l) => logLines.push(l) });
  const metrics = createMetrics({ defaults: false });
  // real time plus an offset: device tokens are JWTs checked against the real clock as well
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const identity = createIdentityDeps({ store, config, log, metrics, mailer: { send: async () => {} }, now });
  const blobStore = createFsBlobStore(dataDir);
  const execution = createExecutionDeps({ store, config, log, metrics, blobStore });
  const access = createAccessDeps({ store, config, log, now, devicePollSeconds: 1, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const app: App = createApp({ config, log, store, metrics, identity, execution, access, assets: {}, version: "test" });
  const users = {} as Record<Role, { id: string; email: string; role: Role; locale: null }>;
  for (const role of ROLES) {
    const { user } = await createUser(identity, { email: emailOf(role), role, password: PASSWORDS[role], actor: { kind: "cli" } });
    users[role] = { id: user.id, email: user.email, role, locale: null };
  }
  const meta = { ip: null, userAgent: null, requestId: null };
  const toolsDeps = createToolsDeps(store);

  async function setRunRow(runId: string, set: Partial<typeof liteRuns.runs.$inferInsert>) {
    if (store.dialect === "sqlite") store.db.update(liteRuns.runs).set(set).where(eq(liteRuns.runs.id, runId)).run();
    else await store.db.update(pgRuns.runs).set(set).where(eq(pgRuns.runs.id, runId));
  }

  return {
    app,
    store,
    config,
    access,
    identity,
    execution,
    users,
    logLines,
    now,
    advance(minutes: number) {
      offsetMs += minutes * 60_000;
    },
    async loggedIn(role: Role): Promise<Browser> {
      const b = new Browser(app);
      const res = await b.post("/api/v1/auth/login", { email: emailOf(role), password: PASSWORDS[role] });
      if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
      return b;
    },
    /** A key made through the service (the HTTP path has its own tests). */
    async key(role: Role, scopes: string[], extra: { expiresAt?: string; webhookUrl?: string; label?: string } = {}): Promise<CreatedKey> {
      return createApiKey(access, users[role], { label: extra.label ?? `key ${scopes.join(" ")}`, scopes, expiresAt: extra.expiresAt ?? null, webhookUrl: extra.webhookUrl ?? null }, meta);
    },
    /** A request with `Authorization: Bearer <token>` and no cookies or CSRF header. */
    async bearer(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
      return new Browser(app).call(method, path, body, { csrf: false, headers: { authorization: `Bearer ${token}`, ...headers } });
    },
    async raw(path: string, init: RequestInit = {}): Promise<Response> {
      return app.handle(new Request(`http://localhost${path}`, init));
    },
    async addTool(slug: string, source = "def run_tool(input_dir, output_dir):\n    return 'hej'\n"): Promise<string> {
      const manifest = { slug, title: `Verktyg ${slug}`, input_schema: [], settings_schema: null };
      return (await importTool(toolsDeps, { manifestText: JSON.stringify(manifest), source, publish: true, actor: { kind: "cli" } })).tool.id;
    },
    /** Moves a run to a final status the way the worker's finalize leaves the row. */
    async finishRun(runId: string, status: Exclude<RunStatus, "queued" | "running">) {
      const at = now();
      await setRunRow(runId, { status, startedAt: at, finishedAt: at, exitCode: 0, uiPayload: { contract_version: 2, outputs: [], next_actions: [] } });
    },
    async auditActions(): Promise<string[]> {
      return (await identity.audit.list({ limit: 100_000 })).map((e) => e.action);
    },
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
