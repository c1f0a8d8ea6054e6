// A table output (tool contract §4) as an Excel workbook (.xlsx): one sheet, a bold and frozen header
// row, column widths from the content. Pure: the same table gives the same bytes.
//
// Why a hand-written SpreadsheetML writer: the file needs five small XML parts in a zip, and the
// libraries that write xlsx are large (exceljs) or no longer maintained on npm (xlsx). fflate, which
// the artifacts zip uses anyway, packs the parts.
//
// Cells: strings are inline strings (never formulas, so a cell "=HYPERLINK(…)" from a tool stays text),
// finite numbers are numbers, booleans are booleans, null and missing cells stay empty. Characters XML
// cannot hold (controls other than tab and newline, lone surrogates) become U+FFFD.
import { zipSync } from "fflate";
import type { TableCell, TableOutput } from "./contract.types";

const MAX_SHEET_NAME = 31;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** Fixed, so the same table always gives the same bytes (the zip stores a modification time). */
const ZIP_MTIME = new Date("2000-01-01T00:00:00Z");

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Text as XML character data or attribute value. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A sheet name Excel accepts: no []:*?/\, not starting or ending with ', at most 31 characters, never empty. */
export function sheetName(title: string | undefined, fallback: string): string {
  const clean = (title ?? "")
    .replace(/[[\]:*?/\\\u0000-\u001f]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^'+|'+$/g, "")
    .slice(0, MAX_SHEET_NAME)
    .trim();
  return clean || fallback;
}

function cellXml(ref: string, value: TableCell | undefined, style = 0): string {
  const s = style ? ` s="${style}"` : "";
  if (value === null || value === undefined) return style ? `<c r="${ref}"${s}/>` : "";
  if (typeof value === "number") return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : `<c r="${ref}"${s} t="inlineStr"><is><t>${String(value)}</t></is></c>`;
  if (typeof value === "boolean") return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`;
}

function displayLength(value: TableCell | undefined): number {
  if (value === null || value === undefined) return 0;
  const text = String(value);
  // the longest line counts: a cell with line breaks is as wide as its widest line
  return Math.max(...text.split("\n").map((line) => [...line].length));
}

function sheetXml(table: TableOutput): string {
  const { columns, rows } = table;
  const widths = columns.map((col) => {
    const longest = Math.max(displayLength(col.label), ...rows.map((row) => displayLength(row[col.key])));
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
  });
  const cols = columns.length ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>` : "";
  const header = `<row r="1">${columns.map((col, i) => cellXml(`${columnLetters(i)}1`, col.label, 1)).join("")}</row>`;
  const body = rows
    .map((row, r) => `<row r="${r + 2}">${columns.map((col, i) => cellXml(`${columnLetters(i)}${r + 2}`, row[col.key])).join("")}</row>`)
    .join("");
  const frozen = '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';
  return (
    XML_HEADER +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `${frozen}<sheetFormatPr defaultRowHeight="15"/>${cols}<sheetData>${header}${body}</sheetData></worksheet>`
  );
}

const CONTENT_TYPES =
  XML_HEADER +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  "</Types>";

const ROOT_RELS =
  XML_HEADER +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  "</Relationships>";

const WORKBOOK_RELS =
  XML_HEADER +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  "</Relationships>";

/** Style 0: normal; style 1: bold (the header row). */
const STYLES =
  XML_HEADER +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  "</styleSheet>";

function workbookXml(name: string): string {
  return (
    XML_HEADER +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<sheets><sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>`
  );
}

/** The .xlsx bytes of a table output; the sheet is named after the table's title (or `fallbackSheetName`). */
export function tableToXlsx(table: TableOutput, fallbackSheetName = "Tabell"): Uint8Array {
  const enc = new TextEncoder();
  const file = (text: string): [Uint8Array, { mtime: Date }] => [enc.encode(text), { mtime: ZIP_MTIME }];
  return zipSync(
    {
      "[Content_Types].xml": file(CONTENT_TYPES),
      "_rels/.rels": file(ROOT_RELS),
      "xl/workbook.xml": file(workbookXml(sheetName(table.title, fallbackSheetName))),
      "xl/_rels/workbook.xml.rels": file(WORKBOOK_RELS),
      "xl/styles.xml": file(STYLES),
      "xl/worksheets/sheet1.xml": file(sheetXml(table)),
    },
    { level: 6, mtime: ZIP_MTIME },
  );
}
