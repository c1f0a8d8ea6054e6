// OpenAPI document at /api/docs/json (generated from the route schemas by @elysiajs/openapi) and
// Swagger UI at /api/docs. The UI's files are embedded in the binary: air-gapped sites have no CDN.
import { Elysia } from "elysia";
import { openapi } from "@elysiajs/openapi";
import swaggerCss from "swagger-ui-dist/swagger-ui.css" with { type: "file" };
import swaggerJs from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };
import initJs from "./api-docs-init.js" with { type: "file" };
import type { HttpContextPlugin } from "./http-context";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Skriptoteket API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body></html>`;

/** Routes the openapi plugin registers itself; they carry no `permission` option (public by design). */
export const API_DOCS_PLUGIN_ROUTES = ["GET /api/docs/json"];

export function apiDocs(ctx: HttpContextPlugin, { version }: { version: string }) {
  const file = (path: string, type: string) => () =>
    new Response(Bun.file(path), { headers: { "content-type": type, "cache-control": "public, max-age=86400" } });
  return new Elysia({ name: "api-docs" })
    .use(
      openapi({
        path: "/api/docs",
        specPath: "/api/docs/json",
        provider: null,
        exclude: { paths: ["/api/docs", "/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js", "/api/docs/init.js", "/*", "/api/*"] },
        documentation: {
          info: { title: "Skriptoteket API", version, description: "Session cookie + X-CSRF-Token on mutating requests. Errors: {error:{code,message,details},request_id}." },
          components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: "skriptoteket_session" } } },
        },
      }),
    )
    .use(ctx)
    .get("/api/docs", () => new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } }), {
      permission: "public",
      detail: { hide: true },
    })
    .get("/api/docs/swagger-ui.css", file(swaggerCss, "text/css; charset=utf-8"), { permission: "public", detail: { hide: true } })
    .get("/api/docs/swagger-ui-bundle.js", file(swaggerJs, "text/javascript; charset=utf-8"), { permission: "public", detail: { hide: true } })
    .get("/api/docs/init.js", file(initJs, "text/javascript; charset=utf-8"), { permission: "public", detail: { hide: true } });
}
