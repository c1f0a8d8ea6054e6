import { describe, expect, test } from "bun:test";
import postgres from "postgres";
import { swedishStem } from "./swedish-stemmer.rules";

// Words a school's tool catalog uses, in several inflections.
const WORDS = [
  "grupp", "grupper", "gruppen", "grupperna", "gruppernas", "läsbarhet", "läsbarheten", "läsbara", "elev", "elever", "eleverna",
  "elevernas", "betyg", "betygen", "betygsätta", "lektion", "lektioner", "lektionerna", "planering", "planeringar", "mentorskap",
  "närvaro", "närvaron", "frånvaro", "klass", "klassen", "klasser", "skolan", "skolor", "lärare", "lärarna", "lärarens", "rektor",
  "rektorer", "administration", "samtal", "samtalen", "vårdnadshavare", "vårdnadshavarna", "månad", "månader", "friskt", "hopplös", "hopplöst", "hjälpfullt",
  "löst", "fullt", "vänlig", "kraftig", "blandade", "springande", "skrivandet", "e", "på", "och", "x", "123", "åk9",
];

describe("swedishStem", () => {
  test("strips Swedish inflection suffixes; every stem is a prefix of its word", () => {
    expect(swedishStem("grupper")).toBe("grupp");
    expect(swedishStem("gruppen")).toBe("grupp");
    expect(swedishStem("grupperna")).toBe("grupp");
    expect(swedishStem("läsbarheten")).toBe("läsbar");
    expect(swedishStem("lasbarhet")).toBe("lasbar");
    expect(swedishStem("elevernas")).toBe("elev");
    expect(swedishStem("lektionerna")).toBe("lektion");
    expect(swedishStem("klassen")).toBe("klass");
    // step 2 (dt, kt, tt… lose a letter) and step 3 (lig, ig, els; löst → lös; fullt → full)
    expect(swedishStem("friskt")).toBe("frisk");
    expect(swedishStem("vänlig")).toBe("vän");
    expect(swedishStem("hjälpfullt")).toBe("hjälpfull");
    expect(swedishStem("hopplöst")).toBe("hopplös");
    // …but only inside R1 (after the first vowel–consonant pair, at least 3 letters in)
    expect(swedishStem("fullt")).toBe("fullt");
    // short words and words without a region to strip stay as they are
    for (const w of ["e", "på", "och", "123", "x"]) expect(swedishStem(w)).toBe(w);
    for (const w of WORDS) expect(w.startsWith(swedishStem(w))).toBe(true);
  });

  const url = process.env.SKRIPTOTEKET_TEST_DATABASE_URL;
  test.skipIf(!url)("agrees with PostgreSQL's Snowball Swedish stemmer (ts_lexize swedish_stem)", async () => {
    const sql = postgres(url!, { max: 1, onnotice: () => {} });
    try {
      const mismatches: string[] = [];
      for (const w of WORDS) {
        const [row] = await sql<{ lexemes: string[] | null }[]>`SELECT ts_lexize('swedish_stem', ${w}) AS lexemes`;
        // stop words give an empty array: the stemmer's answer for them is irrelevant
        const theirs = row?.lexemes?.[0];
        if (theirs !== undefined && theirs !== swedishStem(w)) mismatches.push(`${w}: ours ${swedishStem(w)}, PostgreSQL ${theirs}`);
      }
      expect(mismatches).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});
