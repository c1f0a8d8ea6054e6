import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addSummaries,
  exitCodeFor,
  formatSummary,
  honoursTestStore,
  parseBunConsoleTotals,
  parseJunitTotals,
  summarize,
  type BunConsoleTotals,
  type JunitTotals,
} from "./test-summary";

// Captured from bun 1.4.5: 1 pass, 1 skip, 1 todo, 1 failing test.
const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="bun test" tests="4" assertions="2" failures="1" skipped="2" time="0.014471621">
  <testsuite name="a.test.ts" file="a.test.ts" tests="4" assertions="2" failures="1" skipped="2" time="0.003" hostname="vm">
    <testcase name="ok" classname="" time="0.000336" file="a.test.ts" line="2" assertions="1" />
  </testsuite>
</testsuites>`;

const CONSOLE = `
a.test.ts:
(pass) ok [0.34ms]
(fail) bad [0.13ms]

 1 pass
 1 skip
 1 todo
 1 fail
 2 expect() calls
Ran 4 tests across 1 file. [14.00ms]
`;

describe("parseJunitTotals", () => {
  test("reads the root testsuites attributes, not a nested testsuite's", () => {
    expect(parseJunitTotals(JUNIT)).toEqual({ tests: 4, failures: 1, errors: 0, skipped: 2 });
  });
  test("reads errors when a reporter writes them", () => {
    expect(parseJunitTotals('<testsuites tests="5" failures="1" errors="2" skipped="0">')).toEqual({
      tests: 5,
      failures: 1,
      errors: 2,
      skipped: 0,
    });
  });
  test("null without a testsuites element", () => {
    expect(parseJunitTotals("")).toBeNull();
    expect(parseJunitTotals('<testsuite tests="3">')).toBeNull();
  });
});

describe("parseBunConsoleTotals", () => {
  test("reads the closing count block", () => {
    expect(parseBunConsoleTotals(CONSOLE)).toEqual({ pass: 1, fail: 1, skip: 1, todo: 1, error: 0 });
  });
  test("reads --dots output, whose count lines have no leading space", () => {
    const dots = "..\n\n2 pass\n1 error\n1 fail\nRan 3 tests across 2 files. [9.00ms]\n";
    expect(parseBunConsoleTotals(dots)).toEqual({ pass: 2, fail: 1, skip: 0, todo: 0, error: 1 });
  });
  test("only the last block counts, and count-like lines printed by tests before it do not", () => {
    const out = " 9 pass\nsomething\n 7 fail\nlog line\n 3 pass\n 0 fail\nRan 3 tests across 1 file. [1ms]\n";
    expect(parseBunConsoleTotals(out)).toEqual({ pass: 3, fail: 0, skip: 0, todo: 0, error: 0 });
  });
  test("reads coloured output (FORCE_COLOR on a terminal)", () => {
    const coloured = "\x1b[0m\x1b[32m 1 pass\x1b[0m\n\x1b[0m\x1b[2m 0 fail\x1b[0m\n 1 expect() calls\nRan 1 test across 1 file. \x1b[0m\x1b[2m[\x1b[1m13.00ms\x1b[0m\x1b[2m]\x1b[0m\n";
    expect(parseBunConsoleTotals(coloured)).toEqual({ pass: 1, fail: 0, skip: 0, todo: 0, error: 0 });
  });
  test("null when bun printed no summary", () => {
    expect(parseBunConsoleTotals("error: could not load\n")).toBeNull();
  });
});

describe("summarize", () => {
  const junit: JunitTotals = { tests: 4, failures: 1, errors: 0, skipped: 2 };
  const out: BunConsoleTotals = { pass: 1, fail: 1, skip: 1, todo: 1, error: 0 };

  test("passed = tests - failures - errors - skipped, and checks add one each", () => {
    const s = summarize({
      junit,
      console: out,
      bunExitCode: 1,
      checks: [
        { name: "type check", passed: true },
        { name: "build", passed: false },
      ],
    });
    expect(s).toEqual({ passed: 2, failed: 2, skipped: 2, testsRan: 2 });
    expect(formatSummary(s)).toBe("2 passed, 2 failed, 2 skipped");
  });

  test("an error outside any test (missing from the XML) still counts as a failure", () => {
    const s = summarize({
      junit: { tests: 4, failures: 1, errors: 0, skipped: 2 },
      console: { pass: 1, fail: 2, skip: 1, todo: 1, error: 1 },
      bunExitCode: 1,
      checks: [],
    });
    expect(formatSummary(s)).toBe("1 passed, 2 failed, 2 skipped");
  });

  test("no XML (nothing ran): counts come from the console", () => {
    const s = summarize({
      junit: null,
      console: { pass: 0, fail: 1, skip: 0, todo: 0, error: 1 },
      bunExitCode: 1,
      checks: [],
    });
    expect(formatSummary(s)).toBe("0 passed, 1 failed, 0 skipped");
  });

  test("a failed bun run never reports 0 failed", () => {
    const s = summarize({ junit: null, console: null, bunExitCode: 1, checks: [{ name: "tc", passed: true }] });
    expect(formatSummary(s)).toBe("1 passed, 1 failed, 0 skipped");
    expect(exitCodeFor(s, 1)).toBe(1);
  });

  test("all green exits 0; zero tests run exits 1 even when bun exited 0", () => {
    const green = summarize({
      junit: { tests: 3, failures: 0, errors: 0, skipped: 1 },
      console: null,
      bunExitCode: 0,
      checks: [{ name: "tc", passed: true }],
    });
    expect(formatSummary(green)).toBe("3 passed, 0 failed, 1 skipped");
    expect(exitCodeFor(green, 0)).toBe(0);

    const none = summarize({ junit: { tests: 0, failures: 0, errors: 0, skipped: 0 }, console: null, bunExitCode: 0, checks: [{ name: "tc", passed: true }] });
    expect(exitCodeFor(none, 0)).toBe(1);
  });

  test("a failed check fails the run even when every bun test passed", () => {
    const s = summarize({
      junit: { tests: 2, failures: 0, errors: 0, skipped: 0 },
      console: null,
      bunExitCode: 0,
      checks: [{ name: "type check", passed: false }],
    });
    expect(exitCodeFor(s, 0)).toBe(1);
  });
});

// Guards against bun changing its formats: run the real `bun test` on fixture files written to a
// temp folder (not *.test.ts in the repo, so the main run does not pick them up).
test("the parsers read what this bun version really writes", () => {
  const dir = mkdtempSync(join(tmpdir(), "skt-summary-"));
  try {
    writeFileSync(
      join(dir, "sample.test.ts"),
      [
        'import { test, expect } from "bun:test";',
        'test("ok", () => expect(1).toBe(1));',
        'test.skip("skipped", () => {});',
        'test.todo("later");',
        'test("bad", () => expect(1).toBe(2));',
      ].join("\n"),
    );
    writeFileSync(join(dir, "broken.test.ts"), 'throw new Error("fails while loading");\n');
    const xmlFile = join(dir, "report.xml");
    const run = Bun.spawnSync(["bun", "test", "--reporter=junit", `--reporter-outfile=${xmlFile}`], {
      cwd: dir,
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    const output = run.stdout.toString() + run.stderr.toString();
    expect(run.exitCode).toBe(1);
    expect(existsSync(xmlFile)).toBe(true);
    const junit = parseJunitTotals(readFileSync(xmlFile, "utf8"));
    const out = parseBunConsoleTotals(output);
    expect(junit).toEqual({ tests: 4, failures: 1, errors: 0, skipped: 2 });
    expect(out).not.toBeNull();
    const s = summarize({ junit, console: out, bunExitCode: run.exitCode ?? 1, checks: [] });
    // 1 passing test; the failing test and the file that failed to load are both failures.
    expect(formatSummary(s)).toBe("1 passed, 2 failed, 2 skipped");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("the PostgreSQL pass", () => {
  test("addSummaries adds every count", () => {
    expect(addSummaries({ passed: 10, failed: 1, skipped: 2, testsRan: 9 }, { passed: 3, failed: 0, skipped: 1, testsRan: 3 })).toEqual({ passed: 13, failed: 1, skipped: 3, testsRan: 12 });
  });
  test("honoursTestStore finds files that call processTestStoreKind or start the binary via e2e/server", () => {
    // built from parts, so this file does not look like such a test file itself
    const call = ["processTestStoreKind", "()"].join("");
    const importFrom = (path: string) => `import { startServer, type RunningServer } from "${path}";`;
    expect(honoursTestStore(`const kind = ${call};`)).toBe(true);
    expect(honoursTestStore(importFrom("../../scripts/e2e/server"))).toBe(true);
    expect(honoursTestStore(importFrom("./e2e/server"))).toBe(true);
    // other helpers, and files that merely declare or mention the names, do not count
    expect(honoursTestStore(importFrom("../../scripts/e2e/ui-server"))).toBe(false);
    expect(honoursTestStore(`export function ${call}: TestStoreKind {`)).toBe(false);
    expect(honoursTestStore('const kinds = testStoreKinds(); // "sqlite" | "postgres"')).toBe(false);
  });
});
