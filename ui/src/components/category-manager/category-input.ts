/**
 * The category dialog's text fields as lists: keywords one per line or separated by commas, regular
 * expressions one per line (a comma can be part of a pattern). Pure, tested alone.
 */

export function parseKeywords(text: string): string[] {
  return unique(text.split(/[\n,]/));
}

export function parsePatterns(text: string): string[] {
  return unique(text.split("\n"));
}

/** A regular expression the browser cannot compile (the server checks too); null when it is fine. */
export function patternProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, "i");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function unique(items: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items.map((s) => s.trim())) {
    const key = item.toLocaleLowerCase();
    if (item === "" || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}
