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
 * listCatalog's answer, already serialized (the same JSON text): the route sends it as it is. Each
 * tool's JSON is made once per snapshot, so a list of 500 tools is a join, not 500 objects to build,
 * validate and stringify per request.
 */
export async function listCatalogJson(deps: Deps, input: ListCatalogInput): Promise<string> {
  const p = await selectCatalogPage(deps, input);
  const json = serializedSnapshot(p.snapshot);
  const items = p.page.map((t) => json.itemOpen.get(t.id) + (p.favorites.has(t.id) ? "true}" : "false}")).join(",");
  // the unfiltered catalog's facets (the snapshot's own count maps) are serialized once too
  const all = p.snapshot.allCounts;
  const professions = p.professionCounts === all.professions ? json.allProfessions : JSON.stringify(facetJson(p.snapshot.professions, p.professionCounts));
  const categories = p.categoryCounts === all.categories ? json.allCategories : JSON.stringify(facetJson(p.snapshot.categories, p.categoryCounts));
  return `{"items":[${items}],"total":${p.total},"professions":${professions},"categories":${categories}}`;
}

type SerializedSnapshot = { itemOpen: ReadonlyMap<string, string>; allProfessions: string; allCategories: string };
const serialized = new WeakMap<CatalogSnapshot, SerializedSnapshot>();

/** Per snapshot: each tool's item JSON up to the value of is_favorite (`{"slug":…,"is_favorite":`), and the unfiltered facets. */
function serializedSnapshot(snapshot: CatalogSnapshot): SerializedSnapshot {
  let json = serialized.get(snapshot);
  if (!json) {
    const itemOpen = new Map(snapshot.tools.map((t) => [t.id, JSON.stringify(item(t, false)).slice(0, -"false}".length)]));
    json = {
      itemOpen,
      allProfessions: JSON.stringify(facetJson(snapshot.professions, snapshot.allCounts.professions)),
      allCategories: JSON.stringify(facetJson(snapshot.categories, snapshot.allCounts.categories)),
    };
    serialized.set(snapshot, json);
  }
  return json;
}

// Search hits per snapshot and query: the hits of a query change only with the catalog, and a new
// catalog revision is a new snapshot. Bounded: a flood of distinct queries only empties it.
const SEARCH_CACHE_MAX_QUERIES = 500;
const searchCaches = new WeakMap<CatalogSnapshot, Map<string, ReadonlyMap<string, number>>>();

async function searchHits(deps: Deps, snapshot: CatalogSnapshot, terms: SearchTerm[]): Promise<ReadonlyMap<string, number>> {
  let cache = searchCaches.get(snapshot);
  if (!cache) searchCaches.set(snapshot, (cache = new Map()));
  const key = terms.map((t) => `${t.word}/${t.stem ?? ""}`).join(" ");
  const cached = cache.get(key);
  if (cached) return cached;
  const hits = await deps.catalog.search(terms);
  if (cache.size >= SEARCH_CACHE_MAX_QUERIES) cache.clear();
  cache.set(key, hits);
  return hits;
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
  const rank = terms.length ? await searchHits(deps, snapshot, terms) : null;
  const wantProfessions = selection(input.professions, snapshot.professions);
  const wantCategories = selection(input.categories, snapshot.categories);

  const visible = hidden ? snapshot.tools.filter((t) => !hidden.has(t.id)) : snapshot.tools;
  const found = rank ? visible.filter((t) => rank.has(t.id)) : visible;
  const shown = found.filter((t) => linkedToAny(t.professionIds, wantProfessions) && linkedToAny(t.categoryIds, wantCategories));
  // without a search the snapshot is already in title order
  if (rank) shown.sort(compareByRelevance(rank));

  // Counted over every search hit with the other facet's filter (countFacet); the unfiltered
  // catalog's counts are kept in the snapshot.
  const counts = (facet: "professions" | "categories", otherWanted: ReadonlySet<string> | null) =>
    !rank && !hidden && otherWanted === null ? snapshot.allCounts[facet] : countFacet(found, facet, otherWanted);
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
