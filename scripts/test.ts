// Runs every check and test and closes with the one line CI reads: `N passed, N failed, N skipped`.
//
//   bun scripts/test.ts                  type checks + the whole bun test suite
//   bun scripts/test.ts src/identity     extra arguments go to `bun test` (paths, -t NAME, --bail …)
//
// The type checks (server, and the UI when ui/tsconfig.json exists) count as one test each. When
// scripts/test.sh ran the build first it passes SKRIPTOTEKET_BUILD_RESULT=passed|failed, and the
// build counts as one test too. SKRIPTOTEKET_JUNIT_FILE=path keeps bun's JUnit report there.
// Exit code: bun's when it failed, else 1 when anything failed or no test ran, else 0.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  exitCodeFor,
  formatSummary,
  parseBunConsoleTotals,
  parseJunitTotals,
  summarize,
  type CheckResult,
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

async function runBunTests(args: string[], junitFile: string): Promise<{ exitCode: number; output: string }> {
  // --timeout here: Bun 1.4.5 ignores [test] timeout in bunfig.toml. Integration tests start servers,
  // containers and browsers; each also bounds itself.
  const p = Bun.spawn(["bun", "test", "--timeout=60000", "--reporter=junit", `--reporter-outfile=${junitFile}`, ...args], {
    cwd: root,
    stdin: "ignore",
    stdout: "inherit",
    stderr: "pipe",
    // bun sees a pipe, not the terminal: keep its colours when a person is watching.
    env: process.stderr.isTTY && !process.env.NO_COLOR ? { ...process.env, FORCE_COLOR: "1" } : process.env,
  });
  const output = await teeTail(p.stderr);
  return { exitCode: await p.exited, output };
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
    if (keepJunit) rmSync(keepJunit, { force: true });
    const bun = await runBunTests(process.argv.slice(2), junitFile);
    const junit = existsSync(junitFile) ? parseJunitTotals(readFileSync(junitFile, "utf8")) : null;
    const summary = summarize({
      junit,
      console: parseBunConsoleTotals(bun.output),
      bunExitCode: bun.exitCode,
      checks,
    });
    for (const c of checks.filter((c) => !c.passed)) process.stderr.write(`failed check: ${c.name}\n`);
    if (summary.testsRan === 0) process.stderr.write("error: no test ran\n");
    // The very last line of output, on stdout: CI reads it.
    console.log(formatSummary(summary));
    return exitCodeFor(summary, bun.exitCode);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exit(await main());
