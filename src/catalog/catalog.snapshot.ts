// The published catalog held in memory: every published tool with its tags, in title order, and both
// taxonomies. Teachers' list, search and home requests read it instead of loading up to 500 tools and
// their links per request. It is rebuilt when the store's catalog revision moved — a number the sync
// triggers bump in the same transaction as any change to tools or the taxonomy — so a change made by
// another server instance or by `skriptoteket tool import` shows up on the next request.
import type { CatalogRepository, CatalogToolRow, TagLink } from "./catalog.repository";
import { compareTitles } from "./catalog.rules";
import type { TaxonomyEntry, TaxonomyRepository } from "./taxonomy.repository";

export type Taxonomy = { entries: readonly TaxonomyEntry[]; byId: ReadonlyMap<string, TaxonomyEntry>; bySlug: ReadonlyMap<string, TaxonomyEntry> };

export type SnapshotTool = CatalogToolRow & {
  /** Linked entries in taxonomy order. */
  professions: readonly TaxonomyEntry[];
  categories: readonly TaxonomyEntry[];
  professionIds: ReadonlySet<string>;
  categoryIds: ReadonlySet<string>;
  /** Position in title order (Swedish collation), for cheap tie-breaking after relevance. */
  titleRank: number;
};

export type CatalogSnapshot = {
  revision: number;
  /** Published tools in title order. */
  tools: readonly SnapshotTool[];
  byId: ReadonlyMap<string, SnapshotTool>;
  bySlug: ReadonlyMap<string, SnapshotTool>;
  professions: Taxonomy;
  categories: Taxonomy;
  /** countFacet over all tools without filters: the unfiltered list's facet counts. */
  allCounts: { professions: ReadonlyMap<string, number>; categories: ReadonlyMap<string, number> };
};

/** One per process (built in createCatalogDeps); shared by every request. */
export type SnapshotCache = { current: CatalogSnapshot | null; building: { revision: number; snapshot: Promise<CatalogSnapshot> } | null };

export function createSnapshotCache(): SnapshotCache {
  return { current: null, building: null };
}

type Deps = { catalog: CatalogRepository; taxonomy: TaxonomyRepository; snapshots: SnapshotCache };

function taxonomy(entries: TaxonomyEntry[]): Taxonomy {
  return { entries, byId: new Map(entries.map((e) => [e.id, e])), bySlug: new Map(entries.map((e) => [e.slug, e])) };
}

function linked(links: readonly TagLink[], tax: Taxonomy): Map<string, TaxonomyEntry[]> {
  const out = new Map<string, TaxonomyEntry[]>();
  for (const l of links) {
    const entry = tax.byId.get(l.entryId);
    if (!entry) continue;
    const list = out.get(l.toolId);
    if (list) list.push(entry);
    else out.set(l.toolId, [entry]);
  }
  for (const list of out.values()) list.sort((a, b) => a.sortOrder - b.sortOrder);
  return out;
}

async function build(deps: Deps, revision: number): Promise<CatalogSnapshot> {
  const [professionEntries, categoryEntries, rows, professionLinks, categoryLinks] = await Promise.all([
    deps.taxonomy.list("professions"),
    deps.taxonomy.list("categories"),
    deps.catalog.listPublished(),
    deps.catalog.listLinks("professions"),
    deps.catalog.listLinks("categories"),
  ]);
  const professions = taxonomy(professionEntries);
  const categories = taxonomy(categoryEntries);
  const byProfession = linked(professionLinks, professions);
  const byCategory = linked(categoryLinks, categories);
  const tools = rows.sort(compareTitles).map((row, titleRank): SnapshotTool => {
    const p = byProfession.get(row.id) ?? [];
    const c = byCategory.get(row.id) ?? [];
    return { ...row, professions: p, categories: c, professionIds: new Set(p.map((e) => e.id)), categoryIds: new Set(c.map((e) => e.id)), titleRank };
  });
  return {
    revision,
    tools,
    byId: new Map(tools.map((t) => [t.id, t])),
    bySlug: new Map(tools.map((t) => [t.slug, t])),
    professions,
    categories,
    allCounts: { professions: countFacet(tools, "professions", null), categories: countFacet(tools, "categories", null) },
  };
}

export function linkedToAny(ids: ReadonlySet<string>, wanted: ReadonlySet<string> | null): boolean {
  if (wanted === null) return true;
  for (const id of ids) if (wanted.has(id)) return true;
  return false;
}

/**
 * Facet counts the way a filter panel needs them: for each entry of `facet`, how many of `tools`
 * would be shown with that entry added to the facet's selection — the OTHER facet's selection
 * applies, the facet's own does not (values within a facet are alternatives).
 */
export function countFacet(tools: readonly SnapshotTool[], facet: "professions" | "categories", otherWanted: ReadonlySet<string> | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tools) {
    if (!linkedToAny(facet === "professions" ? t.categoryIds : t.professionIds, otherWanted)) continue;
    for (const e of t[facet]) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  }
  return counts;
}

/** The snapshot for the store's current revision: the cached one, or one build shared by concurrent callers. */
export async function loadSnapshot(deps: Deps): Promise<CatalogSnapshot> {
  const revision = await deps.catalog.getRevision();
  const cache = deps.snapshots;
  if (cache.current?.revision === revision) return cache.current;
  if (cache.building?.revision === revision) return cache.building.snapshot;
  const snapshot = build(deps, revision);
  const building = { revision, snapshot };
  cache.building = building;
  try {
    const built = await snapshot;
    cache.current = built;
    // The catalog changed (or this process just started): compact the search index once per
    // revision, after this request. Only speed is at stake, so a failure (say, the database busy
    // with a long write) is left for the next change.
    setTimeout(() => void deps.catalog.compactSearchIndex().catch(() => {}), 0);
    return built;
  } finally {
    if (cache.building === building) cache.building = null;
  }
}
