// Turns what `bun test` leaves behind into the one closing line CI reads: `N passed, N failed, N skipped`.
//
// Bun prints no such line itself (stack-notes §7). Its JUnit report is the main source, but it misses
// failures outside a test: an error thrown while a file loads or between tests is counted in bun's
// console summary (` 2 fail`, ` 1 error`) and not in the XML, and when no test ran at all no XML is
// written. So both are read and the larger failure count wins; a non-zero exit with no counted
// failure still counts as one, so the line can never say "0 failed" for a failed run.
// Pure functions only: scripts/test.ts does the I/O.

/** The counts on the root `<testsuites>` element of a JUnit report. */
export type JunitTotals = { tests: number; failures: number; errors: number; skipped: number };

/** The closing count lines of bun's console output (` 3 pass`, ` 1 fail`, …). */
export type BunConsoleTotals = { pass: number; fail: number; skip: number; todo: number; error: number };

/** A check that is not a bun test but counts as one test in the totals (type check, build). */
export type CheckResult = { name: string; passed: boolean };

export type Summary = { passed: number; failed: number; skipped: number; testsRan: number };

/** Reads the attributes of the root `<testsuites>` element; null when there is none. */
export function parseJunitTotals(xml: string): JunitTotals | null {
  const root = /<testsuites\b([^>]*)>/.exec(xml);
  if (!root) return null;
  const attrs = root[1] ?? "";
  const num = (name: string): number => {
    const m = new RegExp(`\\b${name}="(\\d+)"`).exec(attrs);
    return m ? Number(m[1]) : 0;
  };
  return { tests: num("tests"), failures: num("failures"), errors: num("errors"), skipped: num("skipped") };
}

const COUNT_LINE = /^\s*(\d+) (pass|fail|skip|todo|error)\s*$/;
const RAN_LINE = /^\s*Ran \d+ tests? across \d+ files?\./;

/** Reads the last count block bun printed before its `Ran N tests across M files.` line. */
export function parseBunConsoleTotals(output: string): BunConsoleTotals | null {
  // Colour codes (FORCE_COLOR on a terminal) wrap the count lines: drop them first.
  const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split(/\r?\n/);
  let ran = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (RAN_LINE.test(lines[i] ?? "")) {
      ran = i;
      break;
    }
  }
  if (ran < 0) return null;
  const totals: BunConsoleTotals = { pass: 0, fail: 0, skip: 0, todo: 0, error: 0 };
  for (let i = ran - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (/expect\(\) calls?\s*$/.test(line) || /^\s*\d+ snapshots?/.test(line)) continue;
    const m = COUNT_LINE.exec(line);
    if (!m) break;
    totals[m[2] as keyof BunConsoleTotals] = Number(m[1]);
  }
  return totals;
}

/** Combines the JUnit totals, bun's console totals, bun's exit code and the extra checks. */
export function summarize(input: {
  junit: JunitTotals | null;
  console: BunConsoleTotals | null;
  bunExitCode: number;
  checks: CheckResult[];
}): Summary {
  const { junit, console: out, bunExitCode, checks } = input;
  let passed = junit ? junit.tests - junit.failures - junit.errors - junit.skipped : (out?.pass ?? 0);
  let failed = junit ? junit.failures + junit.errors : 0;
  const skipped = junit ? junit.skipped : out ? out.skip + out.todo : 0;
  if (out) failed = Math.max(failed, out.fail);
  if (bunExitCode !== 0 && failed === 0) failed = 1;
  passed = Math.max(passed, 0);
  const testsRan = passed + failed;
  for (const c of checks) {
    if (c.passed) passed++;
    else failed++;
  }
  return { passed, failed, skipped, testsRan };
}

/** The totals of two bun passes (scripts/test.ts runs the process-level tests again on PostgreSQL). */
export function addSummaries(a: Summary, b: Summary): Summary {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped, testsRan: a.testsRan + b.testsRan };
}

/**
 * Whether a test file runs the server as a process on a store it picks from SKRIPTOTEKET_TEST_STORE:
 * it calls processTestStoreKind (src/store/test-db.ts) or starts the binary through scripts/e2e/server.ts.
 */
export function honoursTestStore(source: string): boolean {
  return /(?<!function\s+)\bprocessTestStoreKind\(/.test(source) || /from\s+"[./]*(?:scripts\/)?e2e\/server"/.test(source);
}

/** The closing line, exactly as CI expects it. */
export function formatSummary(s: Summary): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}

/** The exit code of the whole run: success only when bun succeeded, tests ran and nothing failed. */
export function exitCodeFor(s: Summary, bunExitCode: number): number {
  if (bunExitCode !== 0) return bunExitCode;
  return s.failed > 0 || s.testsRan === 0 ? 1 : 0;
}
