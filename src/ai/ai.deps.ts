// Everything the AI routes and services need, built once in createApp (or a test). With
// [ai] enabled = false `ai` is null: no Ollama client exists, so nothing can open a connection.
import type { CatalogDeps } from "../catalog/catalog.deps";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Store } from "../store/db";
import { createToolsRepository, type ToolsRepository } from "../tools/tools.repository";
import { createAuthoringRepository, type AuthoringRepository } from "../authoring/authoring.repository";
import { aiClientFor, type AiClient, type AiConfig } from "./ai-client";
import { createAssistantRepository, type AssistantRepository } from "./assistant.repository";
import { createToolEmbeddingsRepository, type ToolEmbeddingsRepository } from "./tool-embeddings.repository";

export type AiDeps = {
  config: AiConfig;
  /** null when AI is off. */
  ai: AiClient | null;
  embeddings: ToolEmbeddingsRepository;
  assistant: AssistantRepository;
  /** For the assistant's "may this user edit this tool" check. */
  tools: ToolsRepository;
  authoring: AuthoringRepository;
  /** The catalog's deps (shared with the catalog routes): search sees exactly what the catalog shows. */
  catalog: CatalogDeps;
  log: Logger;
  store: Store;
  now: () => Date;
  /** Assistant requests running in this process, by user and tool: one at a time each. */
  inFlight: Map<string, AbortController>;
};

export function createAiDeps(o: { store: Store; config: Config; log: Logger; catalog: CatalogDeps; ai?: AiClient | null; now?: () => Date }): AiDeps {
  return {
    config: o.config.ai,
    ai: o.ai === undefined ? aiClientFor(o.config.ai) : o.ai,
    embeddings: createToolEmbeddingsRepository(o.store),
    assistant: createAssistantRepository(o.store),
    tools: createToolsRepository(o.store),
    authoring: createAuthoringRepository(o.store),
    catalog: o.catalog,
    log: o.log,
    store: o.store,
    now: o.now ?? (() => new Date()),
    inFlight: new Map(),
  };
}
