import { expect, test } from "bun:test";
import { runParam, toolRunPath } from "./tool-page-query";

test("the tool page keeps its run in the URL", () => {
  expect(runParam("?run=0193abc-def")).toBe("0193abc-def");
  expect(runParam("?run=../x")).toBeNull();
  expect(runParam("")).toBeNull();
  expect(toolRunPath("betyg", "r1")).toBe("/tools/betyg?run=r1");
});
