/**
 * The tool catalog (GET /api/v1/catalog/…): the list with search and facets, a tool's page, favorites,
 * "instructions seen" and the home page's three lists.
 */
import { api } from "./api";

export interface CatalogItem {
  slug: string;
  title: string;
  summary: string;
  /** Taxonomy slugs, in taxonomy order. */
  professions: string[];
  categories: string[];
  is_favorite: boolean;
}

export interface TaxonomyEntry {
  slug: string;
  label_sv: string;
  label_en: string;
  sort_order: number;
  /** Published tools using it; in the catalog list: with the search and the other facet applied. */
  tool_count: number;
}

export interface CatalogList {
  items: CatalogItem[];
  professions: TaxonomyEntry[];
  categories: TaxonomyEntry[];
}

export interface CatalogTool extends CatalogItem {
  /** Markdown. */
  usage_instructions: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  version: number;
  updated_at: string;
  instructions_changed_since_seen: boolean;
  /** null: the user never opened this tool's instructions. */
  instructions_seen_version: number | null;
}

export interface Home {
  favorites: CatalogItem[];
  recent: Array<CatalogItem & { last_run_at: string }>;
  new: Array<CatalogItem & { published_at: string }>;
}

export interface CatalogQuery {
  q?: string;
  professions?: string[];
  categories?: string[];
}

export function listCatalog(query: CatalogQuery = {}): Promise<CatalogList> {
  return api.request("GET", "/api/v1/catalog/tools", {
    query: { q: query.q, professions: query.professions?.join(","), categories: query.categories?.join(",") },
  });
}

export function getCatalogTool(slug: string): Promise<CatalogTool> {
  return api.request("GET", `/api/v1/catalog/tools/${encodeURIComponent(slug)}`);
}

/** Marks the instructions of `version` (the one the page shows) as read. */
export function markInstructionsSeen(slug: string, version: number): Promise<{ version: number; instructions_changed_since_seen: boolean }> {
  return api.request("POST", `/api/v1/catalog/tools/${encodeURIComponent(slug)}/seen`, { body: { version } });
}

export function setFavorite(slug: string, favorite: boolean): Promise<{ slug: string; is_favorite: boolean }> {
  return api.request(favorite ? "PUT" : "DELETE", `/api/v1/catalog/tools/${encodeURIComponent(slug)}/favorite`);
}

export function getHome(): Promise<Home> {
  return api.request("GET", "/api/v1/catalog/home");
}
