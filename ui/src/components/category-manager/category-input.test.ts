import { describe, expect, test } from "bun:test";
import { parseKeywords, parsePatterns, patternProblem } from "./category-input";

describe("category rule inputs", () => {
  test("keywords split on commas and lines, trimmed, without blanks or repeats (any case)", () => {
    expect(parseKeywords(" betyg, Omdöme\nomdöme ,, \nintyg")).toEqual(["betyg", "Omdöme", "intyg"]);
    expect(parseKeywords("   ")).toEqual([]);
  });

  test("patterns split on lines only, so a comma may be part of one", () => {
    expect(parsePatterns("\\d{6}-\\d{4}\n  x{1,3}  \n\n")).toEqual(["\\d{6}-\\d{4}", "x{1,3}"]);
  });

  test("a pattern that does not compile is reported; a fine one is not", () => {
    expect(patternProblem("ab(c")).toBeString();
    expect(patternProblem("[a-ö]+")).toBeNull();
  });
});
