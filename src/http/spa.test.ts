import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveSpa } from "./spa";

let dir: string;
let assets: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spa-test-"));
  const files: Record<string, string> = {
    "index.html": "<!doctype html><title>Skriptoteket</title>",
    "index-abc123.js": "console.log('app')",
    "icon-xyz.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  assets = {
    "/index.html": join(dir, "index.html"),
    "/assets/index-abc123.js": join(dir, "index-abc123.js"),
    "/assets/icon-xyz.svg": join(dir, "icon-xyz.svg"),
    "/favicon.svg": join(dir, "favicon.svg"),
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("serveSpa", () => {
  const scenarios: Array<{
    name: string;
    path: string;
    status: number;
    contentType: string;
    cacheControl: string | null;
    body: string;
  }> = [
    { name: "root serves index.html", path: "/", status: 200, contentType: "text/html; charset=utf-8", cacheControl: "no-cache", body: "<title>Skriptoteket</title>" },
    { name: "deep link falls back to index.html", path: "/admin/users/42", status: 200, contentType: "text/html; charset=utf-8", cacheControl: "no-cache", body: "<title>Skriptoteket</title>" },
    { name: "index.html itself is not cached", path: "/index.html", status: 200, contentType: "text/html; charset=utf-8", cacheControl: "no-cache", body: "<title>Skriptoteket</title>" },
    { name: "hashed script is immutable", path: "/assets/index-abc123.js", status: 200, contentType: "text/javascript", cacheControl: "public, max-age=31536000, immutable", body: "console.log('app')" },
    { name: "hashed svg is immutable", path: "/assets/icon-xyz.svg", status: 200, contentType: "image/svg+xml", cacheControl: "public, max-age=31536000, immutable", body: "<svg" },
    { name: "file outside /assets is revalidated", path: "/favicon.svg", status: 200, contentType: "image/svg+xml", cacheControl: "no-cache", body: "<svg" },
    { name: "missing asset is 404, not index.html", path: "/assets/nope.js", status: 404, contentType: "text/plain; charset=utf-8", cacheControl: null, body: "Not found" },
    { name: "missing file with extension at root is 404", path: "/favicon.ico", status: 404, contentType: "text/plain; charset=utf-8", cacheControl: null, body: "Not found" },
    { name: "object prototype names are not files", path: "/__proto__", status: 200, contentType: "text/html; charset=utf-8", cacheControl: "no-cache", body: "<title>Skriptoteket</title>" },
  ];

  for (const scenario of scenarios) {
    test(scenario.name, async () => {
      const response = serveSpa(scenario.path, assets);
      expect(response.status).toBe(scenario.status);
      expect(response.headers.get("content-type") ?? "").toStartWith(scenario.contentType);
      expect(response.headers.get("cache-control")).toBe(scenario.cacheControl);
      expect(await response.text()).toContain(scenario.body);
    });
  }

  test("/api paths get the API's 404 JSON error, never the SPA", async () => {
    for (const path of ["/api/v1/nope", "/api", "/api/"]) {
      const response = serveSpa(path, assets);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toStartWith("application/json");
      const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body.error.code).toBe("not_found");
      expect(body.error.details).toBeNull();
    }
  });

  test("a path merely starting with 'api' is a UI route", async () => {
    const response = serveSpa("/apiary", assets);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<title>Skriptoteket</title>");
  });

  test("without an embedded UI every UI path says how to build it", async () => {
    for (const path of ["/", "/login", "/assets/index-abc123.js"]) {
      const response = serveSpa(path, {});
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toContain("UI not built: run scripts/build.sh");
    }
  });

  test("without an embedded UI /api still answers JSON 404", () => {
    expect(serveSpa("/api/v1/x", {}).status).toBe(404);
  });
});
