// Finds the line of each key in a TOML text. TOML parsers return plain values without positions, but an
// error message must say "skriptoteket.toml:7", so this small scanner walks the text once, tracking the
// current [table], and records where every key and table header starts. It runs only on text the TOML
// parser already accepted, so it skips what it does not understand instead of reporting it.

/** Dotted path ("server.listen", "server") → 1-based line of its first definition. */
export type KeyLines = Map<string, number>;

export function findKeyLines(text: string): KeyLines {
  const found: KeyLines = new Map();
  let i = 0;
  let line = 1;
  let table: string[] = [];

  const record = (path: string[], at: number) => {
    const key = path.join(".");
    if (!found.has(key)) found.set(key, at);
  };
  const skipSpaces = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  const skipToLineEnd = () => {
    while (i < text.length && text[i] !== "\n") i++;
  };

  /** A quoted string on one line (keys and single-line values); returns its content, roughly unescaped. */
  const readQuoted = (quote: string): string => {
    let out = "";
    i++;
    while (i < text.length && text[i] !== quote && text[i] !== "\n") {
      if (quote === '"' && text[i] === "\\" && i + 1 < text.length) i++;
      out += text[i];
      i++;
    }
    if (text[i] === quote) i++;
    return out;
  };

  const readKeyPath = (): string[] | null => {
    const parts: string[] = [];
    for (;;) {
      skipSpaces();
      const c = text[i];
      if (c === '"' || c === "'") parts.push(readQuoted(c));
      else {
        const bare = /[A-Za-z0-9_-]+/y;
        bare.lastIndex = i;
        const match = bare.exec(text);
        if (!match) return null;
        parts.push(match[0]);
        i += match[0].length;
      }
      skipSpaces();
      if (text[i] !== ".") return parts;
      i++;
    }
  };

  /** Skips any string value, including multi-line ones, counting the newlines inside. */
  const skipString = () => {
    const quote = text[i] ?? "";
    const triple = quote.repeat(3);
    if (!text.startsWith(triple, i)) {
      readQuoted(quote);
      return;
    }
    i += 3;
    while (i < text.length && !text.startsWith(triple, i)) {
      if (quote === '"' && text[i] === "\\") i++; // an escaped char, possibly a line-ending backslash
      if (text[i] === "\n") line++;
      i++;
    }
    i += 3;
    // TOML allows one or two quotes right before the closing delimiter: """a""""" ends at the last three.
    while (text[i] === quote) i++;
  };

  /** Skips a value up to its end of line; arrays and inline tables may span lines. */
  const skipValue = () => {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"' || c === "'") skipString();
      else if (c === "#") skipToLineEnd();
      else if (c === "\n") {
        if (depth <= 0) return;
        line++;
        i++;
      } else {
        if (c === "[" || c === "{") depth++;
        if (c === "]" || c === "}") depth--;
        i++;
      }
    }
  };

  while (i < text.length) {
    skipSpaces();
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === "#" || c === "\r") {
      skipToLineEnd();
    } else if (c === "[") {
      i += text[i + 1] === "[" ? 2 : 1;
      const path = readKeyPath();
      if (path) {
        table = path;
        record(path, line);
      }
      skipToLineEnd();
    } else {
      const at = line;
      const path = readKeyPath();
      skipSpaces();
      if (path && text[i] === "=") {
        i++;
        record([...table, ...path], at);
        skipValue();
      }
      skipToLineEnd();
    }
  }
  return found;
}

/**
 * The line to report for a path: its own line, else the first line inside it (a section only defined
 * through "[server.x]" or "server.x = 1"), else the nearest parent's (a key inside an inline table).
 */
export function lineOf(lines: KeyLines, path: string): number | undefined {
  const own = lines.get(path);
  if (own !== undefined) return own;
  let first: number | undefined;
  for (const [key, at] of lines) {
    if (key.startsWith(`${path}.`) && (first === undefined || at < first)) first = at;
  }
  if (first !== undefined) return first;
  const parts = path.split(".");
  while (parts.length > 1) {
    parts.pop();
    const parent = lines.get(parts.join("."));
    if (parent !== undefined) return parent;
  }
  return undefined;
}
