import { currentLocale, INTL_LOCALES } from "./locale";

/** A date and time in the UI language, e.g. "23 nov. 2026 14:05" (sv) or "23 Nov 2026, 14:05" (en). */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALES[currentLocale()], { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** A date alone in the UI language, e.g. "23 nov. 2026" (sv) or "23 Nov 2026" (en). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALES[currentLocale()], { dateStyle: "medium" }).format(date);
}

/** A list such as "a.se, b.se och c.se" / "a.se, b.se and c.se". */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(INTL_LOCALES[currentLocale()], { style: "long", type: "conjunction" }).format(items);
}

/** A file size in the UI language: "950 B", "12,5 kB", "3,2 MB" (decimal units, as file managers show). */
export function formatBytes(bytes: number): string {
  const locale = INTL_LOCALES[currentLocale()];
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(locale, { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

/** An elapsed time in the UI language, e.g. "8 s", "2 min, 5 s" (sv) / "8 sec", "2 min, 5 sec" (en). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts = hours ? { hours, minutes } : minutes ? { minutes, seconds } : { seconds };
  // Intl.DurationFormat is in every browser the UI supports (Chromium 129+, Firefox 136+, Safari 16.4+).
  const DurationFormat = (Intl as unknown as { DurationFormat?: new (locale: string, options: { style: string; secondsDisplay: string }) => { format(d: object): string } })
    .DurationFormat;
  // Zero units are left out by default: a run shorter than half a second would read "", so "0 s".
  const secondsDisplay = hours || minutes ? "auto" : "always";
  if (DurationFormat) return new DurationFormat(INTL_LOCALES[currentLocale()], { style: "short", secondsDisplay }).format(parts);
  return Object.entries(parts)
    .map(([unit, n]) => `${n} ${unit === "hours" ? "h" : unit === "minutes" ? "min" : "s"}`)
    .join(" ");
}
