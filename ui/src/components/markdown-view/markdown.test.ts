import { expect, test } from "bun:test";
import { stripEventHandlers } from "./markdown";

test("event-handler attributes leave raw HTML before it is parsed, in every quoting style", () => {
  expect(stripEventHandlers(`<img src=x onerror=alert(1)>`)).toBe(`<img src=x >`);
  expect(stripEventHandlers(`<a href="#" onclick="go()" ONMOUSEOVER='x'>a</a>`)).toBe(`<a href="#"  >a</a>`);
  expect(stripEventHandlers(`<svg/onload=alert(1)>`)).toBe(`<svg/>`);
  expect(stripEventHandlers(`<p data-one="1">text online = ok</p>`)).toBe(`<p data-one="1">text online = ok</p>`);
});
