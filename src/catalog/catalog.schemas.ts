// Request and response schemas of the catalog and taxonomy API (TypeBox through Elysia's `t`).
import { t } from "elysia";
import { SLUG_MAX_LENGTH } from "../tools/tools.rules";
import { LABEL_MAX_LENGTH } from "./taxonomy.rules";

const Slug = t.String({ minLength: 1, maxLength: SLUG_MAX_LENGTH, description: "Lowercase a–z, digits and single hyphens" });
// Elysia gives a repeated query parameter as an array when the schema allows one.
const FacetParam = t.Union([t.String({ maxLength: 2000 }), t.Array(t.String({ maxLength: 200 }), { maxItems: 50 })], {
  description: "Comma-separated slugs (or the parameter repeated); a tool matches when it has ANY of them",
});

export const SlugParams = t.Object({ slug: Slug });

export const CatalogQuery = t.Object({
  q: t.Optional(t.String({ maxLength: 200, description: "Words to find in title, summary and usage instructions (all words; partial words match)" })),
  professions: t.Optional(FacetParam),
  categories: t.Optional(FacetParam),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000, description: "At most this many items (default: all); total counts them all" })),
  offset: t.Optional(t.Integer({ minimum: 0, default: 0, description: "Skip this many items first (paging with limit)" })),
});

export const CatalogItem = t.Object({
  slug: t.String(),
  title: t.String(),
  summary: t.String(),
  professions: t.Array(t.String(), { description: "Slugs, in taxonomy order" }),
  categories: t.Array(t.String(), { description: "Slugs, in taxonomy order" }),
  is_favorite: t.Boolean(),
});

export const TaxonomyEntrySchema = t.Object({
  slug: t.String(),
  label_sv: t.String(),
  label_en: t.String(),
  sort_order: t.Integer(),
  tool_count: t.Integer({ description: "Published tools using the entry (in the catalog list: with the search and the other facet applied)" }),
});

export const CatalogListResponse = t.Object({
  items: t.Array(CatalogItem),
  total: t.Integer({ description: "Tools matching the search and filters (items holds the requested page of them)" }),
  professions: t.Array(TaxonomyEntrySchema),
  categories: t.Array(TaxonomyEntrySchema),
});

export const CatalogToolResponse = t.Composite([
  CatalogItem,
  t.Object({
    usage_instructions: t.String({ description: "Markdown" }),
    input_schema: t.Array(t.Unknown()),
    settings_schema: t.Union([t.Array(t.Unknown()), t.Null()]),
    version: t.Integer({ description: "The active version's number" }),
    updated_at: t.String({ format: "date-time" }),
    instructions_changed_since_seen: t.Boolean({ description: "The user saw an earlier version's instructions and they differ from these" }),
    instructions_seen_version: t.Union([t.Integer(), t.Null()], { description: "The version whose instructions the user last saw" }),
  }),
]);

export const SeenBody = t.Optional(
  t.Object({ version: t.Optional(t.Integer({ minimum: 1, description: "The version the page showed (default: the active one)" })) }),
);
export const SeenResponse = t.Object({ version: t.Integer(), instructions_changed_since_seen: t.Boolean() });
export const FavoriteResponse = t.Object({ slug: t.String(), is_favorite: t.Boolean() });

export const HomeResponse = t.Object({
  favorites: t.Array(CatalogItem),
  recent: t.Array(t.Composite([CatalogItem, t.Object({ last_run_at: t.String({ format: "date-time" }) })])),
  new: t.Array(t.Composite([CatalogItem, t.Object({ published_at: t.String({ format: "date-time" }) })])),
});

const Label = t.String({ minLength: 1, maxLength: LABEL_MAX_LENGTH * 2 });
export const TaxonomyListResponse = t.Object({ items: t.Array(TaxonomyEntrySchema) });
export const TaxonomyEntryEnvelope = t.Object({ entry: TaxonomyEntrySchema });
export const NewTaxonomyEntryBody = t.Object({ slug: Slug, label_sv: Label, label_en: Label });
export const RenameTaxonomyEntryBody = t.Object({ label_sv: t.Optional(Label), label_en: t.Optional(Label) });
export const ReorderTaxonomyBody = t.Object({ slugs: t.Array(Slug, { maxItems: 200, description: "Every entry's slug once, in the new order" }) });
