import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scriptBank } from "../tools/script-bank/index.gen";
import type { CliIO } from "./command";
import { seedCommand } from "./seed";

const root = mkdtempSync(join(tmpdir(), "skt-cli-seed-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const configFile = join(root, "skriptoteket.toml");
writeFileSync(configFile, `[storage]\ndata_dir = "${join(root, "data")}"\n`);

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: root };
  const code = await seedCommand.run(args, io);
  return { code, out, err };
}

test("seed publishes the whole bank, one line per tool; run again, every tool is unchanged", async () => {
  expect(await run(["--config", configFile])).toEqual({
    code: 0,
    out: scriptBank.map((t) => `${t.slug}: created — version 1 published`),
    err: [],
  });
  expect(await run([`--config=${configFile}`])).toEqual({
    code: 0,
    out: scriptBank.map((t) => `${t.slug}: unchanged (version 1)`),
    err: [],
  });
});

test("an unknown argument is a usage error; --help explains the three outcomes", async () => {
  expect(await run(["--publish", "--config", configFile])).toEqual({
    code: 2,
    out: [],
    err: ['Unknown argument "--publish" for "seed".', 'Run "skriptoteket seed --help" for the usage.'],
  });
  const help = await run(["--help"]);
  expect(help.code).toBe(0);
  expect(help.out.join("\n")).toContain("unchanged  the tool already has a version with this content");
});
