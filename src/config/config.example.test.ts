// skriptoteket.example.toml is the admin's reference: it must document every key of the spec, set each
// to its default, and be exactly what scripts/gen-example-config.ts generates from the spec.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { renderExampleToml } from "./config.render";
import { resolveConfig } from "./config.resolve";
import { defaultConfig, envVarName, specEntries } from "./config.keys";

const examplePath = join(import.meta.dir, "..", "..", "skriptoteket.example.toml");
const example = readFileSync(examplePath, "utf8");

test("the example file is up to date with the spec (run bun scripts/gen-example-config.ts)", () => {
  expect(example).toBe(renderExampleToml());
});

test("the example file is valid and equals the defaults", () => {
  const { config, sources } = resolveConfig({ text: example, file: examplePath, env: {} });
  expect(config).toEqual(defaultConfig());
  // every key is set in the file itself, none falls back to a default
  expect(Object.values(sources).every((s) => s.kind === "file")).toBe(true);
});

test("every key of the spec appears in its section, with documentation and its variable right above it", () => {
  const parsed = parse(example) as Record<string, Record<string, unknown>>;
  const lines = example.split("\n");
  for (const { section, key, spec } of specEntries()) {
    expect([section, key, Object.hasOwn(parsed[section] ?? {}, key)]).toEqual([section, key, true]);
    const at = lines.findIndex((l, i) => l.startsWith(`${key} = `) && sectionAt(lines, i) === section);
    const docLines = spec.doc.split("\n");
    const above = lines.slice(at - docLines.length - 1, at);
    expect(above).toEqual([...docLines.map((d) => `# ${d}`), expect.stringContaining(`Env: ${envVarName(section, key)}`)]);
  }
});

function sectionAt(lines: string[], index: number): string | undefined {
  for (let i = index; i >= 0; i--) {
    const header = /^\[([a-z0-9_]+)\]$/.exec(lines[i] ?? "");
    if (header) return header[1];
  }
  return undefined;
}
