import { describe, expect, test } from "bun:test";
import { parseSearchQuery } from "../catalog/search.rules";
import {
  acceptSuggestion,
  buildSuggestion,
  checkCategoryRules,
  chunkPages,
  classificationSchema,
  combineChunkResults,
  isPdf,
  makeSnippet,
  matchCategoryRules,
  normalizeCategoryName,
  normalizeKeywords,
  parseListFilter,
  statusAfterPipeline,
  validateClassification,
} from "./documents.rules";

const enc = (s: string) => new TextEncoder().encode(s);

describe("isPdf", () => {
  test("looks at the bytes only", () => {
    expect(isPdf(enc("%PDF-1.7\n..."))).toBe(true);
    expect(isPdf(enc("%PDF"))).toBe(false);
    expect(isPdf(enc("PK\u0003\u0004 a zip renamed to .pdf"))).toBe(false);
    expect(isPdf(enc(" %PDF-1.4"))).toBe(false);
    expect(isPdf(new Uint8Array())).toBe(false);
  });
});

describe("category rules", () => {
  const cats = [
    { id: "c1", name: "Avtal", keywords: ["avtal", "hyresavtal"], patterns: [] },
    { id: "c2", name: "Faktura", keywords: [], patterns: ["fakturanummer\\s*:?\\s*\\d+", "OCR"] },
    { id: "c3", name: "Elevhälsa", keywords: ["elevhälsoteam", "åtgärdsprogram"], patterns: [] },
  ];

  test("keywords match whole words regardless of case; patterns are case-insensitive", () => {
    const m = matchCategoryRules("Detta AVTAL gäller. Fakturanummer: 4711, OCR 123.", cats);
    expect(m.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(m.find((c) => c.id === "c2")!.confidence).toBeCloseTo(0.7);
    expect(m.every((c) => c.source === "rule")).toBe(true);
  });

  test("a keyword inside a longer word does not match; Swedish letters do", () => {
    expect(matchCategoryRules("avtalsenlig ersättning", cats)).toEqual([]);
    expect(matchCategoryRules("Beslut om ÅTGÄRDSPROGRAM.", cats).map((c) => c.id)).toEqual(["c3"]);
    expect(matchCategoryRules("atgardsprogram", cats)).toEqual([]);
  });

  test("confidence grows with hits and stops at 0.95", () => {
    const many = [{ id: "x", name: "X", keywords: ["a", "b", "c", "d", "e", "f"], patterns: ["g"] }];
    expect(matchCategoryRules("a b c d e f g", many)[0]!.confidence).toBe(0.95);
  });

  test("checks report bad patterns with their index; names and keywords are normalized", () => {
    expect(checkCategoryRules(["ok"], ["fine\\d+", "(unclosed", ""])).toEqual([
      expect.objectContaining({ path: "/patterns", index: 1, value: "(unclosed" }),
      expect.objectContaining({ path: "/patterns", index: 2, reason: "empty" }),
    ]);
    expect(checkCategoryRules(["x".repeat(201)], [])[0]).toMatchObject({ path: "/keywords", index: 0 });
    expect(normalizeCategoryName("  Elev  hälsa ")).toBe("Elev hälsa");
    expect(normalizeCategoryName("   ")).toBeNull();
    expect(normalizeCategoryName("x".repeat(81))).toBeNull();
    expect(normalizeKeywords([" Avtal", "avtal", "", "hyra "])).toEqual(["Avtal", "hyra"]);
  });
});

describe("chunkPages", () => {
  test("keeps pages together while they fit, with page markers", () => {
    const chunks = chunkPages(["första sidan", "andra sidan", "   ", "fjärde"], 1000);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toContain("[sida 1]\nförsta sidan");
    expect(chunks[0]).toContain("[sida 4]\nfjärde");
    expect(chunks[0]).not.toContain("[sida 3]");
  });

  test("starts a new chunk at a page boundary, splits an oversized page at word breaks", () => {
    const page = "ord ".repeat(100); // 400 chars
    const chunks = chunkPages([page, page, "kort"], 450);
    expect(chunks.length).toBe(2);
    expect(chunks[1]).toStartWith("[sida 2]");
    expect(chunks[1]).toEndWith("[sida 3]\nkort");
    expect(chunks.every((c) => c.length <= 450)).toBe(true);
    const huge = chunkPages(["ord ".repeat(1000)], 500);
    expect(huge.length).toBeGreaterThanOrEqual(8);
    expect(huge.every((c) => c.length <= 500 && !c.startsWith(" "))).toBe(true);
    expect(huge.join(" ").split(/\s+/).filter((w) => w === "ord")).toHaveLength(1000);
  });
});

describe("classification", () => {
  const setup = { types: ["brev", "faktura"], fields: ["datum", "avsändare"], categories: ["Avtal", "Ekonomi"] };

  test("schema lists the allowed values", () => {
    const s = classificationSchema(setup) as { properties: Record<string, { enum?: string[]; items?: { enum: string[] }; required?: string[] }> };
    expect(s.properties.doc_type!.enum).toEqual(["brev", "faktura"]);
    expect(s.properties.categories!.items!.enum).toEqual(["Avtal", "Ekonomi"]);
    expect(s.properties.fields!.required).toEqual(["datum", "avsändare"]);
  });

  test("validation keeps known values, drops invented ones, rejects wrong shapes", () => {
    const ok = validateClassification(
      { doc_type: "faktura", summary: " En faktura. ", categories: ["Ekonomi", "Påhittad", "Ekonomi"], fields: { datum: "2024-01-02", avsändare: "", extra: "x" }, confidence: 1.4 },
      setup,
    );
    expect(ok).toEqual({ ok: true, value: { docType: "faktura", summary: "En faktura.", categories: ["Ekonomi"], fields: { datum: "2024-01-02", avsändare: null }, confidence: 1 } });
    const bad = validateClassification({ doc_type: "roman", summary: 3, categories: "x", fields: {}, confidence: "high" }, setup);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems).toHaveLength(4);
    expect(validateClassification([1], setup)).toEqual({ ok: false, problems: ["the answer is not a JSON object"] });
  });

  test("combined chunk results name each part", () => {
    const text = combineChunkResults([
      { docType: "brev", summary: "Första delen.", categories: ["Avtal"], fields: { datum: "1 maj" }, confidence: 0.8 },
      { docType: "brev", summary: "Andra delen.", categories: [], fields: { datum: null }, confidence: 0.6 },
    ]);
    expect(text).toContain("Del 1: typ brev; kategorier Avtal; datum: 1 maj\nFörsta delen.");
    expect(text).toContain("Del 2: typ brev; kategorier -; inga fält\nAndra delen.");
  });
});

describe("suggestion and review", () => {
  const categories = [
    { id: "a", name: "Avtal" },
    { id: "e", name: "Ekonomi" },
    { id: "h", name: "Hyra" },
  ];

  test("rules alone: categories only, status by whether anything matched", () => {
    const s = buildSuggestion({ ruleMatches: [{ id: "a", name: "Avtal", source: "rule", confidence: 0.6 }], ai: null, categories, accepted: [] });
    expect(s).toEqual({ docType: null, summary: null, fields: {}, categories: [{ id: "a", name: "Avtal", source: "rule", confidence: 0.6 }], confidence: null, model: null });
    expect(statusAfterPipeline(s)).toBe("needs_review");
    expect(statusAfterPipeline(buildSuggestion({ ruleMatches: [], ai: null, categories, accepted: [] }))).toBe("done");
  });

  test("rules and model merge; accepted categories are not suggested again", () => {
    const s = buildSuggestion({
      ruleMatches: [
        { id: "a", name: "Avtal", source: "rule", confidence: 0.9 },
        { id: "h", name: "Hyra", source: "rule", confidence: 0.6 },
      ],
      ai: { value: { docType: "avtal", summary: "Ett hyresavtal.", categories: ["Avtal", "Ekonomi", "Okänd"], fields: { datum: null }, confidence: 0.7 }, model: "m:1" },
      categories,
      accepted: ["h"],
    });
    expect(s.categories).toEqual([
      { id: "a", name: "Avtal", source: "ai", confidence: 0.9 },
      { id: "e", name: "Ekonomi", source: "ai", confidence: 0.7 },
    ]);
    expect(s).toMatchObject({ docType: "avtal", summary: "Ett hyresavtal.", confidence: 0.7, model: "m:1" });
  });

  test("accept: edits win over the suggestion, which wins over current values", () => {
    const current = { docType: "brev", summary: null, fields: { datum: "1 jan", avsändare: "Skolan" }, categoryIds: ["h"] };
    const suggestion = { docType: "avtal", summary: "Sammanfattning", fields: { datum: "2 feb", avsändare: null }, categories: [{ id: "a", name: "Avtal", source: "ai" as const, confidence: 0.8 }], confidence: 0.8, model: "m" };
    expect(acceptSuggestion(current, suggestion, {})).toEqual({ docType: "avtal", summary: "Sammanfattning", fields: { datum: "2 feb", avsändare: "Skolan" }, categoryIds: ["h", "a"] });
    expect(acceptSuggestion(current, suggestion, { docType: "protokoll", categoryIds: ["a"], fields: { datum: null } })).toEqual({
      docType: "protokoll",
      summary: "Sammanfattning",
      fields: { datum: null, avsändare: "Skolan" },
      categoryIds: ["a"],
    });
  });
});

describe("parseListFilter", () => {
  test("statuses and inclusive dates", () => {
    const r = parseListFilter({ status: "done,failed", from: "2024-03-01", to: "2024-03-31" });
    expect(r).toEqual({ ok: true, value: { statuses: ["done", "failed"], from: new Date("2024-03-01T00:00:00Z"), toExclusive: new Date("2024-04-01T00:00:00Z") } });
    expect(parseListFilter({})).toEqual({ ok: true, value: { statuses: null, from: null, toExclusive: null } });
  });
  test("bad values name their path", () => {
    expect(parseListFilter({ status: "done,lost" })).toMatchObject({ ok: false, path: "/status" });
    expect(parseListFilter({ from: "2024-02-30" })).toMatchObject({ ok: false, path: "/from" });
    expect(parseListFilter({ to: "igår" })).toMatchObject({ ok: false, path: "/to" });
  });
});

describe("makeSnippet", () => {
  test("marks the first matching word, by stem or prefix, with an ellipsis where cut", () => {
    const text = `${"inledning ".repeat(30)}Här står det om hyresavtalet och om avtalen i övrigt. ${"slut ".repeat(40)}`;
    const s = makeSnippet(text, parseSearchQuery("avtalen"))!;
    expect(s).toContain("«avtalen»");
    expect(s.startsWith("…")).toBe(true);
    expect(s.endsWith("…")).toBe(true);
    expect(s.length).toBeLessThanOrEqual(170);
    expect(makeSnippet("Kort text om Protokoll-förslag.", parseSearchQuery("protokollen"))).toBe("Kort text om «Protokoll-förslag».");
    expect(makeSnippet("inget här", parseSearchQuery("avtal"))).toBeNull();
  });
});
