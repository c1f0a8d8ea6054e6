import { currentLocale, INTL_LOCALES } from "./locale";

/** A date and time in the UI language, e.g. "23 nov. 2026 14:05" (sv) or "23 Nov 2026, 14:05" (en). */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALES[currentLocale()], { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** A list such as "a.se, b.se och c.se" / "a.se, b.se and c.se". */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(INTL_LOCALES[currentLocale()], { style: "long", type: "conjunction" }).format(items);
}
