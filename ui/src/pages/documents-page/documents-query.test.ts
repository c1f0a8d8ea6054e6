import { describe, expect, test } from "bun:test";
import { documentsApiQuery, documentsPath, hasDocumentFilters, parseDocumentsQuery, snippetParts, withFilter } from "./documents-query";

describe("documents filters in the URL", () => {
  test("a full query round-trips; unknown statuses, impossible days and bad pages are dropped", () => {
    const filters = parseDocumentsQuery("?q=%20betyg%20&status=needs_review&type=Intyg&category=c1&from=2026-01-31&to=2026-02-30&page=3");
    expect(filters).toEqual({ q: "betyg", status: "needs_review", type: "Intyg", category: "c1", from: "2026-01-31", to: "", page: 3 });
    expect(documentsPath(filters)).toBe("/documents?q=betyg&status=needs_review&type=Intyg&category=c1&from=2026-01-31&page=3");
    expect(parseDocumentsQuery("?status=lost&page=-2")).toEqual({ q: "", status: null, type: "", category: "", from: "", to: "", page: 1 });
    expect(documentsPath(parseDocumentsQuery(""))).toBe("/documents");
  });

  test("changing a filter goes back to page 1; any filter counts as filtered except the page", () => {
    const filters = parseDocumentsQuery("?page=4");
    expect(hasDocumentFilters(filters)).toBe(false);
    const next = withFilter(filters, { status: "failed" });
    expect(next.page).toBe(1);
    expect(hasDocumentFilters(next)).toBe(true);
  });

  test("the API query leaves empty filters out and asks for one page", () => {
    expect(documentsApiQuery(parseDocumentsQuery("?category=c9&to=2026-03-01"))).toEqual({
      q: undefined,
      status: undefined,
      type: undefined,
      category: "c9",
      from: undefined,
      to: "2026-03-01",
      page: 1,
      page_size: 25,
    });
  });
});

describe("snippetParts", () => {
  test("marked words become hits, the rest plain text; marks never leak into the text", () => {
    expect(snippetParts("…om «betyg» i «matematik» för åk 9")).toEqual([
      { text: "…om ", hit: false },
      { text: "betyg", hit: true },
      { text: " i ", hit: false },
      { text: "matematik", hit: true },
      { text: " för åk 9", hit: false },
    ]);
    expect(snippetParts("inga träffar")).toEqual([{ text: "inga träffar", hit: false }]);
    expect(snippetParts("«»x")).toEqual([{ text: "x", hit: false }]);
  });
});
