// Writes skriptoteket.example.toml from the config spec (src/config/config.keys.ts).
//
//   bun scripts/gen-example-config.ts          rewrite the example file
//   bun scripts/gen-example-config.ts --check  exit 1 when the committed file is out of date
//
// src/config/config.example.test.ts runs the same comparison, so a key added to the spec without
// regenerating the example fails the tests.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderExampleToml } from "../src/config/config.render";

export const EXAMPLE_PATH = join(import.meta.dir, "..", "skriptoteket.example.toml");

if (import.meta.main) {
  const expected = renderExampleToml();
  if (process.argv.includes("--check")) {
    const current = readFileSync(EXAMPLE_PATH, "utf8");
    if (current !== expected) {
      console.error("skriptoteket.example.toml is out of date: run bun scripts/gen-example-config.ts");
      process.exit(1);
    }
    console.log("skriptoteket.example.toml is up to date");
  } else {
    writeFileSync(EXAMPLE_PATH, expected);
    console.log(`wrote ${EXAMPLE_PATH}`);
  }
}
