// The catalog's and taxonomy's errors. Each message says what to do.
import { AppError, defineErrors, type ErrorDef } from "../http/errors";
import type { TaxonomyKind } from "./taxonomy.rules";

export const CatalogErrors = defineErrors({
  // Unpublished tools answer exactly like missing ones: a teacher must not learn that a draft exists.
  toolNotFound: {
    status: 404,
    code: "catalog.tool_not_found",
    sv: "Verktyget finns inte eller är inte publicerat. Kontrollera adressen eller sök i katalogen.",
    en: "This tool does not exist or is not published. Check the address or search the catalog.",
  },
  versionNotFound: {
    status: 404,
    code: "catalog.version_not_found",
    sv: "Verktyget har ingen sådan version. Ladda om sidan.",
    en: "The tool has no such version. Reload the page.",
  },
  taxonomyNotFound: {
    status: 404,
    code: "taxonomy.not_found",
    sv: "Posten finns inte (längre). Ladda om listan.",
    en: "The entry does not exist (any more). Reload the list.",
  },
  taxonomySlugTaken: {
    status: 409,
    code: "taxonomy.slug_taken",
    sv: "Det finns redan en post med den kortadressen (slug). Välj en annan.",
    en: "An entry with this slug already exists. Choose another one.",
  },
  taxonomyOrderMismatch: {
    status: 409,
    code: "taxonomy.order_mismatch",
    sv: "Listan har ändrats sedan du öppnade den (details.slugs saknas eller är okända). Ladda om och sortera igen.",
    en: "The list changed since you opened it (details.slugs are missing or unknown). Reload and reorder again.",
  },
});

const KIND_NAMES: Record<TaxonomyKind, { sv: string; en: string }> = {
  professions: { sv: "Yrkesrollen", en: "The profession" },
  categories: { sv: "Kategorin", en: "The category" },
};

/** 409 taxonomy.in_use, naming the tools (also in details.tools) so the admin knows what to change. */
export function taxonomyInUse(kind: TaxonomyKind, slug: string, tools: { slug: string; title: string }[]): AppError {
  const shown = tools.slice(0, 10).map((t) => `”${t.title}”`);
  const more = tools.length > shown.length ? tools.length - shown.length : 0;
  const listSv = shown.join(", ") + (more ? ` och ${more} till` : "");
  const listEn = shown.join(", ").replaceAll("”", '"') + (more ? ` and ${more} more` : "");
  const def: ErrorDef = {
    status: 409,
    code: "taxonomy.in_use",
    sv: `${KIND_NAMES[kind].sv} ”${slug}” används av ${tools.length} verktyg: ${listSv}. Ta bort den ur verktygens tool.json och importera dem igen, eller behåll posten.`,
    en: `${KIND_NAMES[kind].en} "${slug}" is used by ${tools.length} tool(s): ${listEn}. Remove it from those tools' tool.json and import them again, or keep the entry.`,
  };
  return new AppError(def, { kind, slug, tools: tools.map((t) => ({ slug: t.slug, title: t.title })) });
}
