// Keeps one embedding per published tool up to date for the semantic search: a tool whose text
// (title, summary, usage instructions) or the embedding model changed is embedded again, an
// unpublished tool's embedding is removed. Runs from a loop in `serve` (startToolEmbeddingSync),
// from the admin page ("reindex"), and in the background when a search meets tools without one.
// One sync at a time per store: callers that arrive while one runs share its result.
import type { Logger } from "../log/logger";
import type { Store } from "../store/db";
import { aiClientFor, type AiClient, type AiConfig } from "./ai-client";
import { embeddingHash, encodeVector, toolEmbeddingText } from "./semantic-search.rules";
import { createToolEmbeddingsRepository, type ToolEmbeddingsRepository } from "./tool-embeddings.repository";

export type EmbeddingSyncDeps = {
  embeddings: ToolEmbeddingsRepository;
  ai: AiClient;
  log: Logger;
  now: () => Date;
  /** Identifies the store the single-flight guard is shared over. */
  store: Store;
};

export type EmbeddingSyncReport = { indexed: number; unchanged: number; removed: number };
export type EmbeddingStatus = { published_tools: number; indexed_tools: number; stale_tools: number; last_embedded_at: string | null };

/** Texts embedded per request to Ollama. */
const BATCH = 16;

const running = new WeakMap<Store, Promise<EmbeddingSyncReport>>();

async function syncOnce(deps: EmbeddingSyncDeps, signal?: AbortSignal): Promise<EmbeddingSyncReport> {
  const model = deps.ai.config.embed_model;
  const [tools, stored] = await Promise.all([deps.embeddings.listPublishedToolTexts(), deps.embeddings.listMeta()]);
  const current = new Map(stored.map((m) => [m.toolId, m.textHash]));
  const todo = tools
    .map((t) => {
      const text = toolEmbeddingText(t);
      return { toolId: t.toolId, text, hash: embeddingHash(text, model) };
    })
    .filter((t) => current.get(t.toolId) !== t.hash);
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    const { embeddings } = await deps.ai.embed(
      batch.map((t) => t.text),
      { signal },
    );
    const now = deps.now();
    for (const [j, t] of batch.entries()) {
      const vector = embeddings[j]!;
      await deps.embeddings.save({ toolId: t.toolId, textHash: t.hash, model, dimensions: vector.length, vector: encodeVector(vector), updatedAt: now });
    }
  }
  const removed = await deps.embeddings.removeAllExcept(tools.map((t) => t.toolId));
  return { indexed: todo.length, unchanged: tools.length - todo.length, removed };
}

/** Brings every published tool's embedding up to date; joins a sync already running on this store. */
export function syncToolEmbeddings(deps: EmbeddingSyncDeps, signal?: AbortSignal): Promise<EmbeddingSyncReport> {
  const inFlight = running.get(deps.store);
  if (inFlight) return inFlight;
  const started = syncOnce(deps, signal).finally(() => running.delete(deps.store));
  running.set(deps.store, started);
  return started;
}

/** How many published tools have an up-to-date embedding (for the admin page). */
export async function embeddingStatus(deps: Pick<EmbeddingSyncDeps, "embeddings">, model: string): Promise<EmbeddingStatus> {
  const [tools, stored] = await Promise.all([deps.embeddings.listPublishedToolTexts(), deps.embeddings.listMeta()]);
  const byTool = new Map(stored.map((m) => [m.toolId, m]));
  let indexed = 0;
  let last: Date | null = null;
  for (const t of tools) {
    const m = byTool.get(t.toolId);
    if (m && model && m.textHash === embeddingHash(toolEmbeddingText(t), model)) indexed++;
    if (m && (!last || m.updatedAt > last)) last = m.updatedAt;
  }
  return { published_tools: tools.length, indexed_tools: indexed, stale_tools: tools.length - indexed, last_embedded_at: last?.toISOString() ?? null };
}

export type EmbeddingSyncLoop = { stop(): Promise<void> };

/**
 * The loop `serve` runs: a sync at start, then every `intervalMs`. Failures (Ollama down) are logged
 * once per kind of failure and retried on the next tick; they never stop the loop.
 */
export function startToolEmbeddingSync(deps: EmbeddingSyncDeps, { intervalMs }: { intervalMs: number }): EmbeddingSyncLoop {
  const controller = new AbortController();
  let lastProblem: string | null = null;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = syncToolEmbeddings(deps, controller.signal)
      .then((report) => {
        if (report.indexed || report.removed) deps.log.info("tool embeddings updated", report);
        lastProblem = null;
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const problem = error instanceof Error ? error.message : String(error);
        if (problem !== lastProblem) deps.log.warn("tool embeddings not updated; retrying later", { error: problem });
        lastProblem = problem;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      controller.abort();
      await current;
    },
  };
}

/**
 * The loop for `serve`, or null when there is nothing to do: AI off (no client is even created, so
 * nothing connects) or no embedding model configured.
 */
export function startToolEmbeddingSyncFor({ store, config, log }: { store: Store; config: { ai: AiConfig }; log: Logger }): EmbeddingSyncLoop | null {
  const ai = aiClientFor(config.ai);
  if (!ai || !config.ai.embed_model) return null;
  return startToolEmbeddingSync(
    { embeddings: createToolEmbeddingsRepository(store), ai, log, now: () => new Date(), store },
    { intervalMs: config.ai.embed_sync_seconds * 1000 },
  );
}
