import { describe, expect, test } from "bun:test";
import { fts5MatchExpression, parseSearchQuery, SEARCH_MAX_WORDS } from "./search.rules";

describe("parseSearchQuery", () => {
  test("lowercases, splits on anything but letters, digits and inner hyphens, stems long enough words", () => {
    expect(parseSearchQuery("  Slumpa GRUPPER, åk9! ")).toEqual([
      { word: "slumpa", stem: "slump" },
      { word: "grupper", stem: "grupp" },
      { word: "åk9", stem: null },
    ]);
  });

  test("hyphens join a word: e-post and epost are the same word", () => {
    expect(parseSearchQuery("E-post")).toEqual([{ word: "epost", stem: "epost" }]);
    expect(parseSearchQuery("--grupper-- -")).toEqual([{ word: "grupper", stem: "grupp" }]);
  });

  test("stems shorter than 4 letters are not used: the word itself is the prefix", () => {
    expect(parseSearchQuery("månad")).toEqual([{ word: "månad", stem: null }]);
    expect(parseSearchQuery("och")).toEqual([{ word: "och", stem: null }]);
  });

  test("decomposed letters are composed first (ä typed as a + combining diaeresis)", () => {
    expect(parseSearchQuery("la\u0308sbarhet")).toEqual([{ word: "läsbarhet", stem: "läsbar" }]);
  });

  test("operators and quotes of either engine are separators; repeats count once; words are capped", () => {
    expect(parseSearchQuery('"läsb" OR * NEAR(x) :* & | !').map((t) => t.word)).toEqual(["läsb", "or", "near", "x"]);
    expect(parseSearchQuery("grupp grupp GRUPP").map((t) => t.word)).toEqual(["grupp"]);
    expect(parseSearchQuery("a b c d e f g h i j k")).toHaveLength(SEARCH_MAX_WORDS);
    expect(parseSearchQuery("")).toEqual([]);
    expect(parseSearchQuery(null)).toEqual([]);
    expect(parseSearchQuery(" ,.;- ")).toEqual([]);
  });
});

describe("fts5MatchExpression", () => {
  test("every term as a quoted prefix, all required", () => {
    expect(fts5MatchExpression(parseSearchQuery("Grupper månad och"))).toBe('"grupp"* AND "månad"* AND "och"*');
  });
});
