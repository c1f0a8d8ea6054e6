/** The catalog's search and facet filters, kept in the URL so a filtered list can be bookmarked and shared. */
export interface CatalogFilters {
  q: string;
  /** Taxonomy slugs: a tool matches ANY chosen profession AND any chosen category. */
  professions: string[];
  categories: string[];
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function slugList(value: string | null): string[] {
  const slugs = (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => SLUG.test(s));
  return [...new Set(slugs)];
}

export function parseCatalogQuery(search: string): CatalogFilters {
  const params = new URLSearchParams(search);
  return { q: (params.get("q") ?? "").trim(), professions: slugList(params.get("professions")), categories: slugList(params.get("categories")) };
}

/** `/tools?…`, without empty parameters; slugs keep the order they were chosen in. */
export function catalogPath(filters: CatalogFilters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.professions.length) params.set("professions", filters.professions.join(","));
  if (filters.categories.length) params.set("categories", filters.categories.join(","));
  // Commas are safe in a query string; keep them readable in the address bar.
  const text = params.toString().replaceAll("%2C", ",");
  return text ? `/tools?${text}` : "/tools";
}

/** The filters with `slug` added to or removed from one facet. */
export function toggleFacet(filters: CatalogFilters, facet: "professions" | "categories", slug: string, on: boolean): CatalogFilters {
  const current = filters[facet].filter((s) => s !== slug);
  return { ...filters, [facet]: on ? [...current, slug] : current };
}

export function hasFilters(filters: CatalogFilters): boolean {
  return filters.q !== "" || filters.professions.length > 0 || filters.categories.length > 0;
}
