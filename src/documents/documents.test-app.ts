// Test helper for the documents tests: the run test app's store, users and blob store, plus the
// documents and run routes over one app, multipart uploads with the cookie-keeping Browser, and the
// real document workers (optionally with the AI client pointed at the Ollama-compatible test server).
import { Elysia } from "elysia";
import { createAiClient } from "../ai/ai-client";
import type { Config } from "../config/config.keys";
import { createQueueRepository } from "../execution/queue.repository";
import { runsRoutes } from "../execution/runs.routes";
import { createRunsTestApp } from "../execution/runs.test-app";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { identityRoutes } from "../identity/identity.routes";
import type { Role } from "../identity/roles.rules";
import { resolveSession } from "../identity/sessions.service";
import { Browser, emailOf, PASSWORDS, type ApiResponse } from "../identity/test-app";
import type { TestStoreKind } from "../store/test-db";
import { startDocumentWorkersWith, type DocumentWorkerOptions } from "./document-worker";
import { documentsRoutes } from "./documents.routes";
import { createDocumentsDeps, documentInputFiles } from "./documents.service";
import type { DocumentStatus } from "./documents.types";

export type DocumentsTestApp = Awaited<ReturnType<typeof createDocumentsTestApp>>;

export async function createDocumentsTestApp(kind: TestStoreKind, opts: { aiUrl?: string; documents?: Partial<Config["documents"]>; ai?: Partial<Config["ai"]> } = {}) {
  const rt = await createRunsTestApp(kind);
  const config = rt.config;
  Object.assign(config.documents, opts.documents);
  if (opts.aiUrl) Object.assign(config.ai, { enabled: true, ollama_url: opts.aiUrl, chat_model: "test-chat:latest", timeout_seconds: 5, max_retries: 1 }, opts.ai);
  const docs = createDocumentsDeps({ store: rt.store, config, log: rt.deps.log, blobStore: rt.blobStore });
  rt.exec.documentInputs = (userId, ids) => documentInputFiles(docs, userId, ids);
  const ctx = httpContext({ trustProxy: false, defaultLocale: "sv", resolveSession: resolveSession(rt.deps), authRateLimiter: createRateLimiter({ limit: 10_000 }) });
  const app = new Elysia()
    .use(errorHandler({ log: rt.deps.log, defaultLocale: "sv" }))
    .use(ctx)
    .use(identityRoutes(ctx, rt.deps))
    .use(runsRoutes(ctx, rt.exec))
    .use(documentsRoutes(ctx, docs));

  const workers: { stop(): Promise<void> }[] = [];
  return {
    ...rt,
    app,
    docs,
    async as(role: Role): Promise<Browser> {
      const b = new Browser(app);
      const res = await b.post("/api/v1/auth/login", { email: emailOf(role), password: PASSWORDS[role] });
      if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
      return b;
    },
    /** Multipart POST with cookie and CSRF token, like the UI. */
    async postForm(browser: Browser, path: string, form: FormData, { csrf = true }: { csrf?: boolean } = {}): Promise<ApiResponse> {
      if (csrf && browser.csrf === null) await browser.refreshCsrf();
      const headers: Record<string, string> = { "accept-language": "en" };
      if (csrf && browser.csrf) headers["x-csrf-token"] = browser.csrf;
      if (browser.jar.size) headers.cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await app.handle(new Request(`http://localhost${path}`, { method: "POST", headers, body: form }));
      const text = await res.text();
      const body = (res.headers.get("content-type") ?? "").includes("json") && text ? (JSON.parse(text) as Record<string, unknown>) : {};
      return { status: res.status, body, headers: res.headers, cookies: {} };
    },
    /** Uploads PDFs (name → bytes) and returns the response. */
    async upload(browser: Browser, files: Record<string, Uint8Array | string>): Promise<ApiResponse> {
      const form = new FormData();
      for (const [name, bytes] of Object.entries(files)) form.append("files", new File([bytes], name, { type: "application/pdf" }));
      return this.postForm(browser, "/api/v1/documents", form);
    },
    async raw(browser: Browser, path: string): Promise<Response> {
      return app.handle(new Request(`http://localhost${path}`, { headers: { cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join("; ") } }));
    },
    /** The real document workers over this store (AI client only when aiUrl was given). */
    startWorkers(options: DocumentWorkerOptions = {}) {
      const w = startDocumentWorkersWith(
        { queue: createQueueRepository(rt.store), documents: docs.documents, blobStore: rt.blobStore, ai: opts.aiUrl ? createAiClient(config.ai) : null, config, log: rt.deps.log, now: () => new Date() },
        { pollMs: 20, housekeepingMs: 60_000, ...options },
      );
      workers.push(w);
      return w;
    },
    /** Polls until the document reaches one of `statuses` (fails after `ms`). */
    async waitFor(id: string, statuses: readonly DocumentStatus[], ms = 15_000) {
      const until = Date.now() + ms;
      for (;;) {
        const d = await docs.documents.get(null, id);
        if (d && statuses.includes(d.status)) return d;
        if (Date.now() > until) throw new Error(`document ${id} is ${d?.status ?? "gone"}, expected ${statuses.join("|")}`);
        await Bun.sleep(20);
      }
    },
    async closeAll() {
      for (const w of workers) await w.stop();
      await rt.close();
    },
  };
}
