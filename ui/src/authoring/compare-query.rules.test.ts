import { describe, expect, test } from "bun:test";
import { comparePath, parseCompareQuery } from "./compare-query.rules";

describe("the compare URL", () => {
  test("versions, the working copy and the part", () => {
    expect(parseCompareQuery("?a=working&b=v2&part=input_schema")).toEqual({ a: { kind: "working" }, b: { kind: "version", id: "v2" }, part: "input_schema" });
  });

  test("defaults: nothing chosen, the source", () => {
    expect(parseCompareQuery("")).toEqual({ a: { kind: "none" }, b: { kind: "none" }, part: "source" });
    expect(parseCompareQuery("?part=bogus").part).toBe("source");
  });

  test("round trip, with the default part left out", () => {
    const query = parseCompareQuery("?a=v1&b=v2&part=usage_instructions");
    expect(comparePath("mitt-verktyg", query)).toBe("/tools/mitt-verktyg/compare?a=v1&b=v2&part=usage_instructions");
    expect(comparePath("x", { ...query, part: "source" })).toBe("/tools/x/compare?a=v1&b=v2");
    expect(comparePath("x", parseCompareQuery(""))).toBe("/tools/x/compare");
  });
});
