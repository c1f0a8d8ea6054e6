/**
 * Local AI through the site's Ollama server (src/ai, contract .tmp/contract-ai.md): whether AI is on at
 * all, the admin AI page, the "describe what you need" catalog search, and the editor assistant (its
 * answer streamed as Server-Sent Events from a POST, read with fetch).
 */
import { currentLocale } from "../i18n/locale";
import type { Meta } from "./api-types";
import { api } from "./api";
import { ApiError } from "./api-error";
import type { CatalogItem } from "./catalog.api";

/**
 * True only when the server says `ai_enabled: true` in GET /api/v1/meta. Missing or anything else is
 * off: then no AI element may appear anywhere in the UI.
 */
export function aiEnabled(meta: Meta | null | undefined): boolean {
  return (meta as { ai_enabled?: unknown } | null | undefined)?.ai_enabled === true;
}

export interface AiConfig {
  ollama_url: string;
  chat_model: string;
  embed_model: string;
  num_ctx: number;
  timeout_seconds: number;
  concurrency: number;
  max_retries: number;
}

export interface AiModel {
  name: string;
  size: number;
  modified_at: string;
  family: string;
  parameter_size: string;
  quantization_level: string;
}

export interface AiLoadedModel {
  name: string;
  size_vram: number;
  expires_at: string;
}

export interface AiServerStatus {
  reachable: boolean;
  version: string | null;
  error: { code: string; message: string } | null;
  /** null: the list could not be read (the page then offers a text input for the model name). */
  models: AiModel[] | null;
  loaded: AiLoadedModel[] | null;
  /** null when the model list could not be read. */
  chat_model_present: boolean | null;
  embed_model_present: boolean | null;
}

export interface AiEmbeddingIndex {
  published_tools: number;
  indexed_tools: number;
  /** Tools whose text changed since their embedding was computed. */
  stale_tools: number;
  last_embedded_at: string | null;
}

export interface AiStatus {
  enabled: boolean;
  config: AiConfig;
  /** null while AI is off (nothing connects then). */
  server: AiServerStatus | null;
  /** null while AI is off. */
  embeddings: AiEmbeddingIndex | null;
}

export interface TestChatResult {
  model: string;
  reply: string;
  prompt_tokens: number;
  duration_ms: number;
}

export interface TestEmbeddingResult {
  model: string;
  dimensions: number;
  /** The first values of the vector. */
  sample: number[];
  duration_ms: number;
}

export function getAiStatus(): Promise<AiStatus> {
  return api.request("GET", "/api/v1/admin/ai");
}

export function testChat(message: string, model?: string): Promise<TestChatResult> {
  return api.request("POST", "/api/v1/admin/ai/test-chat", { body: { message, model: model || undefined } });
}

export function testEmbedding(text: string, model?: string): Promise<TestEmbeddingResult> {
  return api.request("POST", "/api/v1/admin/ai/test-embedding", { body: { text, model: model || undefined } });
}

export function reindexTools(): Promise<{ indexed: number; unchanged: number; removed: number }> {
  return api.request("POST", "/api/v1/admin/ai/reindex", { body: {} });
}

export type SearchFallbackReason = "ai_disabled" | "no_embed_model" | "not_indexed" | "ai_unreachable" | "ai_timeout" | "ai_error";

export interface SemanticSearchResult {
  mode: "semantic" | "fulltext";
  fallback_reason: SearchFallbackReason | null;
  items: Array<CatalogItem & { score: number | null }>;
}

/** Ranks tools by similarity to a description; falls back to full-text search (the answer says which). */
export function semanticSearch(q: string, limit = 20): Promise<SemanticSearchResult> {
  return api.request("GET", "/api/v1/ai/search", { query: { q, limit } });
}

export interface AssistantMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  created_at: string;
}

export interface AssistantContext {
  source: string;
  input_schema?: unknown;
  settings_schema?: unknown;
  usage_instructions?: string;
}

const assistantPath = (toolId: string) => `/api/v1/ai/assistant/${encodeURIComponent(toolId)}`;

export function getConversation(toolId: string): Promise<{ messages: AssistantMessage[]; in_flight: boolean }> {
  return api.request("GET", `${assistantPath(toolId)}/conversation`);
}

/** `toolId` is the tool's id (not its slug). 409 ai.busy while an answer is being written. */
export async function clearConversation(toolId: string): Promise<void> {
  await api.request("DELETE", `${assistantPath(toolId)}/conversation`);
}

/**
 * Sends a message; the answer streams back as `text/event-stream`. Errors before the stream starts
 * (409 ai.busy, 404, 422, ai.*) throw an ApiError like every other call; the stream's own events are
 * read by the caller (see assistant-drawer, which parses them with SseParser).
 */
export async function postAssistantMessage(toolId: string, message: string, context: AssistantContext, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  // The stream is read with fetch (EventSource cannot POST), so the CSRF token is fetched here.
  const token = await api.refreshCsrfToken();
  let response: Response;
  try {
    response = await fetch(`${assistantPath(toolId)}/messages`, {
      method: "POST",
      credentials: "same-origin",
      signal,
      headers: {
        Accept: "text/event-stream",
        "Content-Type": "application/json",
        "Accept-Language": currentLocale(),
        "X-CSRF-Token": token,
      },
      body: JSON.stringify({ message, context }),
    });
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw ApiError.network(cause);
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // Not JSON (a proxy's page): ApiError.fromBody makes it "unknown".
    }
    throw ApiError.fromBody(response.status, body);
  }
  return response.body;
}
