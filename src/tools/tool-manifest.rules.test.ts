import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkToolManifest, formatManifestProblem, type ManifestCheck, type ManifestProblem } from "./tool-manifest.rules";

const EXAMPLE_DIR = join(import.meta.dir, "testdata", "csv-table");
const exampleManifest = readFileSync(join(EXAMPLE_DIR, "tool.json"), "utf8");
const exampleSource = readFileSync(join(EXAMPLE_DIR, "tool.py"), "utf8");

const SOURCE = "def run_tool(input_dir, output_dir):\n    return 'hej'\n";

function check(manifest: unknown, source = SOURCE): ManifestCheck {
  return checkToolManifest({ manifestText: typeof manifest === "string" ? manifest : JSON.stringify(manifest), source });
}

function problems(manifest: unknown, source = SOURCE): ManifestProblem[] {
  const result = check(manifest, source);
  if (result.ok) throw new Error("expected problems, the manifest was accepted");
  return result.problems;
}

describe("a valid tool.json", () => {
  test("the example tool folder passes with every key as written", () => {
    const result = checkToolManifest({ manifestText: exampleManifest, source: exampleSource });
    if (!result.ok) throw new Error(result.problems.map(formatManifestProblem).join("\n"));
    expect(result.manifest).toEqual(JSON.parse(exampleManifest));
  });

  test("only slug and title are required; the rest get their defaults", () => {
    expect(check({ slug: "min-tool", title: "  Mitt verktyg  " })).toEqual({
      ok: true,
      manifest: {
        slug: "min-tool",
        title: "Mitt verktyg",
        summary: "",
        entrypoint: "run_tool",
        input_schema: [],
        settings_schema: null,
        usage_instructions: "",
        professions: [],
        categories: [],
      },
    });
  });

  test("an empty settings schema is stored as null, the one spelling of \"no settings\"", () => {
    const result = check({ slug: "x", title: "X", settings_schema: [] });
    expect(result.ok && result.manifest.settings_schema).toBeNull();
  });

  test("another entrypoint is accepted when tool.py defines it at top level", () => {
    const result = check({ slug: "x", title: "X", entrypoint: "main" }, "import csv\n\ndef helper():\n    pass\n\ndef  main (a, b):\n    return ''\n");
    expect(result.ok && result.manifest.entrypoint).toBe("main");
  });
});

describe("problems name the file, the JSON pointer and what to fix", () => {
  test("invalid JSON is reported for the whole file", () => {
    expect(problems('{"slug": "x",}')).toEqual([
      {
        file: "tool.json",
        path: "",
        message: "is not valid JSON (Property name must be a string literal). Check for a trailing comma, a missing comma or unquoted keys.",
      },
    ]);
  });

  test("a JSON value that is not an object", () => {
    expect(problems("[1]")[0]?.message).toBe('must be a JSON object like {"slug": "min-tool", "title": "Mitt verktyg"}, got an array.');
  });

  test("unknown keys, missing keys and wrong types are all reported at once", () => {
    expect(problems({ slugg: "x", summary: 3, professions: "larare", settings_schema: {} })).toEqual([
      {
        file: "tool.json",
        path: "/slugg",
        message:
          "unknown key. Remove it or fix its name; tool.json has slug, title, summary, entrypoint, input_schema, settings_schema, usage_instructions, professions, categories.",
      },
      { file: "tool.json", path: "/slug", message: 'is missing. Add "slug": "…".' },
      { file: "tool.json", path: "/title", message: 'is missing. Add "title": "…".' },
      { file: "tool.json", path: "/summary", message: "must be a string, got number 3." },
      { file: "tool.json", path: "/professions", message: 'must be an array of strings like ["larare"], got the string "larare".' },
      { file: "tool.json", path: "/settings_schema", message: "must be an array of fields or null, got an object." },
    ]);
  });

  test("a bad slug says what a slug looks like", () => {
    expect(problems({ slug: "Betyg CSV", title: "B" })).toEqual([
      {
        file: "tool.json",
        path: "/slug",
        message: '"Betyg CSV" is not a valid slug. Use lowercase letters a–z, digits and single hyphens between them, no hyphen first or last (for example "betyg-csv").',
      },
    ]);
  });

  test("an empty or over-long title", () => {
    expect(problems({ slug: "x", title: "   " })[0]).toMatchObject({ path: "/title", message: 'is empty. Give the tool a short title, like "Betygsöversikt".' });
    expect(problems({ slug: "x", title: "t".repeat(201) })[0]).toMatchObject({ path: "/title", message: "is 201 characters long. Shorten it to at most 200." });
  });

  test("tags must be unique valid slugs", () => {
    expect(problems({ slug: "x", title: "X", categories: ["betyg", 7, "betyg", "Elev Data"] })).toEqual([
      { file: "tool.json", path: "/categories/1", message: "must be a string, got number 7." },
      { file: "tool.json", path: "/categories/2", message: '"betyg" is listed twice. Remove the duplicate.' },
      expect.objectContaining({ path: "/categories/3", message: expect.stringContaining('"Elev Data" is not a valid slug') }),
    ]);
  });

  test("the entrypoint must be a Python identifier and not a keyword", () => {
    expect(problems({ slug: "x", title: "X", entrypoint: "run-tool" })).toEqual([
      {
        file: "tool.json",
        path: "/entrypoint",
        message: '"run-tool" is not a Python function name. Use letters a–z, A–Z, digits and _, not starting with a digit, like "run_tool".',
      },
    ]);
    expect(problems({ slug: "x", title: "X", entrypoint: "class" })[0]?.message).toBe(
      '"class" is a Python keyword and cannot name a function. Use another name, like "run_tool".',
    );
  });

  test("tool.py must define the entrypoint at top level, synchronously", () => {
    const manifest = { slug: "x", title: "X" };
    expect(problems(manifest, "class Tool:\n    def run_tool(self, a, b):\n        pass\n")).toEqual([
      {
        file: "tool.py",
        path: "",
        message:
          'has no top-level "def run_tool(". Define it at the start of a line (not inside a class or another function), or set "entrypoint" in tool.json to the function\'s name.',
      },
    ]);
    expect(problems(manifest, "async def run_tool(a, b):\n    pass\n")[0]?.message).toBe(
      'defines run_tool with "async def". The entrypoint must be a plain synchronous function: def run_tool(input_dir, output_dir):',
    );
    // A longer name that merely starts with the entrypoint does not count.
    expect(problems(manifest, "def run_tool_v2(a, b):\n    pass\n")[0]?.path).toBe("");
    expect(problems(manifest, "  \n")[0]?.message).toStartWith("is empty.");
  });

  test("schema problems come from the field rules and point into input_schema and settings_schema", () => {
    expect(problems({ slug: "x", title: "X", input_schema: [{ kind: "file", name: "fil", label: "Fil", min: 1, max: 0 }], settings_schema: ["nej"] })).toEqual([
      { file: "tool.json", path: "/input_schema/0/max", message: expect.stringContaining("max") },
      { file: "tool.json", path: "/settings_schema/0", message: "Each field must be an object with kind, name and label." },
    ]);
    // A file field is an input, not a setting: settings take the action field kinds.
    const settings = problems({ slug: "x", title: "X", settings_schema: [{ kind: "file", name: "f", label: "F" }] });
    expect(settings).toEqual([{ file: "tool.json", path: "/settings_schema/0/kind", message: expect.stringContaining('Unknown field kind "file"') }]);
    expect(problems({ slug: "x", title: "X", input_schema: {} })).toEqual([
      { file: "tool.json", path: "/input_schema", message: "must be an array of fields (may be []), got an object." },
    ]);
  });

  test("file names in messages can be the operator's paths", () => {
    const result = checkToolManifest({ manifestText: "{}", source: "", manifestFile: "tools/x/tool.json", sourceFile: "tools/x/tool.py" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatManifestProblem)).toEqual([
      'tools/x/tool.json: /slug: is missing. Add "slug": "…".',
      'tools/x/tool.json: /title: is missing. Add "title": "…".',
      "tools/x/tool.py: is empty. Write the tool's Python code, with a top-level function like def run_tool(input_dir, output_dir):",
    ]);
  });
});
