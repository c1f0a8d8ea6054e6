// Pure rules of the catalog: facet filters from query strings, which tools a filter keeps, the order
// of the list, and whether a tool's usage instructions changed since the user last read them.

export const FACET_MAX_VALUES = 20;

/**
 * Facet values from `?professions=larare,rektor` (comma-separated; repeated parameters are accepted
 * too). Empty values and repeats are dropped. An empty result means "no filter on this facet".
 */
export function parseFacet(value: string | readonly string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  const parts = (typeof value === "string" ? [value] : value).flatMap((v) => v.split(","));
  const slugs = parts.map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  return [...new Set(slugs)].slice(0, FACET_MAX_VALUES);
}

/**
 * The taxonomy ids a facet filter selects. Slugs that name no entry select nothing: a filter on only
 * unknown values (a stale bookmark) keeps no tools rather than silently showing all of them.
 */
export function facetIds(slugs: readonly string[], entries: readonly { id: string; slug: string }[]): string[] | null {
  if (slugs.length === 0) return null;
  const bySlug = new Map(entries.map((e) => [e.slug, e.id]));
  return slugs.flatMap((s) => {
    const id = bySlug.get(s);
    return id ? [id] : [];
  });
}

// Made on first use: creating an ICU collator costs ≈1–2 ms, which server start-up should not pay.
let collator: Intl.Collator | null = null;

/** Swedish alphabetical order (å, ä, ö after z), case-insensitive, numbers by value; slug breaks ties. */
export function compareTitles(a: { title: string; slug: string }, b: { title: string; slug: string }): number {
  collator ??= new Intl.Collator("sv", { sensitivity: "base", numeric: true });
  return collator.compare(a.title, b.title) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}

/** Best match first; equally relevant tools in title order (`titleRank`: position by compareTitles). */
export function compareByRelevance(rank: ReadonlyMap<string, number>) {
  return (a: { id: string; titleRank: number }, b: { id: string; titleRank: number }): number => (rank.get(b.id) ?? 0) - (rank.get(a.id) ?? 0) || a.titleRank - b.titleRank;
}

/**
 * Whether the usage instructions changed since the user last saw them: only when they saw some
 * version before and its text differs from the active version's. A first visit is not a change
 * (everything is new then), and a new version with the same instructions is not one either.
 */
export function instructionsChangedSinceSeen(activeInstructions: string, seenInstructions: string | null): boolean {
  if (seenInstructions === null) return false;
  return seenInstructions.trim() !== activeInstructions.trim();
}
