import { describe, expect, test } from "bun:test";
import { strFromU8, unzipSync } from "fflate";
import type { TableOutput } from "./contract.types";
import { columnLetters, sheetName, tableToXlsx, xmlText } from "./table-xlsx.rules";

describe("table → xlsx", () => {
  test("column letters past Z", () => {
    expect([0, 25, 26, 39, 701, 702].map(columnLetters)).toEqual(["A", "Z", "AA", "AN", "ZZ", "AAA"]);
  });

  test("xmlText escapes markup and replaces characters XML cannot hold", () => {
    expect(xmlText(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    expect(xmlText("a\u0001b\tc\nd\ud800e")).toBe("a\ufffdb\tc\nd\ufffde");
    expect(xmlText("😀")).toBe("😀");
  });

  test("sheet names Excel accepts", () => {
    expect(sheetName("Betyg [åk 9]: A/B?", "Tabell")).toBe("Betyg åk 9 A B");
    expect(sheetName("'citat'", "Tabell")).toBe("citat");
    expect(sheetName(undefined, "Tabell")).toBe("Tabell");
    expect(sheetName("x".repeat(40), "Tabell")).toHaveLength(31);
  });

  test("a complete package: content types, relationships, workbook, styles and the sheet; same table, same bytes", () => {
    const table: TableOutput = {
      kind: "table",
      columns: [
        { key: "a", label: "A" },
        { key: "b", label: "Lång kolumnrubrik" },
      ],
      rows: [{ a: 1, b: "rad 1\nrad två som är längre" }, { a: null }],
    };
    const bytes = tableToXlsx(table);
    expect(tableToXlsx(table)).toEqual(bytes);
    const parts = unzipSync(bytes);
    expect(Object.keys(parts).sort()).toEqual(["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]);
    const sheet = strFromU8(parts["xl/worksheets/sheet1.xml"]!);
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    // widths: at least 8, else the longest line ("rad två som är längre", 21) + 2
    expect(sheet).toContain('<col min="1" max="1" width="8" customWidth="1"/><col min="2" max="2" width="23" customWidth="1"/>');
    expect(sheet).toContain('<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t xml:space="preserve">rad 1\nrad två som är längre</t></is></c></row><row r="3"></row>');
    expect(strFromU8(parts["xl/workbook.xml"]!)).toContain('<sheet name="Tabell"');
  });
});
