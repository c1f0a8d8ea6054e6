// The teacher-facing catalog: the list with search and facet filters, a tool's page, favorites, "seen
// the instructions", and the home page (favorites, recently run, newly published). Only published
// tools exist here; an unpublished tool is "not found" for everyone. Lists read the in-memory
// snapshot of the published catalog (catalog.snapshot.ts); per request only the user's favorites and
// the search hits come from the store.
import type { CatalogDeps } from "./catalog.deps";
import { CatalogErrors } from "./catalog.errors";
import type { TagLink } from "./catalog.repository";
import { compareByRelevance, facetIds, instructionsChangedSinceSeen } from "./catalog.rules";
import { countFacet, linkedToAny, loadSnapshot, type CatalogSnapshot, type SnapshotTool, type Taxonomy } from "./catalog.snapshot";
import { parseSearchQuery, type SearchTerm } from "./search.rules";
import type { TaxonomyEntry } from "./taxonomy.repository";
import type { Role } from "../identity/roles.rules";

type Deps = Pick<CatalogDeps, "catalog" | "taxonomy" | "snapshots" | "now" | "toolAccess">;
/** `role` decides whether tools limited to groups are shown (admins see all); absent = a plain user. */
type Viewer = { id: string; role?: Role };

/** Tools limited to groups the viewer is not in (src/groups); null when nothing is hidden. */
function hiddenTools(deps: Deps, viewer: Viewer): Promise<ReadonlySet<string> | null> | null {
  return deps.toolAccess ? deps.toolAccess.hiddenFor({ id: viewer.id, role: viewer.role ?? "user" }) : null;
}

/** A limited tool answers 404 like a missing one to those who may not see it. */
async function assertVisible(deps: Deps, viewer: Viewer, toolId: string): Promise<void> {
  if ((await hiddenTools(deps, viewer))?.has(toolId)) throw CatalogErrors.toolNotFound();
}

export const HOME_RECENT_LIMIT = 6;
export const HOME_NEW_LIMIT = 6;

export type CatalogItemJson = { slug: string; title: string; summary: string; professions: string[]; categories: string[]; is_favorite: boolean };
export type FacetJson = { slug: string; label_sv: string; label_en: string; sort_order: number; tool_count: number };
export type CatalogListJson = { items: CatalogItemJson[]; total: number; professions: FacetJson[]; categories: FacetJson[] };

export type CatalogToolJson = CatalogItemJson & {
  usage_instructions: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  version: number;
  updated_at: string;
  /** The instructions differ from those of the version the user last marked as seen. */
  instructions_changed_since_seen: boolean;
  /** The version whose instructions the user last saw, or null before the first time. */
  instructions_seen_version: number | null;
};

export type HomeJson = {
  favorites: CatalogItemJson[];
  recent: (CatalogItemJson & { last_run_at: string })[];
  new: (CatalogItemJson & { published_at: string })[];
};

type Tagged = { slug: string; title: string; summary: string; professions: readonly TaxonomyEntry[]; categories: readonly TaxonomyEntry[] };

function item(t: Tagged, isFavorite: boolean): CatalogItemJson {
  return {
    slug: t.slug,
    title: t.title,
    summary: t.summary,
    professions: t.professions.map((e) => e.slug),
    categories: t.categories.map((e) => e.slug),
    is_favorite: isFavorite,
  };
}

/** A facet filter as a set of entry ids; null = no filter. */
function selection(slugs: readonly string[], tax: Taxonomy): ReadonlySet<string> | null {
  const ids = facetIds(slugs, tax.entries);
  return ids && new Set(ids);
}

function facetJson(tax: Taxonomy, counts: ReadonlyMap<string, number>): FacetJson[] {
  return tax.entries.map((e) => ({ slug: e.slug, label_sv: e.labelSv, label_en: e.labelEn, sort_order: e.sortOrder, tool_count: counts.get(e.id) ?? 0 }));
}

export type ListCatalogInput = {
  viewer: Viewer;
  q?: string | null;
  professions: string[];
  categories: string[];
  /** Page of the items: at most `limit` (default all) after skipping `offset`. */
  limit?: number;
  offset?: number;
};

/**
 * Published tools matching the search (every word, as a prefix, in title, summary or usage
 * instructions) and the facet filters: any of the selected professions AND any of the selected
 * categories. Ordered by relevance when searching, else by title (Swedish order).
 */
export async function listCatalog(deps: Deps, input: ListCatalogInput): Promise<CatalogListJson> {
  const p = await selectCatalogPage(deps, input);
  return {
    items: p.page.map((t) => item(t, p.favorites.has(t.id))),
    total: p.total,
    professions: facetJson(p.snapshot.professions, p.professionCounts),
    categories: facetJson(p.snapshot.categories, p.categoryCounts),
  };
}

/**
 * listCatalog's answer as the UTF-8 bytes of its JSON: the route sends them as they are. Each tool's
 * item is encoded once per snapshot (twice: as a favorite and not), so a list of 500 tools is one
 * copy of ready bytes per request instead of building, validating, stringifying and encoding 500
 * objects; a teacher's own favorites only pick which of the two encodings is copied.
 */
export async function listCatalogBody(deps: Deps, input: ListCatalogInput): Promise<ArrayBuffer> {
  const p = await selectCatalogPage(deps, input);
  const enc = encodedSnapshot(p.snapshot);
  const parts: Uint8Array[] = [ITEMS_OPEN];
  p.page.forEach((t, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(enc.items.get(t.id)![p.favorites.has(t.id) ? 1 : 0]);
  });
  const professions = encodedFacet(p.snapshot.professions, p.professionCounts);
  const categories = encodedFacet(p.snapshot.categories, p.categoryCounts);
  parts.push(utf8(`],"total":${p.total},"professions":`), professions, CATEGORIES_KEY, categories, CLOSE);
  return Bun.concatArrayBuffers(parts);
}

const textEncoder = new TextEncoder();
const utf8 = (text: string) => textEncoder.encode(text);
const ITEMS_OPEN = utf8('{"items":[');
const COMMA = utf8(",");
const CATEGORIES_KEY = utf8(',"categories":');
const CLOSE = utf8("}");

/** Per snapshot: each tool's item JSON as [not favorite, favorite] bytes. */
type EncodedSnapshot = { items: ReadonlyMap<string, readonly [Uint8Array, Uint8Array]> };
const encoded = new WeakMap<CatalogSnapshot, EncodedSnapshot>();

function encodedSnapshot(snapshot: CatalogSnapshot): EncodedSnapshot {
  let enc = encoded.get(snapshot);
  if (!enc) {
    enc = { items: new Map(snapshot.tools.map((t) => [t.id, [utf8(JSON.stringify(item(t, false))), utf8(JSON.stringify(item(t, true)))] as const])) };
    encoded.set(snapshot, enc);
  }
  return enc;
}

// A facet's JSON per count map: the maps kept with a snapshot or a cached search (the common
// answers) are encoded once; a map counted for one request is encoded once and dropped with it.
const encodedFacets = new WeakMap<ReadonlyMap<string, number>, Uint8Array>();

function encodedFacet(tax: Taxonomy, counts: ReadonlyMap<string, number>): Uint8Array {
  let bytes = encodedFacets.get(counts);
  if (!bytes) encodedFacets.set(counts, (bytes = utf8(JSON.stringify(facetJson(tax, counts)))));
  return bytes;
}

// A search's result per snapshot and query: the hits of a query change only with the catalog, and a
// new catalog revision is a new snapshot. Kept in display order with the facet counts of all hits,
// so a repeated search is a filter over ready tools, not a sort. Bounded: a flood of distinct
// queries only empties it.
const SEARCH_CACHE_MAX_QUERIES = 500;
type SearchResult = { ranked: readonly SnapshotTool[]; counts: Record<"professions" | "categories", ReadonlyMap<string, number>> };
const searchCaches = new WeakMap<CatalogSnapshot, Map<string, SearchResult>>();

async function searchResult(deps: Deps, snapshot: CatalogSnapshot, terms: SearchTerm[]): Promise<SearchResult> {
  let cache = searchCaches.get(snapshot);
  if (!cache) searchCaches.set(snapshot, (cache = new Map()));
  const key = terms.map((t) => `${t.word}/${t.stem ?? ""}`).join(" ");
  const cached = cache.get(key);
  if (cached) return cached;
  const rank = await deps.catalog.search(terms);
  const ranked = snapshot.tools.filter((t) => rank.has(t.id)).sort(compareByRelevance(rank));
  const result: SearchResult = { ranked, counts: { professions: countFacet(ranked, "professions", null), categories: countFacet(ranked, "categories", null) } };
  if (cache.size >= SEARCH_CACHE_MAX_QUERIES) cache.clear();
  cache.set(key, result);
  return result;
}

type CatalogPage = {
  snapshot: CatalogSnapshot;
  page: SnapshotTool[];
  total: number;
  favorites: ReadonlySet<string>;
  professionCounts: ReadonlyMap<string, number>;
  categoryCounts: ReadonlyMap<string, number>;
};

async function selectCatalogPage(deps: Deps, input: ListCatalogInput): Promise<CatalogPage> {
  const terms = parseSearchQuery(input.q);
  const [snapshot, favoriteIds, hidden] = await Promise.all([
    loadSnapshot(deps),
    deps.catalog.listFavoriteToolIds(input.viewer.id),
    hiddenTools(deps, input.viewer),
  ]);
  const search = terms.length ? await searchResult(deps, snapshot, terms) : null;
  const wantProfessions = selection(input.professions, snapshot.professions);
  const wantCategories = selection(input.categories, snapshot.categories);

  // both in display order: the snapshot by title, a search's hits by relevance
  const all = search ? search.ranked : snapshot.tools;
  const found = hidden ? all.filter((t) => !hidden.has(t.id)) : all;
  const shown =
    wantProfessions || wantCategories ? found.filter((t) => linkedToAny(t.professionIds, wantProfessions) && linkedToAny(t.categoryIds, wantCategories)) : found;

  // Counted over every search hit with the other facet's filter (countFacet); the counts without
  // hidden tools and without the other facet's filter are kept with the snapshot or the search.
  const counts = (facet: "professions" | "categories", otherWanted: ReadonlySet<string> | null) =>
    !hidden && otherWanted === null ? (search ? search.counts : snapshot.allCounts)[facet] : countFacet(found, facet, otherWanted);
  const offset = input.offset ?? 0;
  return {
    snapshot,
    page: shown.slice(offset, input.limit === undefined ? undefined : offset + input.limit),
    total: shown.length,
    favorites: new Set(favoriteIds),
    professionCounts: counts("professions", wantCategories),
    categoryCounts: counts("categories", wantProfessions),
  };
}

function entriesOf(links: readonly TagLink[], tax: Taxonomy): TaxonomyEntry[] {
  return links.flatMap((l) => tax.byId.get(l.entryId) ?? []).sort((a, b) => a.sortOrder - b.sortOrder);
}

/** The tool page of a published tool: its active version's instructions and forms, and the user's marks. */
export async function getCatalogTool(deps: Deps, input: { viewer: Viewer; slug: string }): Promise<CatalogToolJson> {
  const tool = await deps.catalog.getPublishedBySlug(input.slug);
  if (!tool) throw CatalogErrors.toolNotFound();
  await assertVisible(deps, input.viewer, tool.id);
  const [snapshot, professionLinks, categoryLinks, favorite, seen] = await Promise.all([
    loadSnapshot(deps),
    deps.catalog.listLinks("professions", [tool.id]),
    deps.catalog.listLinks("categories", [tool.id]),
    deps.catalog.isFavorite(input.viewer.id, tool.id),
    deps.catalog.getSeenVersion(input.viewer.id, tool.id),
  ]);
  const v = tool.activeVersion;
  const tagged = { ...tool, professions: entriesOf(professionLinks, snapshot.professions), categories: entriesOf(categoryLinks, snapshot.categories) };
  return {
    ...item(tagged, favorite),
    usage_instructions: v.usageInstructions,
    input_schema: v.inputSchema,
    settings_schema: v.settingsSchema,
    version: v.number,
    updated_at: tool.updatedAt.toISOString(),
    instructions_changed_since_seen: instructionsChangedSinceSeen(v.usageInstructions, seen?.usageInstructions ?? null),
    instructions_seen_version: seen?.number ?? null,
  };
}

/**
 * Records that the user read the usage instructions of `version` (default: the active one). The page
 * sends the version it showed, so a version published while it was open is not marked as read.
 */
export async function markInstructionsSeen(deps: Deps, input: { viewer: Viewer; slug: string; version?: number }): Promise<{ version: number; instructions_changed_since_seen: boolean }> {
  const tool = await deps.catalog.getPublishedBySlug(input.slug);
  if (!tool) throw CatalogErrors.toolNotFound();
  await assertVisible(deps, input.viewer, tool.id);
  const number = input.version ?? tool.activeVersion.number;
  const versionId = number === tool.activeVersion.number ? tool.activeVersion.id : await deps.catalog.findVersionId(tool.id, number);
  if (!versionId) throw CatalogErrors.versionNotFound({ version: number });
  await deps.catalog.markSeen(input.viewer.id, tool.id, versionId, deps.now());
  const seen = await deps.catalog.getSeenVersion(input.viewer.id, tool.id);
  return { version: number, instructions_changed_since_seen: instructionsChangedSinceSeen(tool.activeVersion.usageInstructions, seen?.usageInstructions ?? null) };
}

/** Marks or unmarks a published tool as a favorite; idempotent. */
export async function setFavorite(deps: Deps, input: { viewer: Viewer; slug: string; favorite: boolean }): Promise<{ slug: string; is_favorite: boolean }> {
  const tool = await deps.catalog.getPublishedBySlug(input.slug);
  if (!tool) throw CatalogErrors.toolNotFound();
  await assertVisible(deps, input.viewer, tool.id);
  if (input.favorite) await deps.catalog.addFavorite(input.viewer.id, tool.id, deps.now());
  else await deps.catalog.removeFavorite(input.viewer.id, tool.id);
  return { slug: tool.slug, is_favorite: input.favorite };
}

/** The home page: the user's favorites (title order), tools they ran lately, tools published lately. */
export async function getHome(deps: Deps, input: { viewer: Viewer }): Promise<HomeJson> {
  const [snapshot, favoriteIds, recent, fresh, hidden] = await Promise.all([
    loadSnapshot(deps),
    deps.catalog.listFavoriteToolIds(input.viewer.id),
    deps.catalog.listRecentlyRun(input.viewer.id, HOME_RECENT_LIMIT),
    deps.catalog.listNewlyPublished(HOME_NEW_LIMIT),
    hiddenTools(deps, input.viewer),
  ]);
  const favorites = new Set(favoriteIds);
  const toItem = (t: SnapshotTool) => item(t, favorites.has(t.id));
  // Tools limited to groups the viewer is not in are left out like unpublished ones.
  const shownById = (id: string) => (hidden?.has(id) ? undefined : snapshot.byId.get(id));
  // Favorites of tools that were unpublished since are kept but not shown.
  const favoriteTools = favoriteIds.flatMap((id) => shownById(id) ?? []).sort((a, b) => a.titleRank - b.titleRank);
  return {
    favorites: favoriteTools.map(toItem),
    recent: recent.flatMap((r) => {
      const t = shownById(r.toolId);
      return t ? [{ ...toItem(t), last_run_at: r.lastRunAt.toISOString() }] : [];
    }),
    new: fresh.flatMap((n) => {
      const t = shownById(n.toolId);
      return t ? [{ ...toItem(t), published_at: n.publishedAt.toISOString() }] : [];
    }),
  };
}
