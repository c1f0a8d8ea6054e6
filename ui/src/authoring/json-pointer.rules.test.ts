import { describe, expect, test } from "bun:test";
import { locateJsonPointer, pointerSegments, splitProblemPath } from "./json-pointer.rules";

const SCHEMA = `[
  { "kind": "string", "name": "rubrik", "label": "Rubrik" },
  { "kind": "tabel", "name": "a/b", "options": [ { "value": "x" } ] }
]`;

const at = (text: string, pointer: string) => {
  const range = locateJsonPointer(text, pointer);
  return range ? text.slice(range.from, range.to) : null;
};

describe("locateJsonPointer", () => {
  test("marks a member with its key", () => {
    expect(at(SCHEMA, "/1/kind")).toBe('"kind": "tabel"');
    expect(at(SCHEMA, "/0/label")).toBe('"label": "Rubrik"');
  });

  test("array items and nested members", () => {
    expect(at(SCHEMA, "/0")).toBe('{ "kind": "string", "name": "rubrik", "label": "Rubrik" }');
    expect(at(SCHEMA, "/1/options/0/value")).toBe('"value": "x"');
  });

  test("a missing member marks the nearest ancestor (the object that lacks the key)", () => {
    expect(at(SCHEMA, "/1/label")).toBe('{ "kind": "tabel", "name": "a/b", "options": [ { "value": "x" } ] }');
    expect(at(SCHEMA, "/7/kind")).toBe(SCHEMA);
  });

  test("the root pointer marks everything; escapes are honoured", () => {
    expect(at(SCHEMA, "")).toBe(SCHEMA);
    expect(at('{"a/b": {"~x": 1}}', "/a~1b/~0x")).toBe('"~x": 1');
  });

  test("invalid JSON gives null", () => {
    expect(locateJsonPointer("[{", "/0")).toBeNull();
    expect(locateJsonPointer("[1,]", "/0")).toBeNull();
    expect(locateJsonPointer("[1] x", "/0")).toBeNull();
  });

  test("escaped strings and numbers parse", () => {
    expect(at('{"a\\"b": -1.5e3, "c": "\\u00e5"}', "/c")).toBe('"c": "\\u00e5"');
    expect(at('{"a\\"b": -1.5e3}', '/a"b')).toBe('"a\\"b": -1.5e3');
  });
});

describe("splitProblemPath", () => {
  test("sends problems to the editor they belong to", () => {
    expect(splitProblemPath("/input_schema/2/kind", "m")).toEqual({ field: "input_schema", pointer: "/2/kind", message: "m" });
    expect(splitProblemPath("/settings_schema", "m")).toEqual({ field: "settings_schema", pointer: "", message: "m" });
    expect(splitProblemPath("/source", "m").field).toBe("source");
    expect(splitProblemPath("/input_schema/a~1b", "m").pointer).toBe("/a~1b");
  });

  test("unknown paths stay whole, with no field", () => {
    expect(splitProblemPath("/parent_version_id", "m")).toEqual({ field: null, pointer: "/parent_version_id", message: "m" });
  });

  test("pointerSegments", () => {
    expect(pointerSegments("/a/0/b~1c")).toEqual(["a", "0", "b/c"]);
    expect(pointerSegments("")).toEqual([]);
  });
});
