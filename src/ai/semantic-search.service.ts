// "Describe what you need": published tools ranked by how close their embedding is to the embedding
// of the teacher's description. Visibility comes from the catalog itself (listCatalog), so a tool
// hidden from the viewer there is never found here. When AI is off, has no embedding model, Ollama
// fails or nothing is indexed yet, the answer comes from the catalog's full-text search and says so.
import type { CatalogDeps } from "../catalog/catalog.deps";
import { listCatalog, type CatalogItemJson } from "../catalog/catalog.service";
import { loadSnapshot } from "../catalog/catalog.snapshot";
import { AiError } from "./ai-client";
import type { AiDeps } from "./ai.deps";
import { decodeVector, fallbackWords, rankBySimilarity, rankByWordHits } from "./semantic-search.rules";
import { syncToolEmbeddings } from "./tool-embeddings.service";

export type FallbackReason = "ai_disabled" | "no_embed_model" | "not_indexed" | "ai_unreachable" | "ai_timeout" | "ai_error";
export type SearchItemJson = CatalogItemJson & { score: number | null };
export type SemanticSearchJson = { mode: "semantic" | "fulltext"; fallback_reason: FallbackReason | null; items: SearchItemJson[] };

type Deps = Pick<AiDeps, "ai" | "embeddings" | "log" | "now" | "store"> & { catalog: CatalogDeps };
type Viewer = { id: string };

export async function semanticSearch(deps: Deps, input: { viewer: Viewer; q: string; limit: number }): Promise<SemanticSearchJson> {
  const { ai } = deps;
  if (!ai) return fullText(deps, input, "ai_disabled");
  const model = ai.config.embed_model;
  if (!model) return fullText(deps, input, "no_embed_model");

  // every tool the viewer may see, with the catalog's own filters applied
  const [visible, snapshot, stored] = await Promise.all([
    listCatalog(deps.catalog, { viewer: input.viewer, professions: [], categories: [] }),
    loadSnapshot(deps.catalog),
    deps.embeddings.listByModel(model),
  ]);
  const vectors = new Map(stored.map((e) => [e.toolId, e.vector]));
  const candidates = visible.items.flatMap((item) => {
    const id = snapshot.bySlug.get(item.slug)?.id;
    const vector = id ? vectors.get(id) : undefined;
    return vector ? [{ item, vector: decodeVector(vector) }] : [];
  });
  if (candidates.length < visible.items.length) {
    // newly published tools: embed them in the background; this answer ranks the others
    syncToolEmbeddings({ ...deps, ai }).catch((error: unknown) => deps.log.warn("background embedding sync failed", { error: error instanceof Error ? error.message : String(error) }));
  }
  if (candidates.length === 0) return fullText(deps, input, "not_indexed");

  let query: number[];
  try {
    query = (await ai.embed([input.q])).embeddings[0]!;
  } catch (error) {
    if (!(error instanceof AiError)) throw error;
    deps.log.warn("semantic search fell back to full-text search", { kind: error.kind, error: error.message });
    return fullText(deps, input, error.kind === "unreachable" ? "ai_unreachable" : error.kind === "timeout" ? "ai_timeout" : "ai_error");
  }
  const ranked = rankBySimilarity(query, candidates, input.limit);
  return { mode: "semantic", fallback_reason: null, items: ranked.map((r) => ({ ...r.item, score: Math.round(r.score * 10_000) / 10_000 })) };
}

/**
 * The catalog's full-text search. A description rarely has every word in one tool, so when all words
 * together find nothing, each word is searched alone and tools found by more words come first.
 */
async function fullText(deps: Pick<Deps, "catalog">, input: { viewer: Viewer; q: string; limit: number }, reason: FallbackReason): Promise<SemanticSearchJson> {
  const search = (q: string) => listCatalog(deps.catalog, { viewer: input.viewer, q, professions: [], categories: [] });
  let items = (await search(input.q)).items;
  if (items.length === 0) {
    const words = fallbackWords(input.q);
    const perWord = await Promise.all(words.map(async (w) => (await search(w)).items));
    const everyTool = (await listCatalog(deps.catalog, { viewer: input.viewer, professions: [], categories: [] })).items;
    items = rankByWordHits(everyTool, perWord, (i) => i.slug);
  }
  return { mode: "fulltext", fallback_reason: reason, items: items.slice(0, input.limit).map((i) => ({ ...i, score: null })) };
}
