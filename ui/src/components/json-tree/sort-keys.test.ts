import { expect, test } from "bun:test";
import { sortKeys } from "./sort-keys";

test("json keys sorted at every level, __proto__ kept as data", () => {
  const value = JSON.parse('{"b":1,"a":{"d":[{"z":1,"y":2}],"c":null},"__proto__":{"x":1}}');
  expect(JSON.stringify(sortKeys(value))).toBe('{"__proto__":{"x":1},"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
});
