// Serves the embedded web UI (ui/dist, mapped by scripts/gen-assets.ts) with an SPA fallback: any
// path without a file extension gets index.html, so deep links and reloads work.

const IMMUTABLE = "public, max-age=31536000, immutable";
const HTML = "text/html; charset=utf-8";

/** A file extension on the last path segment ("/assets/x.js", "/favicon.ico"): such paths never fall back. */
const HAS_EXTENSION = /\.[a-z0-9]+$/i;

/**
 * The response for a GET of `path` (no query string) from the embedded UI files.
 *
 * - exact hit: the file, with Bun's content type; `/assets/*` (content-hashed names) cached for a
 *   year as immutable, everything else `no-cache`
 * - `/api/*`: 404 JSON in the API's error shape (the app routes /api itself; this is a safety net)
 * - other path with a file extension: 404 text
 * - anything else: index.html (`text/html; charset=utf-8`, `no-cache`)
 * - no UI embedded at all (the binary was built without it): 503 page saying how to build it
 *
 * @example serveSpa("/admin/users", assets) // index.html
 */
export function serveSpa(path: string, assets: Record<string, string>): Response {
  if (path === "/api" || path.startsWith("/api/")) {
    return Response.json(
      { error: { code: "not_found", message: "Not found. Check the address.", details: null } },
      { status: 404 },
    );
  }

  const index = assets["/index.html"];
  if (index === undefined) return uiNotBuilt();

  const hit = Object.hasOwn(assets, path) ? assets[path] : undefined;
  if (hit !== undefined && path !== "/index.html") {
    return new Response(Bun.file(hit), {
      headers: { "cache-control": path.startsWith("/assets/") ? IMMUTABLE : "no-cache" },
    });
  }

  if (path !== "/index.html" && HAS_EXTENSION.test(path)) {
    return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  }

  return new Response(Bun.file(index), { headers: { "content-type": HTML, "cache-control": "no-cache" } });
}

function uiNotBuilt(): Response {
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Skriptoteket: UI not built</title></head>
<body>
<h1>UI not built: run scripts/build.sh</h1>
<p>This Skriptoteket binary was compiled without the web UI. The API works; build the UI with scripts/build.sh.</p>
<p lang="sv">Webbgränssnittet saknas i den här binären. Bygg det med scripts/build.sh.</p>
</body>
</html>
`;
  return new Response(body, { status: 503, headers: { "content-type": HTML, "cache-control": "no-store" } });
}
