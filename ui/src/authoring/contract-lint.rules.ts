/**
 * Contract-aware lint of a tool's Python source (tool-contract.md), run in the browser while the author
 * types. It catches what the runner would only report after a run, or silently drop: unknown output,
 * action and field kinds, outputs and actions without their required keys, notice levels the UI does
 * not know, network libraries (the sandbox has no network), starting other programs, a missing or
 * asynchronous entrypoint, and ToolUserError used without its import. Findings carry a message code
 * (the editor translates it) and, where the fix is obvious, the text changes of a quick fix.
 * Pure: no I/O, no DOM; works on the text alone (scanPython), so it never needs the code to run.
 */
import { lineTokens, scanPython, type PyScan, type PyToken } from "./python-scan.rules";

export const OUTPUT_KINDS = ["notice", "markdown", "table", "json", "html_sandboxed", "vega_lite"] as const;
export const FIELD_KINDS = ["string", "text", "integer", "number", "boolean", "enum", "multi_enum", "file"] as const;
export const ACTION_KIND = "form";
export const NOTICE_LEVELS = ["info", "warning", "error"] as const;

/** Every `"kind"` value a contract-v2 script may write: output kinds, the action kind and field kinds. */
const KNOWN_KINDS: readonly string[] = [...OUTPUT_KINDS, ACTION_KIND, ...FIELD_KINDS];

/** Keys each kind needs (§4, §5, §7); without them the server drops the output or action. */
const REQUIRED_KEYS: Record<string, readonly string[]> = {
  notice: ["level", "message"],
  markdown: ["markdown"],
  table: ["columns", "rows"],
  json: ["value"],
  html_sandboxed: ["html"],
  vega_lite: ["spec"],
  form: ["action_id", "label", "fields"],
  string: ["name", "label"],
  text: ["name", "label"],
  integer: ["name", "label"],
  number: ["name", "label"],
  boolean: ["name", "label"],
  enum: ["name", "label", "options"],
  multi_enum: ["name", "label", "options"],
  file: ["name", "label"],
};

/** What a quick fix inserts for a missing key: a valid, obviously-to-be-edited value. */
const KEY_PLACEHOLDERS: Record<string, string> = {
  level: '"info"',
  message: '""',
  markdown: '""',
  columns: "[]",
  rows: "[]",
  value: "None",
  html: '""',
  spec: "{}",
  action_id: '""',
  label: '""',
  fields: "[]",
  name: '""',
  options: "[]",
};

/** Modules that only make sense with a network, which the sandbox does not have (§8). */
const NETWORK_MODULES = [
  "requests",
  "urllib.request",
  "urllib3",
  "urllib2",
  "httpx",
  "aiohttp",
  "socket",
  "http.client",
  "ftplib",
  "smtplib",
  "poplib",
  "imaplib",
  "telnetlib",
  "xmlrpc.client",
  "websocket",
  "websockets",
  "paramiko",
] as const;

/** Calls that start another program (inside the sandbox that is never what a tool should do). */
const PROCESS_CALLS = ["system", "popen", "spawnl", "spawnlp", "spawnv", "spawnvp", "execv", "execvp", "execl", "execlp", "fork", "posix_spawn"];

/** Common slips for notice levels. */
const LEVEL_ALIASES: Record<string, (typeof NOTICE_LEVELS)[number]> = {
  warn: "warning",
  danger: "error",
  fel: "error",
  varning: "warning",
  information: "info",
  success: "info",
};

export type LintSeverity = "error" | "warning" | "info";

export type LintCode =
  | "unknown_kind"
  | "missing_keys"
  | "bad_notice_level"
  | "network_import"
  | "subprocess_import"
  | "process_call"
  | "entrypoint_missing"
  | "entrypoint_async"
  | "entrypoint_params"
  | "tool_user_error_import";

export type FixCode = "replace_with" | "add_keys" | "remove_import" | "add_import";

export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

export interface LintFix {
  code: FixCode;
  /** Shown in the fix's label, e.g. the replacement value. */
  detail: string;
  changes: TextChange[];
}

export interface LintFinding {
  from: number;
  to: number;
  severity: LintSeverity;
  code: LintCode;
  /** Placeholder values for the translated message. */
  params: Record<string, string>;
  fix?: LintFix;
}

export interface LintOptions {
  /** The entrypoint chosen for the version (default run_tool). */
  entrypoint: string;
}

/** Every finding in the source, ordered by position. */
export function lintToolSource(source: string, options: LintOptions): LintFinding[] {
  const scan = scanPython(source);
  const findings = [
    ...lintImports(source, scan),
    ...lintProcessCalls(scan),
    ...lintDictionaries(scan),
    ...lintEntrypoint(source, scan, options.entrypoint),
    ...lintToolUserError(source, scan),
  ];
  return findings.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** The module names one import line brings in: `import a.b as c, d` → a.b, d; `from a import b` → a, a.b. */
function importedModules(tokens: PyToken[]): { module: string; names: string[] } | null {
  const head = tokens[0];
  if (!head || head.type !== "name") return null;
  if (head.value === "import") {
    const modules: string[] = [];
    let current = "";
    let skipAlias = false;
    for (const token of tokens.slice(1)) {
      if (token.value === ",") {
        if (current) modules.push(current);
        current = "";
        skipAlias = false;
      } else if (token.value === "as") skipAlias = true;
      else if (!skipAlias && (token.type === "name" || token.value === ".")) current += token.value;
    }
    if (current) modules.push(current);
    return { module: "", names: modules };
  }
  if (head.value === "from") {
    const importAt = tokens.findIndex((token) => token.type === "name" && token.value === "import");
    if (importAt < 0) return null;
    const module = tokens
      .slice(1, importAt)
      .map((token) => token.value)
      .join("");
    const names: string[] = [];
    let skipAlias = false;
    for (const token of tokens.slice(importAt + 1)) {
      if (token.value === ",") skipAlias = false;
      else if (token.value === "as") skipAlias = true;
      else if (!skipAlias && token.type === "name") names.push(token.value);
    }
    return { module, names };
  }
  return null;
}

function matchesModule(candidate: string, banned: string): boolean {
  return candidate === banned || candidate.startsWith(`${banned}.`);
}

function networkModuleOf(candidates: string[]): string | null {
  for (const candidate of candidates) {
    const hit = NETWORK_MODULES.find((banned) => matchesModule(candidate, banned));
    if (hit) return hit;
  }
  return null;
}

/** A quick fix deleting a whole physical line range (the import statement and its newline). */
function removeLineFix(source: string, from: number, to: number, detail: string): LintFix {
  const lineStart = source.lastIndexOf("\n", from - 1) + 1;
  const newline = source.indexOf("\n", to);
  const lineEnd = newline < 0 ? source.length : newline + 1;
  return { code: "remove_import", detail, changes: [{ from: lineStart, to: lineEnd, insert: "" }] };
}

function lintImports(source: string, scan: PyScan): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const line of scan.lines) {
    const tokens = lineTokens(scan, line);
    const imported = importedModules(tokens);
    if (!imported) continue;
    // `import a, b`: each module; `from http import client`: both "http" and "http.client".
    const candidates = imported.module ? [imported.module, ...imported.names.map((name) => `${imported.module}.${name}`)] : imported.names;
    const single = imported.module !== "" || imported.names.length === 1;
    const network = networkModuleOf(candidates);
    if (network) {
      findings.push({
        from: line.from,
        to: line.to,
        severity: "warning",
        code: "network_import",
        params: { module: network },
        ...(single ? { fix: removeLineFix(source, line.from, line.to, network) } : {}),
      });
    }
    if (candidates.some((candidate) => matchesModule(candidate, "subprocess"))) {
      findings.push({ from: line.from, to: line.to, severity: "warning", code: "subprocess_import", params: { module: "subprocess" } });
    }
  }
  return findings;
}

/** `os.system(…)`, `os.popen(…)` and friends. */
function lintProcessCalls(scan: PyScan): LintFinding[] {
  const findings: LintFinding[] = [];
  const { tokens } = scan;
  for (let i = 0; i + 3 < tokens.length; i++) {
    const [os, dot, fn, paren] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!, tokens[i + 3]!];
    if (os.type === "name" && os.value === "os" && dot.value === "." && fn.type === "name" && PROCESS_CALLS.includes(fn.value) && paren.value === "(") {
      findings.push({ from: os.from, to: fn.to, severity: "warning", code: "process_call", params: { call: `os.${fn.value}` } });
    }
  }
  return findings;
}

interface DictEntry {
  key: PyToken;
  /** The value's first token. */
  value: PyToken | undefined;
}

interface DictFrame {
  open: PyToken;
  close: PyToken | null;
  entries: DictEntry[];
  /** `**other` inside: the keys are not all visible, so missing keys cannot be judged. */
  hasSpread: boolean;
}

/** Every `{…}` literal with its string keys written directly inside it. */
function dictionaries(scan: PyScan): DictFrame[] {
  const frames: DictFrame[] = [];
  const stack: Array<{ bracket: string; frame: DictFrame | null }> = [];
  const { tokens } = scan;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "op" && (token.value === "{" || token.value === "(" || token.value === "[")) {
      const frame = token.value === "{" ? { open: token, close: null, entries: [], hasSpread: false } : null;
      if (frame) frames.push(frame);
      stack.push({ bracket: token.value, frame });
      continue;
    }
    if (token.type === "op" && (token.value === "}" || token.value === ")" || token.value === "]")) {
      const top = stack.pop();
      if (top?.frame) top.frame.close = token;
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top?.frame) continue;
    const previous = tokens[i - 1];
    const atEntryStart = previous === top.frame.open || previous?.value === ",";
    if (!atEntryStart) continue;
    if (token.value === "**") top.frame.hasSpread = true;
    else if (token.type === "string" && tokens[i + 1]?.value === ":") top.frame.entries.push({ key: token, value: tokens[i + 2] });
  }
  return frames;
}

function lintDictionaries(scan: PyScan): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const frame of dictionaries(scan)) {
    const kindEntry = frame.entries.find((entry) => entry.key.value === "kind");
    const kindToken = kindEntry?.value;
    if (!kindToken || kindToken.type !== "string") continue;
    const kind = kindToken.value;
    if (!KNOWN_KINDS.includes(kind)) {
      const nearest = nearestWord(kind, KNOWN_KINDS);
      findings.push({
        from: kindToken.from,
        to: kindToken.to,
        severity: "error",
        code: "unknown_kind",
        params: { kind, known: OUTPUT_KINDS.join(", ") },
        ...(nearest ? { fix: replaceStringFix(kindToken, nearest) } : {}),
      });
      continue;
    }
    const keys = new Set(frame.entries.map((entry) => entry.key.value));
    const missing = (REQUIRED_KEYS[kind] ?? []).filter((key) => !keys.has(key));
    if (missing.length > 0 && !frame.hasSpread) {
      const insert = missing.map((key) => `"${key}": ${KEY_PLACEHOLDERS[key] ?? "None"}, `).join("");
      findings.push({
        from: frame.open.from,
        to: kindToken.to,
        severity: "error",
        code: "missing_keys",
        params: { kind, keys: missing.join(", ") },
        fix: { code: "add_keys", detail: missing.join(", "), changes: [{ from: frame.open.to, to: frame.open.to, insert }] },
      });
    }
    if (kind === "notice") {
      const level = frame.entries.find((entry) => entry.key.value === "level")?.value;
      if (level?.type === "string" && !(NOTICE_LEVELS as readonly string[]).includes(level.value)) {
        const fixed = LEVEL_ALIASES[level.value.toLowerCase()] ?? nearestWord(level.value, NOTICE_LEVELS);
        findings.push({
          from: level.from,
          to: level.to,
          severity: "error",
          code: "bad_notice_level",
          params: { level: level.value, known: NOTICE_LEVELS.join(", ") },
          ...(fixed ? { fix: replaceStringFix(level, fixed) } : {}),
        });
      }
    }
  }
  return findings;
}

/** Replaces a string literal's content, keeping its quotes and prefix. */
function replaceStringFix(token: PyToken, replacement: string): LintFix {
  const text = `"${replacement}"`;
  return { code: "replace_with", detail: replacement, changes: [{ from: token.from, to: token.to, insert: text }] };
}

/** The closest word by edit distance when it is a plausible slip (distance ≤ 2, or same letters ignoring case). */
export function nearestWord(word: string, candidates: readonly string[]): string | null {
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate === lower ? 0 : editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
  return best !== null && bestDistance <= limit ? best : null;
}

/** Optimal string alignment distance: a swap of two neighbouring letters ("tabel") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

function lintEntrypoint(source: string, scan: PyScan, entrypoint: string): LintFinding[] {
  if (!entrypoint) return [];
  for (const line of scan.lines) {
    if (line.indent !== 0) continue;
    const tokens = lineTokens(scan, line);
    const isAsync = tokens[0]?.value === "async";
    const def = isAsync ? tokens.slice(1) : tokens;
    if (def[0]?.value !== "def" || def[1]?.value !== entrypoint) continue;
    if (isAsync) return [{ from: line.from, to: def[1].to, severity: "error", code: "entrypoint_async", params: { name: entrypoint } }];
    const params = countParameters(def.slice(2));
    if (params !== null && params < 2) {
      return [{ from: def[1].from, to: def[1].to, severity: "error", code: "entrypoint_params", params: { name: entrypoint } }];
    }
    return [];
  }
  const firstLineEnd = source.indexOf("\n");
  return [{ from: 0, to: firstLineEnd < 0 ? source.length : firstLineEnd, severity: "error", code: "entrypoint_missing", params: { name: entrypoint } }];
}

/** Positional parameters of `(a, b=1, *args)`: *args counts as "takes any number" (null). */
function countParameters(tokens: PyToken[]): number | null {
  if (tokens[0]?.value !== "(") return 0;
  let count = 0;
  let expectingName = true;
  const baseDepth = tokens[0].depth + 1;
  for (const token of tokens.slice(1)) {
    if (token.value === ")" && token.depth === baseDepth - 1) break;
    if (token.depth !== baseDepth) continue;
    if (token.value === "*" || token.value === "**") return null;
    if (expectingName && token.type === "name") {
      count++;
      expectingName = false;
    } else if (token.value === ",") expectingName = true;
  }
  return count;
}

function lintToolUserError(source: string, scan: PyScan): LintFinding[] {
  const uses = scan.tokens.filter((token, i) => token.type === "name" && token.value === "ToolUserError" && scan.tokens[i - 1]?.value !== ".");
  if (uses.length === 0) return [];
  const imported = scan.lines.some((line) => {
    const found = importedModules(lineTokens(scan, line));
    if (!found) return false;
    return (found.module === "tool_errors" && found.names.includes("ToolUserError")) || found.names.includes("tool_errors");
  });
  if (imported) return [];
  // The import goes after a leading module docstring and `from __future__` lines, before other code.
  const insertAt = importInsertPosition(source, scan);
  const first = uses[0]!;
  return [
    {
      from: first.from,
      to: first.to,
      severity: "error",
      code: "tool_user_error_import",
      params: {},
      fix: { code: "add_import", detail: "from tool_errors import ToolUserError", changes: [{ from: insertAt, to: insertAt, insert: "from tool_errors import ToolUserError\n" }] },
    },
  ];
}

function importInsertPosition(source: string, scan: PyScan): number {
  let position = 0;
  for (const line of scan.lines) {
    const tokens = lineTokens(scan, line);
    const isDocstring = tokens.length === 1 && tokens[0]!.type === "string" && line.indent === 0 && position === 0;
    const isFuture = tokens[0]?.value === "from" && tokens[1]?.value === "__future__";
    if (!isDocstring && !isFuture) break;
    const newline = source.indexOf("\n", line.to);
    position = newline < 0 ? source.length : newline + 1;
  }
  return position;
}
