import { describe, expect, test } from "bun:test";
import {
  bufferFromTemplate,
  bufferFromVersion,
  contentFromBuffer,
  entrypointCandidates,
  restoreOffer,
  sameBuffer,
  workingCopyKey,
  type EditorBuffer,
  type WorkingCopy,
} from "./editor-buffer.rules";
import { STARTER_TEMPLATE } from "./starter-template";

const VERSION = {
  source: "def run_tool(i, o):\n    return {}\n",
  entrypoint: "run_tool",
  input_schema: [{ kind: "string", name: "a", label: "A" }],
  settings_schema: null,
  usage_instructions: "Hej",
};

const copy = (buffer: EditorBuffer, baseVersionId: string | null): WorkingCopy => ({
  key: workingCopyKey("t1", "u1"),
  toolId: "t1",
  userId: "u1",
  baseVersionId,
  baseNumber: 1,
  buffer,
  savedAt: "2026-11-23T10:00:00.000Z",
});

describe("buffers", () => {
  test("a version becomes editable text: schemas pretty-printed, no settings → empty", () => {
    const buffer = bufferFromVersion(VERSION);
    expect(buffer.inputSchema).toBe(JSON.stringify(VERSION.input_schema, null, 2));
    expect(buffer.settingsSchema).toBe("");
    expect(buffer.usageInstructions).toBe("Hej");
  });

  test("round trip back to content", () => {
    const result = contentFromBuffer(bufferFromVersion(VERSION));
    expect(result).toEqual({ ok: true, content: VERSION });
  });

  test("the starter template round-trips too", () => {
    const result = contentFromBuffer(bufferFromTemplate(STARTER_TEMPLATE));
    expect(result.ok && result.content.settings_schema).toEqual(STARTER_TEMPLATE.settings_schema);
  });

  test("invalid JSON names the schema and is not sent", () => {
    const buffer = { ...bufferFromVersion(VERSION), settingsSchema: "[{" };
    const result = contentFromBuffer(buffer);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.field).toBe("settings_schema");
  });

  test("an empty input schema is [] and an empty entrypoint falls back to run_tool", () => {
    const result = contentFromBuffer({ ...bufferFromVersion(VERSION), inputSchema: "  ", entrypoint: " " });
    expect(result.ok && result.content.input_schema).toEqual([]);
    expect(result.ok && result.content.entrypoint).toBe("run_tool");
  });

  test("entrypoint candidates: top-level functions, the current one first", () => {
    expect(entrypointCandidates("def b(x, y):\n  pass\ndef main(i, o):\n    def inner(): pass\n", "main")).toEqual(["main", "b"]);
    expect(entrypointCandidates("x = 1", "run_tool")).toEqual(["run_tool"]);
  });
});

describe("restoring a working copy", () => {
  const head = bufferFromVersion(VERSION);
  const edited = { ...head, source: `${head.source}# more\n` };

  test("none kept, or identical to the head: nothing to offer", () => {
    expect(restoreOffer(null, "v1", head).kind).toBe("none");
    expect(restoreOffer(copy(head, "v0"), "v1", head).kind).toBe("none");
    expect(sameBuffer(head, { ...head })).toBe(true);
  });

  test("changes on the head: offered", () => {
    expect(restoreOffer(copy(edited, "v1"), "v1", head).kind).toBe("offer");
  });

  test("changes on an older version: offered as stale", () => {
    expect(restoreOffer(copy(edited, "v0"), "v1", head).kind).toBe("offer_stale");
  });
});
