// Swedish search on both stores: with and without å/ä/ö, any letter case, partial words, inflected
// forms, "e-post"/"epost", every word required, title matches first, and an index that follows
// re-imports and new versions. Runs the real service over the real triggers and search tables.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import { listCatalog } from "./catalog.service";
import { createCatalogTestApp, type CatalogTestApp } from "./catalog.test-app";

for (const kind of testStoreKinds()) {
  describe(`catalog search on ${kind}`, () => {
    let t: CatalogTestApp;
    const search = async (q: string) => (await listCatalog(t.deps, { viewer: { id: t.users.user }, q, professions: [], categories: [] })).items.map((i) => i.slug);
    const sorted = async (q: string) => (await search(q)).sort();

    beforeAll(async () => {
      t = await createCatalogTestApp(kind);
      await t.addTool({ slug: "lasbarhet", title: "Läsbarhet i elevtexter", summary: "Mäter hur lätt en text är att läsa.", instructions: "Klistra in texten. Verktyget räknar LIX." });
      await t.addTool({ slug: "slumpa-grupper", title: "Slumpa grupper", summary: "Delar in klassen i grupper.", instructions: "Ange hur många elever det ska vara per grupp." });
      await t.addTool({ slug: "narvaro", title: "Närvaro", summary: "Sammanställer närvaron för gruppen." });
      await t.addTool({ slug: "e-post", title: "E-post till vårdnadshavare", summary: "Skapar ett e-postutskick." });
      await t.addTool({ slug: "epostlista", title: "Epostlista", summary: "Exporterar adresser som epostlista." });
      await t.addTool({
        slug: "betygsunderlag",
        title: "Betygsunderlag",
        summary: "Sammanställer underlag.",
        instructions: "Använd en CSV-fil med rubrikrad: elevernas namn och läsbarhetsvärden.",
      });
      await t.addTool({ slug: "hemligt-utkast", title: "Läsbarhet, utkast", summary: "Inte publicerat: grupper e-post.", publish: false });
    });
    afterAll(async () => t?.close());

    test("with and without diacritics, in any case: läsbarhet = lasbarhet = LÄSBARHET", async () => {
      const want = ["lasbarhet", "betygsunderlag"];
      for (const q of ["läsbarhet", "lasbarhet", "LÄSBARHET", "Lasbarhet", "läsbarheten"]) expect({ q, hits: await search(q) }).toEqual({ q, hits: want });
      expect(await search("narvaro")).toEqual(["narvaro"]);
      expect(await search("NÄRVARON")).toEqual(["narvaro"]);
      expect(await search("vardnadshavare")).toEqual(["e-post"]);
    });

    test("partial words match as prefixes", async () => {
      for (const q of ["läsb", "lasb", "läsbarh", "rubrik", "vårdnads"]) expect({ q, n: (await search(q)).length }).toEqual({ q, n: q.startsWith("rubrik") || q.startsWith("vård") ? 1 : 2 });
    });

    test("inflected forms: grupper, grupp and gruppen find each other", async () => {
      for (const q of ["grupper", "grupp", "gruppen", "GRUPPERNA"]) {
        // title matches rank first
        expect({ q, hits: await search(q) }).toEqual({ q, hits: ["slumpa-grupper", "narvaro"] });
      }
      // elever → elev: elevtexter, elever, elevernas
      expect(await sorted("elever")).toEqual(["betygsunderlag", "lasbarhet", "slumpa-grupper"]);
    });

    test('"e-post" and "epost" find both spellings', async () => {
      const both = ["e-post", "epostlista"];
      for (const q of ["e-post", "epost", "E-POST", "e-postutskick"]) expect({ q, hits: (await search(q)).sort() }).toEqual({ q, hits: q === "e-postutskick" ? ["e-post"] : both });
    });

    test("every word must match; words are found in title, summary and usage instructions", async () => {
      expect(await search("slumpa grupper")).toEqual(["slumpa-grupper"]);
      expect(await search("grupper närvaro")).toEqual(["narvaro"]);
      expect(await search("rubrikrad")).toEqual(["betygsunderlag"]);
      expect(await search("namn och läsbarhet")).toEqual(["betygsunderlag"]);
      expect(await search("lix")).toEqual(["lasbarhet"]);
      expect(await search("xyzzy")).toEqual([]);
      expect(await search("grupper xyzzy")).toEqual([]);
    });

    test("unpublished tools are never found", async () => {
      expect(await search("utkast")).toEqual([]);
      expect(await search("hemligt")).toEqual([]);
    });

    test("query syntax of either engine is just text", async () => {
      for (const q of ['"', "*", "läsb\" OR \"", "AND OR NOT", "NEAR(grupper", ":* & | !", "grupper)", "'; DROP TABLE tools; --", "-", "--grupper--"]) {
        const hits = await search(q);
        expect(Array.isArray(hits)).toBe(true);
      }
      expect(await search("--grupper--")).toEqual(["slumpa-grupper", "narvaro"]);
      expect(await search("  ")).toHaveLength(6);
      expect(await sorted("NEAR(grupper")).toEqual([]);
    });

    test("the index follows a re-import: new title, new version's instructions", async () => {
      await t.addTool({ slug: "narvaro", title: "Frånvarorapport", summary: "Sammanställer frånvaron för gruppen.", instructions: "Välj en månad." });
      expect(await search("närvaro")).toEqual([]);
      expect(await search("franvaro")).toEqual(["narvaro"]);
      expect(await search("manad")).toEqual(["narvaro"]);
      // a new version (changed script and instructions) replaces the old instructions in the index
      await t.addTool({ slug: "narvaro", title: "Frånvarorapport", summary: "Sammanställer frånvaron för gruppen.", instructions: "Välj en termin.", source: "def run_tool(i, o):\n    return 2\n" });
      expect(await search("manad")).toEqual([]);
      expect(await search("termin")).toEqual(["narvaro"]);
      // a draft version does not change what teachers find
      await t.addTool({ slug: "narvaro", title: "Frånvarorapport", summary: "Sammanställer frånvaron för gruppen.", instructions: "Välj ett läsår.", source: "def run_tool(i, o):\n    return 3\n", publish: false });
      expect(await search("termin")).toEqual(["narvaro"]);
      expect(await search("lasar")).toEqual([]);
    });
  });
}
