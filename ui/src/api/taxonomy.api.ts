/** Professions and categories: everyone reads them, admins add, rename, reorder and remove them. */
import { api } from "./api";
import type { TaxonomyEntry } from "./catalog.api";

export type TaxonomyKind = "professions" | "categories";

const base = (kind: TaxonomyKind) => `/api/v1/catalog/${kind}`;

export async function listTaxonomy(kind: TaxonomyKind): Promise<TaxonomyEntry[]> {
  const { items } = await api.request<{ items: TaxonomyEntry[] }>("GET", base(kind));
  return items;
}

export async function addTaxonomyEntry(kind: TaxonomyKind, entry: { slug: string; label_sv: string; label_en: string }): Promise<TaxonomyEntry> {
  const res = await api.request<{ entry: TaxonomyEntry }>("POST", base(kind), { body: entry });
  return res.entry;
}

export async function renameTaxonomyEntry(kind: TaxonomyKind, slug: string, labels: { label_sv: string; label_en: string }): Promise<TaxonomyEntry> {
  const res = await api.request<{ entry: TaxonomyEntry }>("PATCH", `${base(kind)}/${encodeURIComponent(slug)}`, { body: labels });
  return res.entry;
}

/** Every slug once, in the new order; 409 taxonomy.order_mismatch when the list changed meanwhile. */
export async function reorderTaxonomy(kind: TaxonomyKind, slugs: string[]): Promise<TaxonomyEntry[]> {
  const { items } = await api.request<{ items: TaxonomyEntry[] }>("PUT", `${base(kind)}/order`, { body: { slugs } });
  return items;
}

/** 409 taxonomy.in_use (its message names the tools) while a tool uses the entry. */
export async function removeTaxonomyEntry(kind: TaxonomyKind, slug: string): Promise<void> {
  await api.request("DELETE", `${base(kind)}/${encodeURIComponent(slug)}`);
}
