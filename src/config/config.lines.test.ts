import { expect, test } from "bun:test";
import { parse } from "smol-toml";
import { findKeyLines, lineOf } from "./config.lines";

test("records table headers and keys with the current table", () => {
  const lines = findKeyLines(
    ["# top comment", "title = 1", "", "[server]", "  listen = \"x\"   # trailing", "[log]", "level=\"info\""].join("\n"),
  );
  expect(Object.fromEntries(lines)).toEqual({ title: 2, server: 4, "server.listen": 5, log: 6, "log.level": 7 });
});

test("handles quoted keys, dotted keys, quoted and spaced table names", () => {
  const text = [
    '[ "server" ]', // 1
    '"listen" = "x"', // 2
    "'public_url' = 'y'", // 3
    "a . b = 1", // 4
    '[auth."weird.key"]', // 5
    "c = 2", // 6
  ].join("\n");
  expect(Object.fromEntries(findKeyLines(text))).toEqual({
    server: 1,
    "server.listen": 2,
    "server.public_url": 3,
    "server.a.b": 4,
    "auth.weird.key": 5,
    "auth.weird.key.c": 6,
  });
});

test("multi-line strings and arrays do not shift later lines or create keys", () => {
  const text = [
    "[a]", // 1
    'doc = """', // 2
    "fake = 1", // 3 (inside the string)
    '[not_a_table]"""', // 4
    "list = [", // 5
    '  "x = 1",  # comment with ] bracket', // 6
    '  "[y]",', // 7
    "]", // 8
    "lit = '''", // 9
    "z = 2'''", // 10
    'esc = """line \\', // 11 (line-ending backslash)
    '  continued"""', // 12
    "inline = { k = [1,", // 13
    "  2] }", // 14
    "last = true", // 15
  ].join("\n");
  parse(text); // the scanner only sees valid TOML; make sure this is
  expect(Object.fromEntries(findKeyLines(text))).toEqual({
    a: 1,
    "a.doc": 2,
    "a.list": 5,
    "a.lit": 9,
    "a.esc": 11,
    "a.inline": 13,
    "a.last": 15,
  });
});

test("arrays of tables and CRLF line ends", () => {
  const text = "[[arr]]\r\nx = 1\r\n\r\n[[arr]]\r\ny = 2\r\n";
  expect(Object.fromEntries(findKeyLines(text))).toEqual({ arr: 1, "arr.x": 2, "arr.y": 5 });
});

test("the first definition wins", () => {
  const lines = findKeyLines("[a.b]\nx = 1\n[a]\ny = 2\n");
  expect(lines.get("a.b")).toBe(1);
  expect(lines.get("a")).toBe(3);
});

test("lineOf falls back to the first line inside a path, then to the nearest parent", () => {
  const lines = findKeyLines('\n\nsever.listen = "x"\n[log]\nx = { y = 1 }\n');
  expect(lineOf(lines, "sever.listen")).toBe(3);
  expect(lineOf(lines, "sever")).toBe(3); // only defined through a dotted key
  expect(lineOf(lines, "log.x.y")).toBe(5); // inside an inline table
  expect(lineOf(lines, "nothing")).toBeUndefined();
});
