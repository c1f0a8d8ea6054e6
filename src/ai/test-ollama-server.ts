// Test helper: an Ollama-compatible HTTP server, so the real `ollama` client is tested against a real
// HTTP exchange (the only stand-in the project allows). It speaks /api/version, /api/tags, /api/ps,
// /api/show, /api/chat, /api/generate (NDJSON streams and single answers) and /api/embed, like
// Ollama 0.12 does. Tests script answers per endpoint (a queue of replies, consumed in order) and
// inject failures: delays, error statuses, bodies that are not JSON, unknown models, dropped
// connections. Without a script it behaves like a small, deterministic model:
// - chat/generate with `format` (a JSON schema) answer a JSON instance built from the schema;
//   without it they echo the last user message;
// - embed answers hashed bag-of-words vectors (unit length), so texts sharing words are close —
//   enough to check that semantic search ranks a paraphrase first;
// - prompt_eval_count is the prompt's token count (chars / charsPerToken) clamped to options.num_ctx,
//   which is how Ollama reports a prompt it silently truncated.
//
// Also a process for browser tests: `bun src/ai/test-ollama-server.ts --port 11500`.

import { defaultConfig, type Config } from "../config/config.keys";

export const TEST_CHAT_MODEL = "test-chat:latest";
export const TEST_EMBED_MODEL = "test-embed:latest";
export const TEST_OLLAMA_VERSION = "0.12.3";
export const EMBED_DIMENSIONS = 256;
/** Ollama's own default when a request names no num_ctx. */
const DEFAULT_NUM_CTX = 4096;

export type FakeEndpoint = "version" | "tags" | "ps" | "show" | "chat" | "generate" | "embed";

/** One scripted answer. Fields combine: `{ delayMs: 50, json: {...} }`. */
export type FakeReply = {
  /** Wait this long before answering (aborted early when the client goes away). */
  delayMs?: number;
  /** Answer with this status and `{"error": error}` as JSON (like Ollama's own errors). */
  status?: number;
  error?: string;
  /** Answer with this status and a text/plain body (exercises the client's non-JSON error path). */
  textError?: { status: number; body: string };
  /** Close the connection in the middle of the answer (after the first stream chunk when streaming). */
  drop?: boolean;
  /** A 200 whose body is not JSON at all. */
  invalidBody?: boolean;
  /** chat/generate: the model's text. */
  content?: string;
  /** chat/generate: the model's text is JSON.stringify(json). */
  json?: unknown;
  /** chat/generate streaming: pause between chunks. */
  chunkDelayMs?: number;
  /** chat/generate: report this instead of the computed count. */
  promptEvalCount?: number;
  doneReason?: string;
  /** embed: these vectors instead of the computed ones. */
  embeddings?: number[][];
};

export type FakeRequest = { endpoint: FakeEndpoint; path: string; method: string; body: Record<string, unknown> | null };
export type FakeScript = FakeReply | ((request: FakeRequest) => FakeReply);

export type TestOllamaOptions = {
  /** 0 = any free port. */
  port?: number;
  /** Model names (default: test-chat:latest, test-embed:latest); names containing "embed" are embedding models. */
  models?: string[];
  /** How many characters count as one token (default 4). */
  charsPerToken?: number;
  /** Models listed by /api/ps (default: none). */
  loaded?: string[];
};

export type TestOllama = {
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: FakeRequest[];
  count(endpoint: FakeEndpoint): number;
  /** Queue replies for an endpoint; each request takes the next one, then defaults apply. */
  script(endpoint: FakeEndpoint, ...replies: FakeScript[]): void;
  /** A delay applied to every request (0 = none). */
  setDelay(ms: number): void;
  setCharsPerToken(n: number): void;
  setModels(names: string[]): void;
  /** Requests currently being answered (to check nothing is left hanging). */
  inFlight(): number;
  stop(): Promise<void>;
};

const encoder = new TextEncoder();

/** How long a request counts as in flight: until its handler returns, or its stream ends. */
type Lifecycle = { deferred: boolean; finished(): void };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

// ---- deterministic "model" behaviour --------------------------------------------------------------

const STOPWORDS = new Set(
  "och att en ett det som i på för med av till är jag vill kan hur vad den de du ni vi har om från eller så inte man ska mina min mitt the a an of to and in for with is on by or be i my want how what it this that".split(" "),
);

/** Words of a text as crude stems (first 6 letters): "bedömningar" and "bedömning" share one. */
export function bagOfWords(text: string): string[] {
  const words = text.toLowerCase().normalize("NFC").match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => !STOPWORDS.has(w) && w.length > 1).map((w) => w.slice(0, 6));
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A unit vector of hashed word counts; an empty text gets a fixed vector (not zeros: cosine needs a norm). */
export function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(EMBED_DIMENSIONS).fill(0);
  const words = bagOfWords(text);
  if (words.length === 0) v[0] = 1;
  for (const w of words) {
    const h = fnv1a(w);
    v[h % EMBED_DIMENSIONS]! += (h & 0x100) === 0 ? 1 : -1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** A JSON value that satisfies a (simple) JSON schema: first enum value, minimum, minItems copies. */
export function exampleFromSchema(schema: unknown): unknown {
  if (!isRecord(schema)) return null;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ("const" in schema) return schema.const;
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return exampleFromSchema(options[0]);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = isRecord(schema.properties) ? schema.properties : {};
      for (const [k, s] of Object.entries(props)) out[k] = exampleFromSchema(s);
      return out;
    }
    case "array": {
      const n = typeof schema.minItems === "number" ? schema.minItems : 0;
      return Array.from({ length: n }, () => exampleFromSchema(schema.items));
    }
    case "string":
      return typeof schema.minLength === "number" && schema.minLength > 7 ? "x".repeat(schema.minLength) : "exempel";
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}

function promptText(body: Record<string, unknown>): string {
  if (Array.isArray(body.messages)) return body.messages.map((m) => (isRecord(m) && typeof m.content === "string" ? m.content : "")).join("\n");
  return [body.system, body.prompt].filter((s) => typeof s === "string").join("\n");
}

function lastUserText(body: Record<string, unknown>): string {
  if (Array.isArray(body.messages)) {
    const users = body.messages.filter((m) => isRecord(m) && m.role === "user");
    const last = users.at(-1);
    return isRecord(last) && typeof last.content === "string" ? last.content : "";
  }
  return typeof body.prompt === "string" ? body.prompt : "";
}

/** Text pieces as a model would stream them: a word with its following space. */
function chunksOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [""];
}

// ---- the server ------------------------------------------------------------------------------------

const ENDPOINTS: Record<string, FakeEndpoint> = {
  "/api/version": "version",
  "/api/tags": "tags",
  "/api/ps": "ps",
  "/api/show": "show",
  "/api/chat": "chat",
  "/api/generate": "generate",
  "/api/embed": "embed",
};

function modelInfo(name: string, at: Date) {
  const embed = name.includes("embed");
  const family = embed ? "nomic-bert" : "qwen2";
  return {
    name,
    model: name,
    modified_at: at.toISOString(),
    size: embed ? 274_302_450 : 4_683_087_332,
    digest: fnv1a(name).toString(16).padStart(8, "0").repeat(8),
    details: { parent_model: "", format: "gguf", family, families: [family], parameter_size: embed ? "137M" : "7.6B", quantization_level: embed ? "F16" : "Q4_K_M" },
  };
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** A body that sends `first` and then breaks the connection. */
function dropping(first: string): Response {
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (first) controller.enqueue(encoder.encode(first));
      first = "";
      // an errored body makes the server abort the connection mid-response; without a reason Bun
      // does not print it
      setTimeout(() => controller.error(), 5);
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
}

export async function startTestOllama(options: TestOllamaOptions = {}): Promise<TestOllama> {
  const requests: FakeRequest[] = [];
  const queues = new Map<FakeEndpoint, FakeScript[]>();
  let models = options.models ?? [TEST_CHAT_MODEL, TEST_EMBED_MODEL];
  const loaded = options.loaded ?? [];
  let charsPerToken = options.charsPerToken ?? 4;
  let globalDelay = 0;
  let inFlight = 0;
  const started = new Date("2026-01-15T10:00:00Z");

  const findModel = (name: unknown): string | null => {
    if (typeof name !== "string" || !name) return null;
    const full = name.includes(":") ? name : `${name}:latest`;
    return models.find((m) => m === full) ?? null;
  };
  const notFound = (name: unknown) => json({ error: `model "${String(name)}" not found, try pulling it first` }, 404);

  const nextReply = (request: FakeRequest): FakeReply => {
    const queue = queues.get(request.endpoint);
    const next = queue?.shift();
    if (!next) return {};
    return typeof next === "function" ? next(request) : next;
  };

  /** A streamed answer outlives its handler: it takes over `life` and reports its own end. */
  const generation = (request: FakeRequest, reply: FakeReply, signal: AbortSignal, life: Lifecycle): Response => {
    const body = request.body ?? {};
    const chat = request.endpoint === "chat";
    const model = findModel(body.model);
    if (!model) return notFound(body.model);
    if (model.includes("embed")) return json({ error: `"${model}" does not support ${chat ? "chat" : "generate"}` }, 400);
    const opts = isRecord(body.options) ? body.options : {};
    const numCtx = typeof opts.num_ctx === "number" ? opts.num_ctx : DEFAULT_NUM_CTX;
    const promptTokens = Math.ceil(promptText(body).length / charsPerToken);
    const promptEvalCount = reply.promptEvalCount ?? Math.min(promptTokens, numCtx);
    const text =
      reply.content ?? (reply.json !== undefined ? JSON.stringify(reply.json) : body.format !== undefined && body.format !== "" ? JSON.stringify(exampleFromSchema(body.format === "json" ? {} : body.format)) : `Du skrev: ${lastUserText(body)}`);
    const base = () => ({ model, created_at: new Date().toISOString() });
    const piece = (content: string) => (chat ? { message: { role: "assistant", content } } : { response: content });
    const final = {
      done: true,
      done_reason: reply.doneReason ?? "stop",
      total_duration: 1_000_000,
      load_duration: 1_000,
      prompt_eval_count: promptEvalCount,
      prompt_eval_duration: 1_000,
      eval_count: chunksOf(text).length,
      eval_duration: 1_000,
    };
    if (body.stream !== true) {
      if (reply.drop) return dropping(`{"model":"${model}",`);
      return json({ ...base(), ...piece(text), ...final });
    }
    const chunks = chunksOf(text);
    const delay = reply.chunkDelayMs ?? 0;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        life.deferred = true;
        try {
          for (let i = 0; i < chunks.length; i++) {
            if (signal.aborted) return controller.close();
            controller.enqueue(encoder.encode(`${JSON.stringify({ ...base(), ...piece(chunks[i]!), done: false })}\n`));
            if (reply.drop) {
              await sleep(5, signal);
              return controller.error();
            }
            await sleep(delay, signal);
          }
          controller.enqueue(encoder.encode(`${JSON.stringify({ ...base(), ...piece(""), ...final })}\n`));
          controller.close();
        } catch {
          // the client went away: nothing to send to
        } finally {
          life.finished();
        }
      },
    });
    return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
  };

  const embed = (request: FakeRequest, reply: FakeReply): Response => {
    const body = request.body ?? {};
    const model = findModel(body.model);
    if (!model) return notFound(body.model);
    if (!model.includes("embed")) return json({ error: `"${model}" does not support embeddings` }, 400);
    const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
    const embeddings = reply.embeddings ?? input.map(fakeEmbedding);
    if (reply.drop) return dropping(`{"model":"${model}","embeddings":[[`);
    const tokens = input.reduce((n, s) => n + Math.ceil(s.length / charsPerToken), 0);
    return json({ model, embeddings, total_duration: 1_000_000, load_duration: 1_000, prompt_eval_count: tokens });
  };

  const answer = (request: FakeRequest, reply: FakeReply, signal: AbortSignal, life: Lifecycle): Response => {
    if (reply.textError) return new Response(reply.textError.body, { status: reply.textError.status, headers: { "content-type": "text/plain; charset=utf-8" } });
    if (reply.status && reply.status >= 400) return json({ error: reply.error ?? "scripted failure" }, reply.status);
    if (reply.invalidBody) return new Response("<html>this is not JSON", { status: 200, headers: { "content-type": "application/json" } });
    switch (request.endpoint) {
      case "version":
        return json({ version: TEST_OLLAMA_VERSION });
      case "tags":
        return json({ models: models.map((m) => modelInfo(m, started)) });
      case "ps":
        return json({
          models: loaded.map((m) => ({
            ...modelInfo(m, started),
            expires_at: new Date(Date.now() + 5 * 60_000).toISOString(),
            size_vram: modelInfo(m, started).size,
            context_length: 8192,
          })),
        });
      case "show": {
        const model = findModel(request.body?.model);
        if (!model) return notFound(request.body?.model);
        const info = modelInfo(model, started);
        return json({
          license: "",
          modelfile: `FROM ${model}`,
          parameters: "",
          template: "{{ .Prompt }}",
          details: info.details,
          model_info: { "general.architecture": info.details.family, [`${info.details.family}.context_length`]: 32768 },
          capabilities: model.includes("embed") ? ["embedding"] : ["completion"],
          modified_at: info.modified_at,
        });
      }
      case "chat":
      case "generate":
        return generation(request, reply, signal, life);
      case "embed":
        return embed(request, reply);
    }
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    // delays up to minutes are scripted; Bun's default 10 s idle timeout would cut them short
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const endpoint = ENDPOINTS[url.pathname];
      if (!endpoint) return new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain" } });
      let body: Record<string, unknown> | null = null;
      if (req.method === "POST") {
        const parsed: unknown = await req.json().catch(() => null);
        body = isRecord(parsed) ? parsed : null;
        if (!body) return json({ error: "invalid request body" }, 400);
      }
      const request: FakeRequest = { endpoint, path: url.pathname, method: req.method, body };
      requests.push(request);
      inFlight++;
      let open = true;
      const life: Lifecycle = {
        deferred: false,
        finished() {
          if (open) inFlight--;
          open = false;
        },
      };
      try {
        const reply = nextReply(request);
        await sleep(globalDelay + (reply.delayMs ?? 0), req.signal);
        return answer(request, reply, req.signal, life);
      } finally {
        if (!life.deferred) life.finished();
      }
    },
  });

  const port = server.port ?? 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    count: (endpoint) => requests.filter((r) => r.endpoint === endpoint).length,
    script(endpoint, ...replies) {
      const queue = queues.get(endpoint) ?? [];
      queue.push(...replies);
      queues.set(endpoint, queue);
    },
    setDelay(ms) {
      globalDelay = ms;
    },
    setCharsPerToken(n) {
      charsPerToken = n;
    },
    setModels(names) {
      models = names;
    },
    inFlight: () => inFlight,
    stop: () => server.stop(true),
  };
}

/** An enabled [ai] section pointing at a fake server, with the test models; `overrides` win. */
export function testAiConfig(fake: { url: string }, overrides: Partial<Config["ai"]> = {}): Config["ai"] {
  return { ...defaultConfig().ai, enabled: true, ollama_url: fake.url, chat_model: TEST_CHAT_MODEL, embed_model: TEST_EMBED_MODEL, ...overrides };
}

if (import.meta.main) {
  const at = process.argv.indexOf("--port");
  const port = at > 0 ? Number(process.argv[at + 1]) : 11500;
  const fake = await startTestOllama({ port });
  console.log(`listening ${fake.url}`);
}
