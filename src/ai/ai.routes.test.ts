// HTTP scenarios of the AI API on SQLite and (when configured) PostgreSQL, against the
// Ollama-compatible test server: the admin AI page, semantic search with its full-text fallback, and
// the editor assistant over Server-Sent Events — including Ollama down, slow, failing or unknown model.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { defaultConfig } from "../config/config.keys";
import type { Browser } from "../identity/test-app";
import { testStoreKinds } from "../store/test-db";
import { createAiTestApp, readEvents, type AiTestApp } from "./ai.test-app";
import { TEST_CHAT_MODEL, TEST_EMBED_MODEL, TEST_OLLAMA_VERSION, startTestOllama, testAiConfig, type TestOllama } from "./test-ollama-server";

type Item = { slug: string; score: number | null };
const slugs = (body: Record<string, unknown>) => (body.items as Item[]).map((i) => i.slug);

const TOOLS = [
  { slug: "betyg", title: "Betygskalkylator", summary: "Räkna ut betyg från provpoäng.", instructions: "Ladda upp en CSV med elevernas poäng per prov." },
  { slug: "lunchvakter", title: "Lunchvaktsschema", summary: "Skapa ett schema för lunchvakter.", instructions: "Ange personal och veckor." },
  { slug: "narvaro", title: "Närvarorapport", summary: "Sammanställ frånvaro per klass.", instructions: "Exportera närvaron ur skolplattformen." },
];

for (const kind of testStoreKinds()) {
  describe(`AI API on ${kind}`, () => {
    let fake: TestOllama;
    let t: AiTestApp;
    let admin: Browser;
    let teacher: Browser;
    let ids: Record<string, string>;

    beforeAll(async () => {
      fake = await startTestOllama({ loaded: [TEST_CHAT_MODEL] });
      t = await createAiTestApp(kind, testAiConfig(fake, { timeout_seconds: 1, num_ctx: 4096, output_tokens: 512 }));
      ids = {};
      for (const tool of TOOLS) ids[tool.slug] = (await t.addTool(tool)).toolId;
      ids.utkast = (await t.addTool({ slug: "utkast", title: "Betyg utkast", summary: "Räkna betyg från poäng på prov, opublicerad.", publish: false })).toolId;
      admin = await t.as("admin");
      teacher = await t.as("user");
    });
    afterAll(async () => {
      await t.close();
      await fake.stop();
    });
    beforeEach(() => fake.setDelay(0));

    describe("admin AI page", () => {
      test("status: configured values, reachability, version, models, loaded models, index", async () => {
        const r = await admin.get("/api/v1/admin/ai");
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          enabled: true,
          config: { ollama_url: fake.url, chat_model: TEST_CHAT_MODEL, embed_model: TEST_EMBED_MODEL, num_ctx: 4096, timeout_seconds: 1 },
          server: { reachable: true, version: TEST_OLLAMA_VERSION, error: null, chat_model_present: true, embed_model_present: true },
          embeddings: { published_tools: 3 },
        });
        const server = r.body.server as { models: { name: string }[]; loaded: { name: string }[] };
        expect(server.models.map((m) => m.name)).toEqual([TEST_CHAT_MODEL, TEST_EMBED_MODEL]);
        expect(server.loaded.map((m) => m.name)).toEqual([TEST_CHAT_MODEL]);
      });

      test("test chat and test embedding, with the configured or a chosen model", async () => {
        const chat = await admin.post("/api/v1/admin/ai/test-chat", { message: "Hej!" });
        expect(chat.status).toBe(200);
        expect(chat.body).toMatchObject({ model: TEST_CHAT_MODEL, reply: "Du skrev: Hej!" });
        expect(chat.body.prompt_tokens).toBeGreaterThan(0);
        const emb = await admin.post("/api/v1/admin/ai/test-embedding", { text: "betyg och prov", model: TEST_EMBED_MODEL });
        expect(emb.status).toBe(200);
        expect(emb.body).toMatchObject({ model: TEST_EMBED_MODEL, dimensions: 256 });
        expect(emb.body.sample).toHaveLength(8);
      });

      test("unknown model → 502 ai.unknown_model with a message that says what to do (sv and en)", async () => {
        const sv = await admin.post("/api/v1/admin/ai/test-chat", { message: "Hej", model: "llama9:70b" });
        expect(sv.status).toBe(502);
        expect(sv.body.error).toMatchObject({ code: "ai.unknown_model", details: { model: "llama9:70b" } });
        expect((sv.body.error as { message: string }).message).toContain("ollama pull");
        const en = await admin.post("/api/v1/admin/ai/test-chat", { message: "Hi", model: "llama9:70b" }, { headers: { "accept-language": "en" } });
        expect((en.body.error as { message: string }).message).toStartWith("The model is not on the AI server.");
      });

      test("slow Ollama → 504 ai.timeout after [ai] timeout_seconds; the status page still answers", async () => {
        fake.script("chat", { delayMs: 20_000 });
        const started = Date.now();
        const r = await admin.post("/api/v1/admin/ai/test-chat", { message: "Hej" });
        expect(r.status).toBe(504);
        expect((r.body.error as { code: string }).code).toBe("ai.timeout");
        expect(Date.now() - started).toBeLessThan(3_000);
      });

      test("Ollama failing → 502 ai.failed with its message; invalid body → 502 ai.failed", async () => {
        fake.script("embed", { status: 500, error: "CUDA error: out of memory" }, { invalidBody: true });
        const r = await admin.post("/api/v1/admin/ai/test-embedding", { text: "x" });
        expect(r.status).toBe(502);
        expect(r.body.error).toMatchObject({ code: "ai.failed", details: { status: 500, message: "CUDA error: out of memory" } });
        const bad = await admin.post("/api/v1/admin/ai/test-embedding", { text: "x" });
        expect((bad.body.error as { code: string }).code).toBe("ai.failed");
      });

      test("teachers and contributors may not use the admin AI page", async () => {
        expect((await teacher.get("/api/v1/admin/ai")).status).toBe(403);
        expect((await (await t.as("contributor")).post("/api/v1/admin/ai/test-chat", { message: "x" })).status).toBe(403);
      });
    });

    describe("semantic search", () => {
      test("before indexing: full-text answer (not_indexed) and the index is built in the background", async () => {
        const r = await teacher.get(`/api/v1/ai/search?q=${encodeURIComponent("schema för lunchvakter")}`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ mode: "fulltext", fallback_reason: "not_indexed" });
        expect(slugs(r.body)).toEqual(["lunchvakter"]);
        for (let i = 0; i < 50 && ((await admin.get("/api/v1/admin/ai")).body.embeddings as { indexed_tools: number }).indexed_tools < 3; i++) await Bun.sleep(20);
        expect((await admin.get("/api/v1/admin/ai")).body.embeddings).toMatchObject({ published_tools: 3, indexed_tools: 3, stale_tools: 0 });
      });

      test("a paraphrase finds the tool; unpublished tools are never found", async () => {
        const q = "jag vill räkna fram betygen utifrån poängen på ett prov";
        const r = await teacher.get(`/api/v1/ai/search?q=${encodeURIComponent(q)}&limit=2`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ mode: "semantic", fallback_reason: null });
        const items = r.body.items as Item[];
        expect(items[0]!.slug).toBe("betyg");
        expect(items[0]!.score).toBeGreaterThan(0);
        expect(items.length).toBeLessThanOrEqual(2);
        expect(slugs(r.body)).not.toContain("utkast");
      });

      test("reindex embeds only what changed: a new published version, a newly published tool, an unpublished one", async () => {
        expect((await admin.post("/api/v1/admin/ai/reindex", {})).body).toEqual({ indexed: 0, unchanged: 3, removed: 0 });
        const before = fake.count("embed");
        await t.addTool({ ...TOOLS[2]!, instructions: "Exportera närvaron ur skolplattformen som CSV.", source: "def run_tool(input_dir, output_dir):\n    return 'ny'\n" });
        const extra = (await t.addTool({ slug: "quiz", title: "Quizgenerator", summary: "Gör quiz av en text." })).toolId;
        const r = await admin.post("/api/v1/admin/ai/reindex", {});
        expect(r.body).toEqual({ indexed: 2, unchanged: 2, removed: 0 });
        expect(fake.count("embed") - before).toBe(1); // one batch
        await t.unpublish(extra);
        expect((await admin.post("/api/v1/admin/ai/reindex", {})).body).toEqual({ indexed: 0, unchanged: 3, removed: 1 });
      });

      test("Ollama down → full-text answer that says why; a description with words in no single tool still finds by words", async () => {
        const down = await createAiTestApp(kind, testAiConfig({ url: "http://127.0.0.1:9" }));
        try {
          for (const tool of TOOLS) await down.addTool(tool);
          // nothing can be indexed with Ollama down: the full-text answer ranks tools by the words they share
          const r = await (await down.as("user")).get(`/api/v1/ai/search?q=${encodeURIComponent("betyg för provpoäng i lunchvakter")}`);
          expect(r.status).toBe(200);
          expect(r.body.mode).toBe("fulltext");
          expect(["not_indexed", "ai_unreachable"]).toContain(r.body.fallback_reason as string);
          expect(slugs(r.body).slice(0, 2).sort()).toEqual(["betyg", "lunchvakter"]);
        } finally {
          await down.close();
        }
      });

      test("embedding the query fails → full-text with the reason (unreachable, timeout, error)", async () => {
        const q = `?q=${encodeURIComponent("lunchvakter")}`;
        fake.script("embed", { drop: true });
        expect((await teacher.get(`/api/v1/ai/search${q}`)).body).toMatchObject({ mode: "fulltext", fallback_reason: "ai_unreachable", items: [{ slug: "lunchvakter", score: null }] });
        fake.script("embed", { delayMs: 10_000 });
        expect((await teacher.get(`/api/v1/ai/search${q}`)).body).toMatchObject({ mode: "fulltext", fallback_reason: "ai_timeout" });
        fake.script("embed", { status: 500, error: "boom" });
        expect((await teacher.get(`/api/v1/ai/search${q}`)).body).toMatchObject({ mode: "fulltext", fallback_reason: "ai_error" });
        expect((await teacher.get(`/api/v1/ai/search${q}`)).body).toMatchObject({ mode: "semantic" });
      });
    });

    describe("editor assistant", () => {
      const path = (toolId: string, rest: string) => `/api/v1/ai/assistant/${toolId}/${rest}`;
      const context = { source: "def run_tool(input_dir, output_dir):\n    return 'hej'\n", input_schema: [{ name: "fil", kind: "file" }], usage_instructions: "Ladda upp en fil." };
      const DIFF = "--- a/tool.py\n+++ b/tool.py\n@@ -1,2 +1,2 @@\n def run_tool(input_dir, output_dir):\n-    return 'hej'\n+    return 'hej då'";
      let maintainer: Browser;

      beforeAll(async () => {
        await t.ai.authoring.addMaintainer(ids.betyg!, t.users.contributor, new Date());
        maintainer = await t.as("contributor");
      });

      test("streams the answer (start, deltas, done with the diffs) and keeps the conversation", async () => {
        fake.script("chat", { content: `Byt texten så här:\n\n\`\`\`diff\n${DIFF}\n\`\`\`\n`, chunkDelayMs: 5 });
        const res = await t.raw(maintainer, "POST", path(ids.betyg!, "messages"), { message: "Ändra hälsningen till hej då", context });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toStartWith("text/event-stream");
        const events = await readEvents(res);
        expect(events[0]).toMatchObject({ event: "start", data: { user_message: { role: "user", content: "Ändra hälsningen till hej då" }, context_trimmed: false } });
        const deltas = events.filter((e) => e.event === "delta");
        expect(deltas.length).toBeGreaterThan(3);
        const done = events.at(-1)!;
        expect(done.event).toBe("done");
        expect(done.data).toMatchObject({ message: { role: "assistant" }, diffs: [DIFF] });
        expect(deltas.map((d) => (d.data as { text: string }).text).join("")).toBe((done.data as { message: { content: string } }).message.content);

        // the model saw the editor context in the system prompt, with an explicit num_ctx
        const sent = fake.requests.at(-1)!.body as { messages: { role: string; content: string }[]; options: { num_ctx: number } };
        expect(sent.options.num_ctx).toBe(4096);
        expect(sent.messages[0]!.role).toBe("system");
        expect(sent.messages[0]!.content).toContain("return 'hej'");
        expect(sent.messages[0]!.content).toContain('"name": "fil"');
        expect(sent.messages.at(-1)).toEqual({ role: "user", content: "Ändra hälsningen till hej då" });

        const conv = await maintainer.get(path(ids.betyg!, "conversation"));
        expect(conv.status).toBe(200);
        expect((conv.body.messages as { role: string }[]).map((m) => m.role)).toEqual(["user", "assistant"]);
        expect(conv.body.in_flight).toBe(false);

        // the next question carries the history
        fake.script("chat", { content: "Ja." });
        await readEvents(await t.raw(maintainer, "POST", path(ids.betyg!, "messages"), { message: "Fler ändringar?", context }));
        const second = fake.requests.at(-1)!.body as { messages: { role: string }[] };
        expect(second.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);

        expect((await t.raw(maintainer, "DELETE", path(ids.betyg!, "conversation"))).status).toBe(204);
        expect((await maintainer.get(path(ids.betyg!, "conversation"))).body.messages).toEqual([]);
      });

      test("only maintainers of the tool and admins; teachers are refused by role", async () => {
        const other = await t.raw(maintainer, "POST", path(ids.lunchvakter!, "messages"), { message: "Hej", context });
        expect(other.status).toBe(403);
        expect(((await other.json()) as { error: { code: string } }).error.code).toBe("authoring.not_maintainer");
        expect((await teacher.get(path(ids.betyg!, "conversation"))).status).toBe(403);
        const missing = await admin.get(path("no-such-tool", "conversation"));
        expect(missing.status).toBe(404);
        fake.script("chat", { content: "Hej admin" });
        const asAdmin = await t.raw(admin, "POST", path(ids.lunchvakter!, "messages"), { message: "Hej", context });
        expect((await readEvents(asAdmin)).at(-1)).toMatchObject({ event: "done", data: { message: { content: "Hej admin" }, diffs: [] } });
      });

      test("one request per user and tool: a second one while the first streams gets 409 ai.busy", async () => {
        fake.script("chat", { content: "ett två tre fyra fem", chunkDelayMs: 60 });
        const first = await t.raw(maintainer, "POST", path(ids.betyg!, "messages"), { message: "Första", context });
        expect(first.status).toBe(200);
        const second = await t.raw(maintainer, "POST", path(ids.betyg!, "messages"), { message: "Andra", context });
        expect(second.status).toBe(409);
        expect(((await second.json()) as { error: { code: string } }).error.code).toBe("ai.busy");
        expect((await maintainer.get(path(ids.betyg!, "conversation"))).body.in_flight).toBe(true);
        expect((await t.raw(maintainer, "DELETE", path(ids.betyg!, "conversation"))).status).toBe(409);
        // another user on the same tool is not blocked
        fake.script("chat", { content: "ok" });
        expect((await t.raw(admin, "POST", path(ids.betyg!, "messages"), { message: "Admin", context })).status).toBe(200);
        expect((await readEvents(first)).at(-1)!.event).toBe("done");
        expect((await maintainer.get(path(ids.betyg!, "conversation"))).body.in_flight).toBe(false);
      });

      test("the client going away cancels the Ollama request; the question stays, no answer is stored", async () => {
        await t.raw(maintainer, "DELETE", path(ids.betyg!, "conversation"));
        fake.script("chat", { content: "a b c d e f g h i j k l", chunkDelayMs: 100 });
        const controller = new AbortController();
        const res = await t.raw(maintainer, "POST", path(ids.betyg!, "messages"), { message: "Avbryt mig", context }, controller.signal);
        const reader = res.body!.getReader();
        // wait for the first piece of the answer: the request to Ollama is running then
        for (let seen = ""; !seen.includes("event: delta"); ) seen += new TextDecoder().decode((await reader.read()).value);
        expect(fake.inFlight()).toBe(1);
        controller.abort();
        await reader.cancel();
        for (let i = 0; i < 50 && (await maintainer.get(path(ids.betyg!, "conversation"))).body.in_flight; i++) await Bun.sleep(20);
        const conv = await maintainer.get(path(ids.betyg!, "conversation"));
        expect(conv.body.in_flight).toBe(false);
        expect((conv.body.messages as { role: string; content: string }[]).map((m) => [m.role, m.content])).toEqual([["user", "Avbryt mig"]]);
        await Bun.sleep(50);
        expect(fake.inFlight()).toBe(0);
      });

      test("Ollama failures end the stream with an error event (clear code and message), nothing hangs", async () => {
        const ask = async () => readEvents(await t.raw(maintainer, "POST", path(ids.betyg!, "messages"), { message: "Hjälp", context }));
        fake.script("chat", { status: 500, error: "llama runner crashed" });
        expect((await ask()).at(-1)).toMatchObject({ event: "error", data: { code: "ai.failed" } });
        fake.script("chat", { delayMs: 10_000 });
        const started = Date.now();
        const timedOut = (await ask()).at(-1)!;
        expect(timedOut).toMatchObject({ event: "error", data: { code: "ai.timeout" } });
        expect((timedOut.data as { message: string }).message).toContain("timeout_seconds");
        expect(Date.now() - started).toBeLessThan(3_000);
        fake.script("chat", { drop: true, content: "a b c" });
        expect((await ask()).at(-1)).toMatchObject({ event: "error", data: { code: "ai.unreachable" } });
        fake.setModels([TEST_EMBED_MODEL]);
        try {
          expect((await ask()).at(-1)).toMatchObject({ event: "error", data: { code: "ai.unknown_model" } });
        } finally {
          fake.setModels([TEST_CHAT_MODEL, TEST_EMBED_MODEL]);
        }
        expect((await maintainer.get(path(ids.betyg!, "conversation"))).body.in_flight).toBe(false);
      });

      test("a huge source is trimmed to fit num_ctx, and the start event says so", async () => {
        const source = Array.from({ length: 3000 }, (_, i) => `x${i} = ${i}  # rad ${i}`).join("\n");
        fake.script("chat", { content: "ok" });
        const events = await readEvents(await t.raw(maintainer, "POST", path(ids.betyg!, "messages"), { message: "Granska", context: { ...context, source } }));
        expect(events[0]).toMatchObject({ event: "start", data: { context_trimmed: true } });
        expect(events.at(-1)!.event).toBe("done");
        const sent = fake.requests.at(-1)!.body as { messages: { content: string }[] };
        const chars = sent.messages.reduce((n, m) => n + m.content.length, 0);
        expect(chars / 3).toBeLessThanOrEqual(4096 - 512);
        expect(sent.messages[0]!.content).toContain("lines omitted");

      });

      test("a message that cannot fit the window → 422 ai.too_long before any stream; nothing sent, nothing stored", async () => {
        const small = await createAiTestApp(kind, testAiConfig(fake, { num_ctx: 1024, output_tokens: 256 }));
        try {
          const { toolId } = await small.addTool({ slug: "liten", title: "Litet verktyg" });
          const smallAdmin = await small.as("admin");
          const before = fake.count("chat");
          const tooLong = await small.raw(smallAdmin, "POST", path(toolId, "messages"), { message: "ö".repeat(3000), context });
          expect(tooLong.status).toBe(422);
          expect(((await tooLong.json()) as { error: { code: string } }).error).toMatchObject({ code: "ai.too_long", details: { num_ctx: 1024 } });
          expect(fake.count("chat")).toBe(before);
          expect((await smallAdmin.get(path(toolId, "conversation"))).body).toEqual({ messages: [], in_flight: false });
        } finally {
          await small.close();
        }
      });
    });
  });
}

describe("with [ai] enabled = false", () => {
  test("the status page says so, the search is full-text (ai_disabled), everything else is 404 ai.disabled", async () => {
    const t = await createAiTestApp("sqlite", defaultConfig().ai);
    try {
      const { toolId } = await t.addTool({ slug: "betyg", title: "Betygskalkylator", summary: "Räkna ut betyg från provpoäng." });
      const admin = await t.as("admin");
      const status = await admin.get("/api/v1/admin/ai");
      expect(status.body).toMatchObject({ enabled: false, server: null, embeddings: null });
      expect((await admin.get("/api/v1/meta")).body.ai_enabled).toBe(false);
      const search = await (await t.as("user")).get(`/api/v1/ai/search?q=betyg`);
      expect(search.body).toMatchObject({ mode: "fulltext", fallback_reason: "ai_disabled", items: [{ slug: "betyg", score: null }] });
      for (const [method, path, body] of [
        ["POST", "/api/v1/admin/ai/test-chat", { message: "x" }],
        ["POST", "/api/v1/admin/ai/test-embedding", { text: "x" }],
        ["POST", "/api/v1/admin/ai/reindex", {}],
        ["GET", `/api/v1/ai/assistant/${toolId}/conversation`, undefined],
        ["POST", `/api/v1/ai/assistant/${toolId}/messages`, { message: "x", context: { source: "" } }],
      ] as const) {
        const r = await t.raw(admin, method, path, body);
        expect(r.status).toBe(404);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe("ai.disabled");
      }
    } finally {
      await t.close();
    }
  });
});
