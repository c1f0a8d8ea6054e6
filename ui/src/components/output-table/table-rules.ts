/**
 * A table output's rows as the reader arranges them (filter text, sort column and direction) and as a
 * CSV file Swedish Excel opens directly: UTF-8 with a byte order mark, ";" between cells, CRLF lines.
 * Pure (no DOM).
 */
import type { TableCell, TableColumn } from "../../api/contract-types";

export type Row = Record<string, TableCell>;
export type SortDirection = "ascending" | "descending";
export interface SortState {
  key: string;
  direction: SortDirection;
}

/** Cell text as shown; booleans in the reader's words. */
export function cellText(value: TableCell | undefined, words: { yes: string; no: string }): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? words.yes : words.no;
  return String(value);
}

/** Rows where some cell contains every word of `filter` (case- and accent-insensitive per word). */
export function filterRows(rows: readonly Row[], columns: readonly TableColumn[], filter: string, words: { yes: string; no: string }): Row[] {
  const needles = fold(filter).split(/\s+/).filter(Boolean);
  if (needles.length === 0) return [...rows];
  return rows.filter((row) => {
    const hay = columns.map((c) => fold(cellText(row[c.key], words))).join("\u0000");
    return needles.every((n) => hay.includes(n));
  });
}

function fold(text: string): string {
  return text.toLocaleLowerCase("sv");
}

/**
 * Rows sorted by one column: numbers by value, text in Swedish order (å, ä, ö after z; numbers inside
 * text by value), booleans false before true; empty cells always last. Stable: equal rows keep order.
 */
export function sortRows(rows: readonly Row[], sort: SortState | null, locale: string): Row[] {
  if (!sort) return [...rows];
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: "base" });
  const sign = sort.direction === "ascending" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[sort.key];
      const y = b.row[sort.key];
      const xEmpty = x === null || x === undefined || x === "";
      const yEmpty = y === null || y === undefined || y === "";
      if (xEmpty || yEmpty) return xEmpty === yEmpty ? a.index - b.index : xEmpty ? 1 : -1;
      let order: number;
      if (typeof x === "number" && typeof y === "number") order = x - y;
      else if (typeof x === "boolean" && typeof y === "boolean") order = Number(x) - Number(y);
      else order = collator.compare(String(x), String(y));
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map((entry) => entry.row);
}

/** The next sort after a click on a column header: ascending, then descending, then ascending again. */
export function nextSort(current: SortState | null, key: string): SortState {
  if (current?.key === key && current.direction === "ascending") return { key, direction: "descending" };
  return { key, direction: "ascending" };
}

/**
 * One CSV cell. Numbers use a decimal comma (Swedish Excel reads "2,5" as a number); text that Excel
 * would run as a formula (starting with = + - @ or a tab/CR) gets a leading apostrophe; quotes around
 * any cell with ; " or a line break.
 */
export function csvCell(value: TableCell | undefined, decimalComma: boolean): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (typeof value === "number") text = decimalComma ? String(value).replace(".", ",") : String(value);
  else if (typeof value === "boolean") text = value ? "TRUE" : "FALSE";
  else text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole CSV file (BOM included), header row first. */
export function toCsv(columns: readonly TableColumn[], rows: readonly Row[], { decimalComma = true }: { decimalComma?: boolean } = {}): string {
  const lines = [columns.map((c) => csvCell(c.label, false)), ...rows.map((row) => columns.map((c) => csvCell(row[c.key], decimalComma)))];
  return `\ufeff${lines.map((cells) => cells.join(";")).join("\r\n")}\r\n`;
}
