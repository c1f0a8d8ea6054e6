// Runs every check and test and closes with the one line CI reads: `N passed, N failed, N skipped`.
//
//   bun scripts/test.ts                  type checks + the whole bun test suite
//   bun scripts/test.ts src/identity     extra arguments go to `bun test` (paths, -t NAME, --bail …)
//
// The type checks (server, and the UI when ui/tsconfig.json exists) count as one test each. When
// scripts/test.sh ran the build first it passes SKRIPTOTEKET_BUILD_RESULT=passed|failed, and the
// build counts as one test too. SKRIPTOTEKET_JUNIT_FILE=path keeps bun's JUnit report there.
// Exit code: bun's when it failed, else 1 when anything failed or no test ran, else 0.
//
// PostgreSQL pass: a full run (no arguments) with SKRIPTOTEKET_TEST_DATABASE_URL set runs the test
// files that run the server or its workers for real (those honouring SKRIPTOTEKET_TEST_STORE, see
// honoursTestStore) a second time with SKRIPTOTEKET_TEST_STORE=postgres; the closing line counts both
// passes. In-process suites already cover both stores through testStoreKinds(). By hand:
// `SKRIPTOTEKET_TEST_STORE=postgres ./scripts/test.sh ui/e2e/auth-journey.e2e.test.ts`.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
  type CheckResult,
  type Summary,
} from "./lib/test-summary";

const root = join(import.meta.dir, "..");

/** `bun check` one tsconfig; prints its errors only when it fails. */
function typeCheck(project: string): CheckResult {
  const name = `type check (${project})`;
  const started = performance.now();
  const p = Bun.spawnSync(["bun", "check", "--no-script", "--no-pretty", "-p", project], { cwd: root });
  const ms = Math.round(performance.now() - started);
  const passed = p.exitCode === 0;
  if (!passed) process.stderr.write(p.stdout.toString() + p.stderr.toString());
  process.stderr.write(`(${passed ? "pass" : "fail"}) ${name} [${ms}ms]\n`);
  return { name, passed };
}

/** Streams a child's stderr to ours while keeping the tail, where bun prints its counts. */
async function teeTail(stream: ReadableStream<Uint8Array>, keep = 64 * 1024): Promise<string> {
  const decoder = new TextDecoder();
  let tail = "";
  for await (const chunk of stream) {
    process.stderr.write(chunk);
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-keep);
  }
  return tail + decoder.decode();
}

async function runBunTests(args: string[], junitFile: string, env: Record<string, string> = {}): Promise<{ exitCode: number; output: string }> {
  // --timeout here: Bun 1.4.5 ignores [test] timeout in bunfig.toml. Integration tests start servers,
  // containers and browsers; each also bounds itself.
  const p = Bun.spawn(["bun", "test", "--timeout=60000", "--reporter=junit", `--reporter-outfile=${junitFile}`, ...args], {
    cwd: root,
    stdin: "ignore",
    stdout: "inherit",
    stderr: "pipe",
    // bun sees a pipe, not the terminal: keep its colours when a person is watching.
    env: { ...process.env, ...(process.stderr.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: "1" } : {}), ...env },
  });
  const output = await teeTail(p.stderr);
  return { exitCode: await p.exited, output };
}

/** Test files (repo-relative) that run the server or its workers on the store SKRIPTOTEKET_TEST_STORE names. */
function storeAwareTestFiles(): string[] {
  const files: string[] = [];
  for (const dir of ["src", "scripts", "ui/e2e"]) {
    for (const file of new Bun.Glob("**/*.test.ts").scanSync({ cwd: join(root, dir) })) {
      if (honoursTestStore(readFileSync(join(root, dir, file), "utf8"))) files.push(`${dir}/${file}`);
    }
  }
  return files.sort();
}

/** One `bun test` pass and its totals. */
async function testPass(args: string[], junitFile: string, checks: CheckResult[], env: Record<string, string> = {}): Promise<{ summary: Summary; exitCode: number }> {
  rmSync(junitFile, { force: true });
  const bun = await runBunTests(args, junitFile, env);
  const junit = existsSync(junitFile) ? parseJunitTotals(readFileSync(junitFile, "utf8")) : null;
  return { summary: summarize({ junit, console: parseBunConsoleTotals(bun.output), bunExitCode: bun.exitCode, checks }), exitCode: bun.exitCode };
}

async function main(): Promise<number> {
  const checks: CheckResult[] = [];
  const build = process.env.SKRIPTOTEKET_BUILD_RESULT;
  if (build === "passed" || build === "failed") checks.push({ name: "build", passed: build === "passed" });
  checks.push(typeCheck("tsconfig.json"));
  if (existsSync(join(root, "ui", "tsconfig.json"))) checks.push(typeCheck("ui/tsconfig.json"));

  const keepJunit = process.env.SKRIPTOTEKET_JUNIT_FILE;
  const tmp = mkdtempSync(join(tmpdir(), "skt-junit-"));
  const junitFile = keepJunit ?? join(tmp, "junit.xml");
  try {
    const args = process.argv.slice(2);
    const first = await testPass(args, junitFile, checks);
    let summary = first.summary;
    let bunExitCode = first.exitCode;
    if (args.length === 0 && process.env.SKRIPTOTEKET_TEST_DATABASE_URL && !process.env.SKRIPTOTEKET_TEST_STORE) {
      const files = storeAwareTestFiles();
      process.stderr.write(`\n== PostgreSQL pass (SKRIPTOTEKET_TEST_STORE=postgres): ${files.join(" ")}\n`);
      const started = performance.now();
      const second = await testPass(files, keepJunit ? keepJunit.replace(/(\.xml)?$/, ".postgres.xml") : join(tmp, "junit.postgres.xml"), [], { SKRIPTOTEKET_TEST_STORE: "postgres" });
      process.stderr.write(`== PostgreSQL pass: ${formatSummary(second.summary)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      summary = addSummaries(summary, second.summary);
      if (bunExitCode === 0) bunExitCode = second.exitCode;
    }
    for (const c of checks.filter((c) => !c.passed)) process.stderr.write(`failed check: ${c.name}\n`);
    if (summary.testsRan === 0) process.stderr.write("error: no test ran\n");
    // The very last line of output, on stdout: CI reads it.
    console.log(formatSummary(summary));
    return exitCodeFor(summary, bunExitCode);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exit(await main());
