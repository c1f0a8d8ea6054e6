// CPython 3.11's compile reports as the runner image's harness prints them (captured from real runs).
import { describe, expect, test } from "bun:test";
import { formatCompileError, isCompileFailure, parseCompileError } from "./syntax-error.rules";

const HARNESS_FRAMES = [
  "Traceback (most recent call last):",
  '  File "/opt/skriptoteket/skriptoteket_harness.py", line 146, in run',
  "    module = load_script(config.script_path)",
  "             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
  '  File "/opt/skriptoteket/skriptoteket_harness.py", line 82, in load_script',
  "    spec.loader.exec_module(module)",
  '  File "<frozen importlib._bootstrap_external>", line 936, in exec_module',
  '  File "<frozen importlib._bootstrap_external>", line 1074, in get_code',
  '  File "<frozen importlib._bootstrap_external>", line 1004, in source_to_code',
  '  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed',
];
const report = (...tail: string[]) => [...HARNESS_FRAMES, ...tail, ""].join("\n");

describe("compile errors of the tool script", () => {
  test("recognizes the harness's summary for the three compile errors only", () => {
    expect(isCompileFailure("Tool execution failed (SyntaxError).")).toBe(true);
    expect(isCompileFailure("Tool execution failed (IndentationError).")).toBe(true);
    expect(isCompileFailure("Tool execution failed (TabError).")).toBe(true);
    expect(isCompileFailure("Tool execution failed (ValueError).")).toBe(false);
    expect(isCompileFailure("SyntaxError")).toBe(false);
    expect(isCompileFailure(null)).toBe(false);
  });

  test("message, line, column (from the caret and the source line), code line and caret", () => {
    const source = "def run_tool(:\n    pass\n";
    const stderr = report('  File "/work/script.py", line 1', "    def run_tool(:", "                 ^", "SyntaxError: invalid syntax");
    const e = parseCompileError(stderr, source);
    expect(e).toEqual({ type: "SyntaxError", message: "invalid syntax", line: 1, column: 14, excerpt: "    def run_tool(:\n                 ^" });
    expect(formatCompileError(e!)).toBe(
      "SyntaxError on line 1, column 14: invalid syntax\nSyntaxfel (SyntaxError) på rad 1, kolumn 14: invalid syntax\n    def run_tool(:\n                 ^",
    );
  });

  test("an indented line: CPython strips the indent before printing, the column counts it", () => {
    const source = "def run_tool(i, o):\n    x = (1,\n";
    const stderr = report('  File "/work/script.py", line 2', "    x = (1,", "        ^", "SyntaxError: '(' was never closed");
    expect(parseCompileError(stderr, source)).toMatchObject({ line: 2, column: 9, message: "'(' was never closed" });
  });

  test("a range caret (^^^) keeps its width; the column is its start", () => {
    const source = "def run_tool(i, o):\n    return 1 +* 2\n";
    const stderr = report('  File "/work/script.py", line 2', "    return 1 +* 2", "              ^^", "SyntaxError: invalid syntax");
    const e = parseCompileError(stderr, source)!;
    expect(e.column).toBe(15); // the "*" of "    return 1 +* 2"
    expect(e.excerpt).toBe("    return 1 +* 2\n              ^^");
  });

  test("no caret (TabError): line only", () => {
    const source = "x = 1\ndef run_tool(i, o):\n\treturn 'a'\n        return 'b'\n";
    const stderr = report('  File "/work/script.py", line 4', "    return 'b'", "TabError: inconsistent use of tabs and spaces in indentation");
    const e = parseCompileError(stderr, source)!;
    expect(e).toMatchObject({ type: "TabError", line: 4, column: null, excerpt: "    return 'b'" });
    expect(formatCompileError(e)).toBe(
      "TabError on line 4: inconsistent use of tabs and spaces in indentation\nSyntaxfel (TabError) på rad 4: inconsistent use of tabs and spaces in indentation\n    return 'b'",
    );
  });

  test("a printed line that is not the source line (f-string internals): no column", () => {
    const source = "def run_tool(i,o):\n    return f'{1 +}'\n";
    const stderr = report('  File "/work/script.py", line 2', "    (1 +)", "        ^", "SyntaxError: f-string: invalid syntax");
    expect(parseCompileError(stderr, source)).toMatchObject({ line: 2, column: null, message: "f-string: invalid syntax" });
  });

  test("IndentationError with its long message", () => {
    const source = "def run_tool(i, o):\nreturn 1\n";
    const stderr = report('  File "/work/script.py", line 2', "    return 1", "    ^", "IndentationError: expected an indented block after function definition on line 1");
    expect(parseCompileError(stderr, source)).toMatchObject({ type: "IndentationError", line: 2, column: 1 });
  });

  test("not a compile report of the script: null", () => {
    // a SyntaxError the script raised at run time from compile() of other text
    const runtime = report('  File "/work/script.py", line 3, in run_tool', "    compile(text, 'x', 'exec')", '  File "x", line 1', "    (", "    ^", "SyntaxError: '(' was never closed");
    expect(parseCompileError(runtime, "")).toBeNull();
    expect(parseCompileError("Traceback …\nValueError: nope\n", "")).toBeNull();
    expect(parseCompileError("", "")).toBeNull();
  });
});
