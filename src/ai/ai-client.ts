// The one way the server talks to Ollama: a thin wrapper over the official `ollama` client that adds
// what every call needs and the client leaves out — an explicit num_ctx (Ollama's default is small and
// it truncates silently), a timeout (AbortController), a per-process concurrency limit, a truncation
// check on the prompt_eval_count Ollama reports, structured output (JSON schema in `format`) that is
// parsed, checked and retried, and typed errors (AiError) that map to translated HTTP errors.
//
// A client exists only when [ai] enabled = true: aiClientFor() returns null otherwise, so with AI
// off no code path can open a connection.
import { Ollama, type ChatRequest, type ChatResponse, type ModelResponse } from "ollama/browser";
import type { Config } from "../config/config.keys";
import type { AppError } from "../http/errors";
import { AiErrors } from "./ai.errors";
import { createLimiter, type Limiter } from "./ai-limiter";
import { checkAgainstSchema, estimateMessagesTokens, estimateTokens, parseModelJson, promptBudget, promptWasTruncated } from "./ai.rules";

export type AiConfig = Config["ai"];

export type AiErrorKind = "not_configured" | "unreachable" | "timeout" | "unknown_model" | "invalid_output" | "too_long" | "failed" | "aborted";

const APP_ERRORS: Record<AiErrorKind, (details?: unknown) => AppError> = {
  not_configured: AiErrors.notConfigured,
  unreachable: AiErrors.unreachable,
  timeout: AiErrors.timeout,
  unknown_model: AiErrors.unknownModel,
  invalid_output: AiErrors.invalidOutput,
  too_long: AiErrors.tooLong,
  failed: AiErrors.failed,
  aborted: AiErrors.aborted,
};

export class AiError extends Error {
  constructor(
    readonly kind: AiErrorKind,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AiError";
  }
  /** The translated HTTP error (ai.* codes) for this failure. */
  toAppError(): AppError {
    return APP_ERRORS[this.kind](this.details);
  }
}

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };
export type ChatInput = {
  messages: ChatMessage[];
  model?: string;
  /** Tokens kept free for the answer (default [ai] output_tokens); also the answer's length limit. */
  outputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
};
export type StructuredInput<T> = {
  system: string;
  prompt: string;
  /** JSON schema sent as Ollama's `format`, and checked again on the answer. */
  schema: Record<string, unknown>;
  /** Extra checks after the schema check; problems make the answer invalid (and retried). */
  validate?: (value: unknown) => { ok: true; value: T } | { ok: false; problems: string[] };
  model?: string;
  outputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
};
export type StructuredResult<T> = { value: T; model: string; promptTokens: number; attempts: number };
export type ModelInfo = { name: string; size: number; modifiedAt: string; family: string; parameterSize: string; quantizationLevel: string };
export type LoadedModel = { name: string; sizeVram: number; expiresAt: string };

export type AiClient = {
  readonly config: AiConfig;
  readonly numCtx: number;
  estimateTokens(text: string): number;
  /** Largest prompt (tokens) that leaves `outputTokens` (default [ai] output_tokens) for the answer. */
  promptBudget(outputTokens?: number): number;
  version(signal?: AbortSignal): Promise<string>;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  loadedModels(signal?: AbortSignal): Promise<LoadedModel[]>;
  chat(input: ChatInput): Promise<{ text: string; model: string; promptTokens: number }>;
  /** Yields the answer's text pieces as they arrive; returns the prompt's token count. */
  chatStream(input: ChatInput): AsyncGenerator<string, { promptTokens: number }>;
  structured<T = unknown>(input: StructuredInput<T>): Promise<StructuredResult<T>>;
  embed(texts: string[], opts?: { model?: string; signal?: AbortSignal }): Promise<{ model: string; embeddings: number[][] }>;
  /** Requests running / waiting for a slot (for the admin page and tests). */
  load(): { active: number; waiting: number };
};

// Reasons our own AbortController aborts with, told apart from other aborts by identity.
class AbortReason extends Error {}
const TIMED_OUT = () => new AbortReason("timeout");
const CANCELLED = () => new AbortReason("cancelled");

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ConnectionRefused", "ConnectionClosed", "FailedToOpenSocket"]);

function errorCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null || !("code" in e)) return undefined;
  return typeof e.code === "string" ? e.code : undefined;
}
function statusCode(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null || !("status_code" in e)) return undefined;
  return typeof e.status_code === "number" ? e.status_code : undefined;
}

/** Any failure of a request as an AiError; `reason` is what our controller aborted with, if it did. */
export function classifyAiFailure(e: unknown, reason: unknown, ctx: { url: string; model?: string; timeoutSeconds: number }): AiError {
  if (e instanceof AiError) return e;
  if (reason instanceof AbortReason) {
    return reason.message === "timeout"
      ? new AiError("timeout", `Ollama did not answer within ${ctx.timeoutSeconds} s`, { timeout_seconds: ctx.timeoutSeconds })
      : new AiError("aborted", "cancelled by the caller");
  }
  const message = e instanceof Error ? e.message : String(e);
  const status = statusCode(e);
  if (status !== undefined) {
    if (status === 404 && /not found/i.test(message)) return new AiError("unknown_model", message, { model: ctx.model ?? null });
    if (/context length|too long|exceeds/i.test(message)) return new AiError("too_long", message, { message });
    return new AiError("failed", message, { status, message });
  }
  if (e instanceof SyntaxError) return new AiError("failed", `Ollama's answer was not JSON: ${message}`, { status: null, message: "the answer was not JSON" });
  const code = errorCode(e);
  if ((code && UNREACHABLE_CODES.has(code)) || /unable to connect|socket connection was closed|connection refused|fetch failed/i.test(message)) {
    return new AiError("unreachable", `Ollama at ${ctx.url} is not reachable: ${message}`, { url: ctx.url });
  }
  // errors Ollama sends inside a stream, and a stream that ended without `done`
  return new AiError("failed", message, { status: null, message });
}

/**
 * fetch bound to our controller's signal. It also rewrites a non-JSON error body (a proxy's HTML
 * page, a plain-text 404) into Ollama's `{"error": …}` form: the client would otherwise console.log
 * "Getting text from response" into our stdout.
 */
function boundFetch(signal: AbortSignal): typeof fetch {
  const bound = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    if (response.ok || (response.headers.get("content-type") ?? "").includes("application/json")) return response;
    const text = await response.text().catch(() => "");
    return new Response(JSON.stringify({ error: text.trim().slice(0, 500) || `HTTP ${response.status}` }), {
      status: response.status,
      statusText: response.statusText,
      headers: { "content-type": "application/json" },
    });
  };
  return Object.assign(bound, { preconnect: fetch.preconnect });
}

/** One controller per request: aborted by the timeout or by the caller's signal. */
function deadline(timeoutMs: number, callerSignal?: AbortSignal) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(TIMED_OUT()), timeoutMs);
  };
  const onCallerAbort = () => controller.abort(CANCELLED());
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  if (callerSignal?.aborted) onCallerAbort();
  arm();
  return {
    signal: controller.signal,
    /** Restart the timeout (a stream that keeps sending is not timed out). */
    rearm: arm,
    abort: onCallerAbort,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

const clients = new WeakMap<AiConfig, AiClient>();

/**
 * The process's client for this [ai] section (one concurrency limit shared by every feature that
 * passes the same config object), or null when AI is off.
 */
export function aiClientFor(config: AiConfig): AiClient | null {
  if (!config.enabled) return null;
  let client = clients.get(config);
  if (!client) clients.set(config, (client = createAiClient(config)));
  return client;
}

export function createAiClient(config: AiConfig, { limiter = createLimiter(config.concurrency) }: { limiter?: Limiter } = {}): AiClient {
  const timeoutMs = config.timeout_seconds * 1000;
  const numCtx = config.num_ctx;
  const failure = (e: unknown, signal: AbortSignal, model?: string) => classifyAiFailure(e, signal.reason, { url: config.ollama_url, model, timeoutSeconds: config.timeout_seconds });

  /** Runs one non-streaming request under the limit and the timeout. */
  async function request<T>(callerSignal: AbortSignal | undefined, model: string | undefined, run: (ollama: Ollama) => Promise<T>): Promise<T> {
    let release: (() => void) | null = null;
    try {
      release = await limiter.acquire(callerSignal);
    } catch {
      throw new AiError("aborted", "cancelled by the caller");
    }
    const d = deadline(timeoutMs, callerSignal);
    try {
      return await run(new Ollama({ host: config.ollama_url, fetch: boundFetch(d.signal) }));
    } catch (e) {
      throw failure(e, d.signal, model);
    } finally {
      d.dispose();
      release();
    }
  }

  const chatModel = (model?: string): string => {
    const m = model ?? config.chat_model;
    if (!m) throw new AiError("not_configured", "no chat model configured", { key: "ai.chat_model" });
    return m;
  };

  function chatRequest(input: ChatInput, model: string, extra: Partial<ChatRequest> = {}): ChatRequest {
    const outputTokens = input.outputTokens ?? config.output_tokens;
    const estimated = estimateMessagesTokens(input.messages);
    const budget = promptBudget(numCtx, outputTokens);
    if (estimated > budget) throw new AiError("too_long", `the prompt (≈${estimated} tokens) does not fit num_ctx ${numCtx}`, { prompt_tokens: estimated, num_ctx: numCtx });
    return {
      model,
      messages: input.messages,
      ...extra,
      options: { num_ctx: numCtx, num_predict: outputTokens, ...(input.temperature === undefined ? {} : { temperature: input.temperature }) },
    };
  }

  function checkTruncation(promptEvalCount: number | undefined): void {
    if (typeof promptEvalCount === "number" && promptWasTruncated(promptEvalCount, numCtx)) {
      throw new AiError("too_long", `Ollama cut the prompt to the context window (${promptEvalCount} of ${numCtx} tokens)`, { prompt_tokens: promptEvalCount, num_ctx: numCtx });
    }
  }

  async function chatOnce(input: ChatInput, extra: Partial<ChatRequest> = {}): Promise<ChatResponse & { model: string }> {
    const model = chatModel(input.model);
    const req = chatRequest(input, model, extra);
    const res = await request(input.signal, model, (ollama) => ollama.chat({ ...req, stream: false }));
    checkTruncation(res.prompt_eval_count);
    return { ...res, model };
  }

  return {
    config,
    numCtx,
    estimateTokens,
    promptBudget: (outputTokens = config.output_tokens) => promptBudget(numCtx, outputTokens),

    version: (signal) => request(signal, undefined, async (ollama) => (await ollama.version()).version),

    listModels: (signal) =>
      request(signal, undefined, async (ollama) =>
        (await ollama.list()).models.map((m: ModelResponse) => ({
          name: m.name,
          size: m.size,
          modifiedAt: new Date(m.modified_at).toISOString(),
          family: m.details?.family ?? "",
          parameterSize: m.details?.parameter_size ?? "",
          quantizationLevel: m.details?.quantization_level ?? "",
        })),
      ),

    loadedModels: (signal) =>
      request(signal, undefined, async (ollama) =>
        (await ollama.ps()).models.map((m: ModelResponse) => ({ name: m.name, sizeVram: m.size_vram, expiresAt: new Date(m.expires_at).toISOString() })),
      ),

    async chat(input) {
      const res = await chatOnce(input);
      return { text: res.message.content, model: res.model, promptTokens: res.prompt_eval_count };
    },

    async *chatStream(input) {
      const model = chatModel(input.model);
      const req = chatRequest(input, model);
      let release: (() => void) | null = null;
      try {
        release = await limiter.acquire(input.signal);
      } catch {
        throw new AiError("aborted", "cancelled by the caller");
      }
      const d = deadline(timeoutMs, input.signal);
      try {
        const stream = await new Ollama({ host: config.ollama_url, fetch: boundFetch(d.signal) }).chat({ ...req, stream: true });
        let promptTokens = 0;
        for await (const part of stream) {
          d.rearm();
          if (part.message?.content) yield part.message.content;
          if (part.done) promptTokens = part.prompt_eval_count;
        }
        checkTruncation(promptTokens);
        return { promptTokens };
      } catch (e) {
        throw failure(e, d.signal, model);
      } finally {
        // also runs when the consumer stops early: the request to Ollama is cancelled with it
        if (!d.signal.aborted) d.abort();
        d.dispose();
        release();
      }
    },

    async structured<T>(input: StructuredInput<T>): Promise<StructuredResult<T>> {
      const attempts = 1 + config.max_retries;
      const problems: string[] = [];
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const res = await chatOnce(
          {
            messages: [
              { role: "system", content: input.system },
              { role: "user", content: input.prompt },
            ],
            model: input.model,
            outputTokens: input.outputTokens,
            // deterministic by default: the same document should get the same classification
            temperature: input.temperature ?? 0,
            signal: input.signal,
          },
          { format: input.schema },
        );
        const parsed = parseModelJson(res.message.content);
        if (!parsed.ok) {
          problems.push(`attempt ${attempt}: ${parsed.problem}`);
          continue;
        }
        const schemaProblems = checkAgainstSchema(parsed.value, input.schema);
        if (schemaProblems.length > 0) {
          problems.push(`attempt ${attempt}: ${schemaProblems.slice(0, 5).join("; ")}`);
          continue;
        }
        const checked = input.validate ? input.validate(parsed.value) : { ok: true as const, value: parsed.value as T };
        if (!checked.ok) {
          problems.push(`attempt ${attempt}: ${checked.problems.slice(0, 5).join("; ")}`);
          continue;
        }
        return { value: checked.value, model: res.model, promptTokens: res.prompt_eval_count, attempts: attempt };
      }
      throw new AiError("invalid_output", `no valid answer after ${attempts} attempts`, { attempts, problems });
    },

    async embed(texts, opts = {}) {
      const model = opts.model ?? config.embed_model;
      if (!model) throw new AiError("not_configured", "no embedding model configured", { key: "ai.embed_model" });
      const longest = Math.max(0, ...texts.map(estimateTokens));
      if (longest > numCtx) throw new AiError("too_long", `a text (≈${longest} tokens) does not fit num_ctx ${numCtx}`, { prompt_tokens: longest, num_ctx: numCtx });
      if (texts.length === 0) return { model, embeddings: [] };
      // truncate: false makes Ollama refuse an over-long input instead of embedding a cut copy
      const res = await request(opts.signal, model, (ollama) => ollama.embed({ model, input: texts, truncate: false, options: { num_ctx: numCtx } }));
      if (!Array.isArray(res.embeddings) || res.embeddings.length !== texts.length) {
        throw new AiError("failed", `Ollama returned ${res.embeddings?.length ?? 0} embeddings for ${texts.length} texts`, { status: null, message: "wrong number of embeddings" });
      }
      return { model, embeddings: res.embeddings };
    },

    load: () => ({ active: limiter.active(), waiting: limiter.waiting() }),
  };
}
