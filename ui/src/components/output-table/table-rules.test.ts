import { describe, expect, test } from "bun:test";
import { cellText, csvCell, filterRows, nextSort, sortRows, toCsv } from "./table-rules";

const words = { yes: "Ja", no: "Nej" };
const columns = [
  { key: "namn", label: "Namn" },
  { key: "poang", label: "Poäng" },
  { key: "klar", label: "Klar" },
];
const rows = [
  { namn: "Örjan", poang: 12, klar: true },
  { namn: "anna", poang: 9.5, klar: false },
  { namn: "Åsa", poang: null, klar: true },
  { namn: "Bo 10", poang: 100, klar: null },
  { namn: "Bo 9", poang: 12, klar: false },
];

describe("table rows", () => {
  test("cell text: booleans in words, null empty", () => {
    expect([true, false, null, 2.5, "x"].map((v) => cellText(v, words))).toEqual(["Ja", "Nej", "", "2.5", "x"]);
  });

  test("filter keeps rows where every word appears in some cell, case-insensitive", () => {
    expect(filterRows(rows, columns, "bo", words).map((r) => r.namn)).toEqual(["Bo 10", "Bo 9"]);
    expect(filterRows(rows, columns, "ÅSA ja", words).map((r) => r.namn)).toEqual(["Åsa"]);
    expect(filterRows(rows, columns, "  ", words)).toHaveLength(5);
  });

  test("sort: Swedish text order with numbers by value, numbers by value, empty last, stable", () => {
    const byName = sortRows(rows, { key: "namn", direction: "ascending" }, "sv-SE").map((r) => r.namn);
    expect(byName).toEqual(["anna", "Bo 9", "Bo 10", "Åsa", "Örjan"]);
    const byPoints = sortRows(rows, { key: "poang", direction: "descending" }, "sv-SE").map((r) => r.namn);
    expect(byPoints).toEqual(["Bo 10", "Örjan", "Bo 9", "anna", "Åsa"]);
    expect(sortRows(rows, { key: "klar", direction: "ascending" }, "sv-SE").map((r) => r.namn)).toEqual(["anna", "Bo 9", "Örjan", "Åsa", "Bo 10"]);
  });

  test("a header click sorts ascending, then descending, then ascending again", () => {
    const first = nextSort(null, "namn");
    const second = nextSort(first, "namn");
    expect([first, second, nextSort(second, "namn"), nextSort(second, "poang")]).toEqual([
      { key: "namn", direction: "ascending" },
      { key: "namn", direction: "descending" },
      { key: "namn", direction: "ascending" },
      { key: "poang", direction: "ascending" },
    ]);
  });
});

describe("CSV for Swedish Excel", () => {
  test("cells: decimal comma, quoting, formula guard", () => {
    expect(csvCell(2.5, true)).toBe("2,5");
    expect(csvCell(2.5, false)).toBe("2.5");
    expect(csvCell('säger "hej"; då', true)).toBe('"säger ""hej""; då"');
    expect(csvCell("=SUMMA(A1:A3)", true)).toBe("'=SUMMA(A1:A3)");
    expect(csvCell("-5 grader", true)).toBe("'-5 grader");
    expect(csvCell(-5, true)).toBe("-5");
    expect(csvCell("rad 1\nrad 2", true)).toBe('"rad 1\nrad 2"');
    expect(csvCell(null, true)).toBe("");
    expect(csvCell(true, true)).toBe("TRUE");
  });

  test("the file: BOM, ; between cells, CRLF, header from labels", () => {
    expect(toCsv(columns, rows.slice(0, 2))).toBe("\ufeffNamn;Poäng;Klar\r\nÖrjan;12;TRUE\r\nanna;9,5;FALSE\r\n");
  });
});
