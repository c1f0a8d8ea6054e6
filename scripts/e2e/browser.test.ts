// The browser harness must catch what it promises to catch, or every browser test passes vacuously.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { openBrowser } from "./browser";

const CSP = "default-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'";
let server: ReturnType<typeof Bun.serve>;
let base: string;
let otherOrigin: string;

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      const html = (body: string, csp = true) =>
        new Response(`<!doctype html><html lang="en"><head><title>t</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`, {
          headers: { "content-type": "text/html", ...(csp ? { "content-security-policy": CSP } : {}) },
        });
      if (path === "/clean") return html(`<main><h1>Clean</h1><script src="/ok.js"></script></main>`);
      if (path === "/ok.js") return new Response("fetch('/missing')", { headers: { "content-type": "text/javascript" } });
      if (path === "/inline") return html(`<main><h1>Inline</h1><script>console.log(1)</script></main>`);
      if (path === "/no-csp-other-origin") return html(`<main><h1>Img</h1><img alt="x" src="${otherOrigin}/pixel.svg"></main>`, false);
      if (path === "/pixel.svg") {
        return new Response("<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>", { headers: { "content-type": "image/svg+xml" } });
      }
      if (path === "/error") return html(`<main><h1>Err</h1><script src="/throw.js"></script></main>`);
      if (path === "/throw.js") return new Response("console.error('boom')", { headers: { "content-type": "text/javascript" } });
      return new Response("nope", { status: 404 });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
  // Same server, another origin (host name differs).
  otherOrigin = `http://localhost:${server.port}`;
});

afterAll(() => {
  server.stop(true);
});

async function problemsOn(path: string, allow?: [string, number]) {
  const browser = await openBrowser(base);
  if (allow) browser.allowHttpError("GET", allow[0], allow[1]);
  await browser.page.goto(`${base}${path}`);
  await browser.page.waitForTimeout(300);
  const problems = [...browser.problems];
  await browser.close();
  return problems;
}

test("an expected HTTP error is not a problem; an unexpected one is", async () => {
  expect(await problemsOn("/clean", ["/missing", 404])).toEqual([]);
  expect(await problemsOn("/clean")).toEqual(["unexpected HTTP 404: /missing"]);
}, 60_000);

test("an inline script under the CSP is reported as a violation", async () => {
  const problems = await problemsOn("/inline");
  expect(problems.some((p) => p.includes("CSP violation: script-src"))).toBe(true);
}, 60_000);

test("a request to another origin is reported", async () => {
  const problems = await problemsOn("/no-csp-other-origin");
  expect(problems).toContain(`console error: request to another origin: ${otherOrigin}/pixel.svg`);
}, 60_000);

test("console errors are reported", async () => {
  expect(await problemsOn("/error")).toEqual(["console error: boom"]);
}, 60_000);
