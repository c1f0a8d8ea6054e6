import { describe, expect, test } from "bun:test";
import { createPatch } from "diff";
import { patchedSource } from "./assistant-patch.rules";

const SOURCE = "def run_tool(input_dir, output_dir):\n    return {\"outputs\": []}\n";
const CHANGED = "def run_tool(input_dir, output_dir):\n    return {\"outputs\": [{\"kind\": \"markdown\", \"markdown\": \"Hej\"}]}\n";

describe("patchedSource", () => {
  test("a diff made against the source applies", () => {
    expect(patchedSource(SOURCE, createPatch("tool.py", SOURCE, CHANGED))).toBe(CHANGED);
  });

  test("a diff for other text does not fit: null", () => {
    const other = createPatch("tool.py", "x = 1\n", "x = 2\n");
    expect(patchedSource(SOURCE, other)).toBeNull();
  });

  test("garbage is null, not an exception", () => {
    expect(patchedSource(SOURCE, "@@ -1,3 +1,4 @@\n nonsense")).toBeNull();
  });
});
