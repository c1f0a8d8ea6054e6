import { describe, expect, test } from "bun:test";
import { compareByRelevance, compareTitles, facetIds, instructionsChangedSinceSeen, parseFacet } from "./catalog.rules";

describe("parseFacet", () => {
  test("comma-separated or repeated, trimmed, lowercased, without repeats or empties", () => {
    expect(parseFacet("larare, Rektor,,larare")).toEqual(["larare", "rektor"]);
    expect(parseFacet(["larare", "rektor,specialpedagog"])).toEqual(["larare", "rektor", "specialpedagog"]);
    expect(parseFacet("")).toEqual([]);
    expect(parseFacet(undefined)).toEqual([]);
  });
});

describe("facetIds", () => {
  const entries = [
    { id: "p1", slug: "larare" },
    { id: "p2", slug: "rektor" },
  ];
  test("no selection is no filter; unknown slugs select nothing", () => {
    expect(facetIds([], entries)).toBeNull();
    expect(facetIds(["rektor", "larare"], entries)).toEqual(["p2", "p1"]);
    expect(facetIds(["vaktmastare"], entries)).toEqual([]);
    expect(facetIds(["vaktmastare", "rektor"], entries)).toEqual(["p2"]);
  });
});

describe("ordering", () => {
  const tool = (slug: string, title: string) => ({ id: slug, slug, title });
  test("titles in Swedish order: å, ä, ö after z; case-insensitive; numbers by value", () => {
    const titles = [tool("o", "Översikt"), tool("a1", "Ärenden"), tool("a2", "Åtgärder"), tool("z", "Zon"), tool("b", "betyg"), tool("c", "Betyg 10"), tool("d", "Betyg 9")];
    expect(titles.sort(compareTitles).map((t) => t.title)).toEqual(["betyg", "Betyg 9", "Betyg 10", "Zon", "Åtgärder", "Ärenden", "Översikt"]);
  });
  test("relevance first, then title", () => {
    const rank = new Map([
      ["a", 1],
      ["b", 5],
      ["c", 1],
    ]);
    const list = [
      { id: "c", titleRank: 2 },
      { id: "a", titleRank: 0 },
      { id: "b", titleRank: 1 },
    ];
    expect(list.sort(compareByRelevance(rank)).map((t) => t.id)).toEqual(["b", "a", "c"]);
  });
});

describe("instructionsChangedSinceSeen", () => {
  test("only after an earlier visit, and only when the text differs", () => {
    expect(instructionsChangedSinceSeen("Ny text", null)).toBe(false);
    expect(instructionsChangedSinceSeen("Samma", "Samma")).toBe(false);
    expect(instructionsChangedSinceSeen("Samma\n", "Samma")).toBe(false);
    expect(instructionsChangedSinceSeen("Ny text", "Gammal text")).toBe(true);
    expect(instructionsChangedSinceSeen("", "Gammal text")).toBe(true);
  });
});
