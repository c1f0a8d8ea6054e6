// A tool script that does not compile (tool contract §1: "a syntax error fails the run at once with
// message, line, column, the code line and a caret").
//
// Where the compile happens — the decision: the server binary has no Python (and must not assume the
// host has one), and a pure-TypeScript Python parser is out of the question. So the runner image compiles
// it: the harness imports the script as its very first step, before any of the script's code runs, and a
// SyntaxError (or IndentationError/TabError) fails the run in the same container with
// error_summary "Tool execution failed (SyntaxError)." and CPython's own report on stderr:
//
//     File "/work/script.py", line 1
//       def run_tool(:
//                    ^
//   SyntaxError: invalid syntax
//
// This file turns that report into the message the contract asks for. It costs no extra container: the
// failing run takes one container start, like any other run, and nothing of the script executes. The
// column is computed from the caret and the original source line (CPython strips the line's leading
// spaces before printing it); when the printed line is not the source line (f-string internals) only the
// line number is given.
import { SCRIPT_PATH } from "./run-env.rules";

const COMPILE_ERRORS = ["SyntaxError", "IndentationError", "TabError"] as const;
export type CompileErrorType = (typeof COMPILE_ERRORS)[number];

/** The harness's error_summary for a script that did not compile. */
const HARNESS_SUMMARY = /^Tool execution failed \((SyntaxError|IndentationError|TabError)\)\.$/;
const FINAL_LINE = /^(SyntaxError|IndentationError|TabError): (.*)$/;

export type CompileError = {
  type: CompileErrorType;
  message: string;
  line: number;
  /** 1-based, in characters of the source line; null when it cannot be told. */
  column: number | null;
  /** The code line and caret as CPython printed them (4 spaces of indent), "" when it printed none. */
  excerpt: string;
};

/** True when a failed run's error_summary is the harness's report of a compile error. */
export function isCompileFailure(errorSummary: string | null): boolean {
  return errorSummary !== null && HARNESS_SUMMARY.test(errorSummary);
}

/** CPython's compile report for the script, found at the end of stderr; null when there is none. */
export function parseCompileError(stderr: string, source: string, scriptPath: string = SCRIPT_PATH): CompileError | null {
  const lines = stderr.replace(/\r\n/g, "\n").split("\n");
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === "") last--;
  const final = FINAL_LINE.exec(lines[last] ?? "");
  if (!final) return null;
  // the frame line sits at most three lines above: code line and caret line may be missing
  const frame = new RegExp(`^  File ${escapeRegExp(JSON.stringify(scriptPath))}, line (\\d+)$`);
  let frameAt = -1;
  for (let i = last - 1; i >= Math.max(0, last - 3); i--) {
    if (frame.test(lines[i]!)) {
      frameAt = i;
      break;
    }
  }
  if (frameAt < 0) return null;
  const lineNo = Number(frame.exec(lines[frameAt]!)![1]);
  const between = lines.slice(frameAt + 1, last);
  const codeLine = between.find((l) => l.startsWith("    ") && !/^\s*\^+\s*$/.test(l)) ?? null;
  const caretLine = between.find((l) => /^\s*\^+\s*$/.test(l)) ?? null;
  return {
    type: final[1] as CompileErrorType,
    message: final[2]!.trim(),
    line: lineNo,
    column: codeLine !== null && caretLine !== null ? columnOf(codeLine, caretLine, source, lineNo) : null,
    excerpt: [codeLine, caretLine].filter((l): l is string => l !== null).join("\n"),
  };
}

function columnOf(codeLine: string, caretLine: string, source: string, lineNo: number): number | null {
  const sourceLine = source.replace(/\r\n/g, "\n").split("\n")[lineNo - 1];
  if (sourceLine === undefined) return null;
  const printed = codeLine.slice(4);
  // CPython prints text.lstrip(' \n\f') and shifts the caret by what it stripped
  const stripped = sourceLine.replace(/^[ \f]+/, "");
  if (stripped.trimEnd() !== printed.trimEnd()) return null;
  const caretAt = caretLine.indexOf("^") - 4;
  if (caretAt < 0) return null;
  return sourceLine.length - stripped.length + caretAt + 1;
}

/** The error_summary the contract asks for: what, where (both languages), then code line and caret. */
export function formatCompileError(e: CompileError): string {
  const whereEn = e.column === null ? `line ${e.line}` : `line ${e.line}, column ${e.column}`;
  const whereSv = e.column === null ? `rad ${e.line}` : `rad ${e.line}, kolumn ${e.column}`;
  const head = [`${e.type} on ${whereEn}: ${e.message}`, `Syntaxfel (${e.type}) på ${whereSv}: ${e.message}`];
  return e.excerpt ? `${head.join("\n")}\n${e.excerpt}` : head.join("\n");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
