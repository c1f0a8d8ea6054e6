// The admin AI page: the configured values, whether Ollama answers (version), its models and the
// loaded ones, a test chat and a test embedding, and "reindex now" for the semantic search.
import type { Locale } from "../http/errors";
import { AiError, type AiClient, type AiConfig } from "./ai-client";
import type { AiDeps } from "./ai.deps";
import { AiErrors } from "./ai.errors";
import { embeddingStatus, syncToolEmbeddings, type EmbeddingStatus, type EmbeddingSyncReport } from "./tool-embeddings.service";

type Deps = Pick<AiDeps, "ai" | "config" | "embeddings" | "log" | "now" | "store">;

/** The status page must answer quickly even when Ollama hangs: each probe gets this long. */
export const STATUS_PROBE_MS = 5_000;
/** Test chats answer a line or two. */
const TEST_CHAT_OUTPUT_TOKENS = 256;

export type AiModelJson = { name: string; size: number; modified_at: string; family: string; parameter_size: string; quantization_level: string };
export type AiServerJson = {
  reachable: boolean;
  version: string | null;
  error: { code: string; message: string } | null;
  models: AiModelJson[] | null;
  loaded: { name: string; size_vram: number; expires_at: string }[] | null;
  chat_model_present: boolean | null;
  embed_model_present: boolean | null;
};
export type AiStatusJson = {
  enabled: boolean;
  config: Pick<AiConfig, "ollama_url" | "chat_model" | "embed_model" | "num_ctx" | "timeout_seconds" | "concurrency" | "max_retries">;
  server: AiServerJson | null;
  embeddings: EmbeddingStatus | null;
};

function requireAi(deps: Pick<Deps, "ai">): AiClient {
  if (!deps.ai) throw AiErrors.disabled();
  return deps.ai;
}

/** A probe's failure as shown on the page; a probe cut short by STATUS_PROBE_MS counts as a timeout. */
function probeError(error: unknown, locale: Locale): { code: string; message: string } {
  const app = error instanceof AiError ? (error.kind === "aborted" ? AiErrors.timeout() : error.toAppError()) : AiErrors.failed();
  return { code: app.code, message: app.def[locale] };
}

const hasModel = (models: AiModelJson[] | null, name: string) => (models && name ? models.some((m) => m.name === name || m.name === `${name}:latest`) : null);

export async function getAiStatus(deps: Deps, locale: Locale): Promise<AiStatusJson> {
  const c = deps.config;
  const config = { ollama_url: c.ollama_url, chat_model: c.chat_model, embed_model: c.embed_model, num_ctx: c.num_ctx, timeout_seconds: c.timeout_seconds, concurrency: c.concurrency, max_retries: c.max_retries };
  if (!deps.ai) return { enabled: false, config, server: null, embeddings: null };
  const ai = deps.ai;
  const probe = () => AbortSignal.timeout(STATUS_PROBE_MS);
  const [version, models, loaded, embeddings] = await Promise.allSettled([
    ai.version(probe()),
    ai.listModels(probe()),
    ai.loadedModels(probe()),
    embeddingStatus(deps, c.embed_model),
  ]);
  const modelList =
    models.status === "fulfilled"
      ? models.value.map((m) => ({ name: m.name, size: m.size, modified_at: m.modifiedAt, family: m.family, parameter_size: m.parameterSize, quantization_level: m.quantizationLevel }))
      : null;
  if (embeddings.status === "rejected") throw embeddings.reason;
  return {
    enabled: true,
    config,
    server: {
      reachable: version.status === "fulfilled",
      version: version.status === "fulfilled" ? version.value : null,
      error: version.status === "rejected" ? probeError(version.reason, locale) : null,
      models: modelList,
      loaded: loaded.status === "fulfilled" ? loaded.value.map((m) => ({ name: m.name, size_vram: m.sizeVram, expires_at: m.expiresAt })) : null,
      chat_model_present: hasModel(modelList, c.chat_model),
      embed_model_present: hasModel(modelList, c.embed_model),
    },
    embeddings: embeddings.value,
  };
}

async function asAppError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw e instanceof AiError ? e.toAppError() : e;
  }
}

export async function testChat(deps: Deps, input: { message: string; model?: string }): Promise<{ model: string; reply: string; prompt_tokens: number; duration_ms: number }> {
  const ai = requireAi(deps);
  const started = performance.now();
  const res = await asAppError(() => ai.chat({ messages: [{ role: "user", content: input.message }], model: input.model || undefined, outputTokens: TEST_CHAT_OUTPUT_TOKENS }));
  return { model: res.model, reply: res.text, prompt_tokens: res.promptTokens, duration_ms: Math.round(performance.now() - started) };
}

export async function testEmbedding(deps: Deps, input: { text: string; model?: string }): Promise<{ model: string; dimensions: number; sample: number[]; duration_ms: number }> {
  const ai = requireAi(deps);
  const started = performance.now();
  const res = await asAppError(() => ai.embed([input.text], { model: input.model || undefined }));
  const vector = res.embeddings[0] ?? [];
  return { model: res.model, dimensions: vector.length, sample: vector.slice(0, 8), duration_ms: Math.round(performance.now() - started) };
}

export async function reindexTools(deps: Deps): Promise<EmbeddingSyncReport> {
  const ai = requireAi(deps);
  if (!ai.config.embed_model) throw AiErrors.notConfigured({ key: "ai.embed_model" });
  return asAppError(() => syncToolEmbeddings({ ...deps, ai }));
}
