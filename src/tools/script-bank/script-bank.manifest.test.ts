// The script bank without Docker: every tool folder is valid (tool.json through the manifest
// validator, tool.py parses as Python 3), uses the agreed professions and categories, is written in
// Swedish for teachers, and is embedded by an up-to-date index.gen.ts.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bankFolders, renderIndex } from "../../../scripts/gen-script-bank";
import { checkToolManifest } from "../tool-manifest.rules";
import { scriptBank } from "./index.gen";

const BANK = import.meta.dir;
const PROFESSIONS = ["larare", "specialpedagog", "skoladministrator", "rektor", "gemensamt"];
const CATEGORIES = ["lektionsplanering", "mentorskap", "administration", "ovrigt"];
const folders = bankFolders(BANK);

test("the bank has at least 8 tools", () => {
  expect(folders.length).toBeGreaterThanOrEqual(8);
});

test("index.gen.ts is up to date and embeds every folder as text", () => {
  expect(readFileSync(join(BANK, "index.gen.ts"), "utf8")).toBe(renderIndex(BANK));
  const check = Bun.spawnSync(["bun", "scripts/gen-script-bank.ts", "--check"], { cwd: join(BANK, "..", "..", "..") });
  expect(check.exitCode).toBe(0);
  expect(scriptBank.map((t) => t.slug)).toEqual(folders);
  for (const tool of scriptBank) {
    expect(typeof tool.manifestText).toBe("string");
    expect(tool.manifestText).toBe(readFileSync(join(BANK, tool.slug, "tool.json"), "utf8"));
    expect(tool.source).toBe(readFileSync(join(BANK, tool.slug, "tool.py"), "utf8"));
  }
});

for (const folder of folders) {
  test(`${folder}: tool.json passes the validator; slug, tags and Swedish texts`, () => {
    const manifestText = readFileSync(join(BANK, folder, "tool.json"), "utf8");
    const source = readFileSync(join(BANK, folder, "tool.py"), "utf8");
    const check = checkToolManifest({ manifestText, source, manifestFile: `${folder}/tool.json`, sourceFile: `${folder}/tool.py` });
    if (!check.ok) throw new Error(check.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join("\n"));
    const m = check.manifest;
    expect(m.slug).toBe(folder);
    expect(m.professions.length).toBeGreaterThan(0);
    expect(m.professions.filter((p) => !PROFESSIONS.includes(p))).toEqual([]);
    expect(m.categories.length).toBeGreaterThan(0);
    expect(m.categories.filter((c) => !CATEGORIES.includes(c))).toEqual([]);
    expect(m.summary.length).toBeGreaterThan(60);
    // usage instructions are markdown for teachers: a "how to" section with numbered steps
    expect(m.usage_instructions).toContain("## Så här gör du");
    expect(m.usage_instructions).toMatch(/\n1\. /);
    for (const field of m.input_schema as { kind: string; label: string; help?: string; accept?: string[] }[]) {
      expect(field.label).toMatch(/[a-zåäö]/i);
      if (field.kind === "file") expect(field.accept?.length).toBeGreaterThan(0);
    }
    // a script uses the contract's helpers and fails with messages meant for users
    expect(source).toContain("from tool_errors import ToolUserError");
    expect(source).toContain("raise ToolUserError(");
  });
}

test("every tool.py is valid Python 3", () => {
  const files = folders.map((f) => join(BANK, f, "tool.py"));
  const check = Bun.spawnSync(["python3", "-c", "import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding='utf-8').read(), f)", ...files]);
  if (check.exitCode !== 0) console.error(check.stderr.toString());
  expect(check.exitCode).toBe(0);
});
