/**
 * A small Python tokenizer for the editor's contract lint (contract-lint.rules.ts). It is not a
 * parser: it only knows what the lint needs — names, string literals (with their text), brackets and
 * other operators, and logical lines (a line ends at a newline outside brackets and outside a string,
 * unless continued with a backslash) with the indentation of their first token. Comments are skipped.
 * It never throws: an unterminated string ends at the end of the text. Pure: no I/O.
 */

export type PyTokenType = "name" | "string" | "number" | "op";

export interface PyToken {
  type: PyTokenType;
  /** Offsets into the source: [from, to). */
  from: number;
  to: number;
  /** name/op/number: the text; string: the literal's content with simple escapes resolved. */
  value: string;
  /** Index of the logical line the token belongs to. */
  line: number;
  /** Bracket depth before the token ((, [ and { all count). */
  depth: number;
}

export interface LogicalLine {
  /** Indices into the token list: [first, end). */
  first: number;
  end: number;
  /** Column of the first token (its physical line's leading whitespace). */
  indent: number;
  from: number;
  to: number;
}

export interface PyScan {
  tokens: PyToken[];
  lines: LogicalLine[];
}

const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(?:'''|"""|'|")/;
const NAME = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\u00C0-\uFFFF]*/;
const NUMBER = /^(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/;
const OPERATORS = ["**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="];
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };

/** Tokens and logical lines of a Python source text. */
export function scanPython(source: string): PyScan {
  const tokens: PyToken[] = [];
  const lines: LogicalLine[] = [];
  let pos = 0;
  let depth = 0;
  let lineStartToken = 0;
  let lineIndent = 0;
  let atLineStart = true;
  let physicalLineStart = 0;

  const endLogicalLine = (to: number) => {
    if (tokens.length > lineStartToken) {
      const first = tokens[lineStartToken]!;
      lines.push({ first: lineStartToken, end: tokens.length, indent: lineIndent, from: first.from, to });
    }
    lineStartToken = tokens.length;
    atLineStart = true;
  };
  const push = (type: PyTokenType, from: number, to: number, value: string) => {
    if (atLineStart) {
      lineIndent = from - physicalLineStart;
      atLineStart = false;
    }
    tokens.push({ type, from, to, value, line: lines.length, depth });
  };

  while (pos < source.length) {
    const ch = source[pos]!;
    if (ch === "\n") {
      pos++;
      physicalLineStart = pos;
      if (depth === 0) endLogicalLine(pos - 1);
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f") {
      pos++;
      continue;
    }
    if (ch === "#") {
      while (pos < source.length && source[pos] !== "\n") pos++;
      continue;
    }
    if (ch === "\\" && source[pos + 1] === "\n") {
      // An explicit line continuation: the logical line goes on.
      pos += 2;
      physicalLineStart = pos;
      continue;
    }
    const rest = source.slice(pos, pos + 4);
    const stringStart = STRING_PREFIX.exec(rest);
    if (stringStart) {
      const end = readString(source, pos, stringStart[0]);
      push("string", pos, end.to, end.value);
      // A triple-quoted string can span lines: the next physical line starts after its last newline.
      const lastNewline = source.lastIndexOf("\n", end.to - 1);
      if (lastNewline >= pos) physicalLineStart = lastNewline + 1;
      pos = end.to;
      continue;
    }
    const tail = source.slice(pos, pos + 200);
    const name = NAME.exec(tail);
    if (name) {
      push("name", pos, pos + name[0].length, name[0]);
      pos += name[0].length;
      continue;
    }
    const number = /^[0-9.]/.test(ch) ? NUMBER.exec(tail) : null;
    if (number && number[0] !== ".") {
      push("number", pos, pos + number[0].length, number[0]);
      pos += number[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, pos)) ?? ch;
    if (op === "(" || op === "[" || op === "{") {
      push("op", pos, pos + 1, op);
      depth++;
    } else if (op === ")" || op === "]" || op === "}") {
      depth = Math.max(0, depth - 1);
      push("op", pos, pos + 1, op);
    } else {
      push("op", pos, pos + op.length, op);
    }
    pos += op.length;
  }
  endLogicalLine(source.length);
  return { tokens, lines };
}

function readString(source: string, start: number, opening: string): { to: number; value: string } {
  const quote = opening.endsWith('"""') || opening.endsWith("'''") ? opening.slice(-3) : opening.slice(-1);
  const prefix = opening.slice(0, opening.length - quote.length).toLowerCase();
  const raw = prefix.includes("r");
  let pos = start + opening.length;
  let value = "";
  while (pos < source.length) {
    if (source.startsWith(quote, pos)) return { to: pos + quote.length, value };
    const ch = source[pos]!;
    if (ch === "\n" && quote.length === 1) return { to: pos, value }; // unterminated: ends at the line
    if (ch === "\\" && pos + 1 < source.length) {
      const next = source[pos + 1]!;
      value += raw ? ch + next : (SIMPLE_ESCAPES[next] ?? (next === "\n" ? "" : ch + next));
      pos += 2;
      continue;
    }
    value += ch;
    pos++;
  }
  return { to: source.length, value };
}

/** The tokens of one logical line. */
export function lineTokens(scan: PyScan, line: LogicalLine): PyToken[] {
  return scan.tokens.slice(line.first, line.end);
}
