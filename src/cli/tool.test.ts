import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toolCommand } from "./tool";
import type { CliIO } from "./command";

const EXAMPLE_DIR = join(import.meta.dir, "..", "tools", "testdata", "csv-table");
const root = mkdtempSync(join(tmpdir(), "skt-cli-tool-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// One SQLite data dir for the whole file: the tests build on each other like an operator's session.
const cwd = join(root, "work");
const dataDir = join(root, "data");
mkdirSync(cwd);
const configFile = join(root, "skriptoteket.toml");
writeFileSync(configFile, `[storage]\ndata_dir = "${dataDir}"\n`);

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd };
  const code = await toolCommand.run([...args, "--config", configFile], io);
  return { code, out, err };
}

/** A tool folder under the working directory, copied from the example with its own slug. */
function toolFolder(rel: string, slug: string): string {
  const dir = join(cwd, rel);
  cpSync(EXAMPLE_DIR, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, "tool.json"), "utf8")) as Record<string, unknown>;
  m.slug = slug;
  writeFileSync(join(dir, "tool.json"), JSON.stringify(m));
  return dir;
}

test("list on an empty store says how to import", async () => {
  expect(await run(["list"])).toEqual({ code: 0, out: ["No tools yet. Import one with: skriptoteket tool import DIR --publish"], err: [] });
});

test("import DIR creates a draft; --publish publishes it; a re-import is unchanged", async () => {
  toolFolder("csv", "csv-tabell");
  expect(await run(["import", "csv"])).toEqual({
    code: 0,
    out: ["csv-tabell: created — version 1 is draft, the tool is not published"],
    err: [],
  });
  expect(await run(["import", "csv", "--publish"])).toEqual({
    code: 0,
    out: ["csv-tabell: published version 1 — version 1 is active, the tool is published"],
    err: [],
  });
  expect(await run(["import", "./csv/", "--publish"])).toEqual({
    code: 0,
    out: ["csv-tabell: unchanged — version 1 is active, the tool is published"],
    err: [],
  });
});

test("a changed script with --publish becomes version 2 and archives version 1", async () => {
  const dir = join(cwd, "csv");
  writeFileSync(join(dir, "tool.py"), readFileSync(join(dir, "tool.py"), "utf8") + "\n# v2\n");
  const m = JSON.parse(readFileSync(join(dir, "tool.json"), "utf8")) as Record<string, unknown>;
  m.title = "CSV som tabell";
  writeFileSync(join(dir, "tool.json"), JSON.stringify(m));
  expect(await run(["import", "--publish", dir])).toEqual({
    code: 0,
    out: ["csv-tabell: new version 2; updated title; published version 2 (version 1 archived) — version 2 is active, the tool is published"],
    err: [],
  });
});

test("import --all imports every tool folder under a root and reports bad ones without stopping", async () => {
  toolFolder("bank/a-forsta", "forsta");
  toolFolder("bank/b-andra", "andra");
  const bad = toolFolder("bank/c-trasig", "trasig");
  writeFileSync(join(bad, "tool.json"), '{"slug": "trasig", "title": "T", "entrypoint": "start"}');
  mkdirSync(join(cwd, "bank", "docs"));
  const result = await run(["import", "--all", "bank"]);
  expect(result.code).toBe(1);
  expect(result.out).toEqual([
    "forsta: created — version 1 is draft, the tool is not published",
    "andra: created — version 1 is draft, the tool is not published",
    "2 imported (2 created, 0 changed, 0 unchanged), 1 failed.",
  ]);
  expect(result.err).toEqual([
    `${bad}: not imported:`,
    `  ${join(bad, "tool.py")}: has no top-level "def start(". Define it at the start of a line (not inside a class or another function), or set "entrypoint" in tool.json to the function's name.`,
  ]);
});

test("import DIR1 DIR2 takes several folders", async () => {
  const result = await run(["import", "bank/a-forsta", "bank/b-andra", "--publish"]);
  expect(result).toEqual({
    code: 0,
    out: [
      "forsta: published version 1 — version 1 is active, the tool is published",
      "andra: published version 1 — version 1 is active, the tool is published",
      "2 imported (0 created, 2 changed, 0 unchanged), 0 failed.",
    ],
    err: [],
  });
});

test("list prints slug, title, published and the active version", async () => {
  toolFolder("utkast", "utkast");
  await run(["import", "utkast"]);
  expect(await run(["list"])).toEqual({
    code: 0,
    out: [
      "SLUG        TITLE                PUBLISHED  ACTIVE",
      "andra       Visa CSV som tabell  yes        1",
      "csv-tabell  CSV som tabell       yes        2",
      "forsta      Visa CSV som tabell  yes        1",
      "utkast      Visa CSV som tabell  no         -",
    ],
    err: [],
  });
  const published = await run(["list", "--published"]);
  expect(published.out.map((l) => l.split(" ")[0])).toEqual(["SLUG", "andra", "csv-tabell", "forsta"]);
});

test("a missing folder is a failed import with exit code 1", async () => {
  const result = await run(["import", "finns-inte"]);
  expect(result.code).toBe(1);
  expect(result.err[0]).toBe(`${join(cwd, "finns-inte")}: not imported:`);
  expect(result.err[1]).toStartWith(`  ${join(cwd, "finns-inte", "tool.json")}: is missing.`);
  expect(result.out).toEqual(["0 imported (0 created, 0 changed, 0 unchanged), 1 failed."]);
});

test("usage errors exit 2 without touching the store", async () => {
  for (const [args, message] of [
    [[], 'Missing subcommand: use "tool import" or "tool list".'],
    [["remove"], 'Unknown subcommand "remove": use "tool import" or "tool list".'],
    [["import"], "Name at least one tool folder: tool import DIR"],
    [["import", "--all"], "--all needs a folder of tool folders, like: tool import --all tools/"],
    [["import", "x", "--force"], 'Unknown option "--force" for "tool import".'],
    [["list", "--all"], 'Unknown argument "--all" for "tool list".'],
  ] as const) {
    expect(await run([...args])).toEqual({ code: 2, out: [], err: [message, 'Run "skriptoteket tool --help" for the usage.'] });
  }
});

test("--help prints the usage", async () => {
  const result = await run(["--help"]);
  expect(result.code).toBe(0);
  expect(result.out[0]).toBe("skriptoteket tool — Import tool folders (tool.json + tool.py) and list tools");
  expect(result.out[2]).toStartWith("Usage: skriptoteket tool import DIR [DIR …] [--publish] [--config FILE]\n");
  expect(result.out).toContain("  skriptoteket tool list");
});
