// With [ai] enabled = false nothing may ever connect to Ollama. A TCP listener stands in for Ollama at
// [ai] ollama_url (with models configured, as a site that switched AI off would have), the whole app
// (createApp, every feature's routes) answers pages and APIs including catalog and semantic search,
// and serve's embedding loop is asked to start: the listener sees zero connections. The same listener
// with AI on does see connections, so the probe is known to work.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { createApp } from "../http/app";
import { defaultConfig, type Config } from "../config/config.keys";
import { createExecutionDeps } from "../execution/execution.deps";
import { createIdentityDeps } from "../identity/identity.deps";
import { Browser, PASSWORDS, emailOf } from "../identity/test-app";
import { ROLES } from "../identity/roles.rules";
import { createUser } from "../identity/users.service";
import { createLogger } from "../log/logger";
import { createMetrics } from "../ops/metrics";
import { createFsBlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { openTestStore } from "../store/test-db";
import { createToolsDeps, importTool } from "../tools/tools.service";
import { startToolEmbeddingSyncFor } from "./tool-embeddings.service";

let connections = 0;
let listener: { port: number; stop(closeActive?: boolean): void };
let store: Store;

beforeAll(async () => {
  listener = Bun.listen<undefined>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        connections++;
        socket.end();
      },
      data() {},
    },
  });
  store = await openTestStore("sqlite");
  const tools = createToolsDeps(store);
  for (const [slug, title] of [
    ["betyg", "Betygskalkylator"],
    ["lunchvakter", "Lunchvaktsschema"],
  ] as const) {
    const manifest = { slug, title, summary: `${title} för skolan`, usage_instructions: "Ladda upp en fil.", professions: [], categories: [] };
    await importTool(tools, { manifestText: JSON.stringify(manifest), source: "def run_tool(input_dir, output_dir):\n    return 'hej'\n", publish: true, actor: { kind: "cli" } });
  }
});
afterAll(async () => {
  listener.stop(true);
  await store.close();
});

function appWith(ai: Partial<Config["ai"]>) {
  const config = defaultConfig();
  Object.assign(config.ai, { ollama_url: `http://127.0.0.1:${listener.port}`, chat_model: "qwen2.5:7b", embed_model: "nomic-embed-text", timeout_seconds: 2 }, ai);
  config.auth.rate_limit_per_minute = 100_000;
  config.storage.data_dir = `${tmpdir()}/skt-ai-off-${crypto.randomUUID()}`;
  const log = createLogger({ write: () => {} });
  const metrics = createMetrics({ defaults: false });
  const identity = createIdentityDeps({ store, config, log, metrics, mailer: { send: async () => {} } });
  const execution = createExecutionDeps({ store, config, log, metrics, blobStore: createFsBlobStore(config.storage.data_dir) });
  return { config, log, app: createApp({ config, log, store, metrics, identity, execution, assets: {}, version: "test" }) };
}

describe("[ai] enabled = false", () => {
  test("pages and APIs, catalog and semantic search, serve's loop: zero connections to the configured Ollama", async () => {
    const { app, config, log } = appWith({ enabled: false });
    for (const role of ROLES) await createUser(createIdentityDeps({ store, config, log, metrics: createMetrics({ defaults: false }), mailer: { send: async () => {} } }), { email: emailOf(role), role, password: PASSWORDS[role], actor: { kind: "cli" } });
    const anonymous = new Browser(app);
    expect((await anonymous.get("/api/v1/meta")).body.ai_enabled).toBe(false);

    const teacher = new Browser(app);
    expect((await teacher.post("/api/v1/auth/login", { email: emailOf("user"), password: PASSWORDS.user })).status).toBe(200);
    const catalog = await teacher.get("/api/v1/catalog/tools?q=betyg");
    expect((catalog.body.items as { slug: string }[]).map((i) => i.slug)).toEqual(["betyg"]);
    expect((await teacher.get("/api/v1/catalog/home")).status).toBe(200);
    expect((await teacher.get("/api/v1/catalog/tools/lunchvakter")).status).toBe(200);
    const search = await teacher.get(`/api/v1/ai/search?q=${encodeURIComponent("ett schema för lunchvakter")}`);
    expect(search.body).toMatchObject({ mode: "fulltext", fallback_reason: "ai_disabled" });
    expect((search.body.items as { slug: string }[])[0]!.slug).toBe("lunchvakter");

    const admin = new Browser(app);
    expect((await admin.post("/api/v1/auth/login", { email: emailOf("superuser"), password: PASSWORDS.superuser })).status).toBe(200);
    expect((await admin.get("/api/v1/admin/ai")).body).toMatchObject({ enabled: false, server: null });
    expect((await admin.post("/api/v1/admin/ai/test-chat", { message: "Hej" })).status).toBe(404);
    expect((await admin.post("/api/v1/admin/ai/test-embedding", { text: "Hej" })).status).toBe(404);
    expect((await admin.post("/api/v1/admin/ai/reindex", {})).status).toBe(404);
    expect((await admin.get("/readyz")).status).toBeLessThan(600);

    expect(startToolEmbeddingSyncFor({ store, config, log })).toBeNull();
    await Bun.sleep(100);
    expect(connections).toBe(0);
  });

  test("control: the same listener with AI on is contacted (and reported unreachable)", async () => {
    const { app } = appWith({ enabled: true });
    const admin = new Browser(app);
    expect((await admin.post("/api/v1/auth/login", { email: emailOf("admin"), password: PASSWORDS.admin })).status).toBe(200);
    const status = await admin.get("/api/v1/admin/ai");
    expect(status.body).toMatchObject({ enabled: true, server: { reachable: false, error: { code: "ai.unreachable" } } });
    expect(connections).toBeGreaterThan(0);
  });
});
