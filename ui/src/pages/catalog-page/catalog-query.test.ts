import { describe, expect, test } from "bun:test";
import { catalogPath, hasFilters, parseCatalogQuery, toggleFacet } from "./catalog-query";

describe("catalog filters in the URL", () => {
  test("round trip; commas stay readable; junk slugs and repeats are dropped", () => {
    const filters = parseCatalogQuery("?q=%20betyg%20&professions=larare,Rektor,larare,<script>&categories=");
    expect(filters).toEqual({ q: "betyg", professions: ["larare", "rektor"], categories: [] });
    expect(catalogPath(filters)).toBe("/tools?q=betyg&professions=larare,rektor");
    expect(parseCatalogQuery(catalogPath(filters).slice("/tools".length))).toEqual(filters);
    expect(catalogPath({ q: "", professions: [], categories: [] })).toBe("/tools");
    expect(catalogPath({ q: "å & ö", professions: [], categories: ["bedomning"] })).toBe("/tools?q=%C3%A5+%26+%C3%B6&categories=bedomning");
  });

  test("toggling a facet value keeps the others and the chosen order", () => {
    const base = { q: "", professions: ["larare"], categories: ["narvaro"] };
    expect(toggleFacet(base, "professions", "rektor", true)).toEqual({ ...base, professions: ["larare", "rektor"] });
    expect(toggleFacet(base, "categories", "narvaro", false)).toEqual({ ...base, categories: [] });
    expect(hasFilters({ q: "", professions: [], categories: [] })).toBe(false);
    expect(hasFilters(base)).toBe(true);
  });
});
