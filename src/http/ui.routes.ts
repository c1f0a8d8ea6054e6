// The embedded web UI with SPA fallback; unknown /api/* paths answer with the JSON 404 instead.
import { Elysia } from "elysia";
import { HttpErrors } from "./errors";
import type { HttpContextPlugin } from "./http-context";
import { serveSpa } from "./spa";

export function uiRoutes(ctx: HttpContextPlugin, assets: Record<string, string>) {
  return new Elysia({ name: "ui-routes" })
    .use(ctx)
    .get(
      "/api/*",
      () => {
        throw HttpErrors.notFound();
      },
      { permission: "public", detail: { hide: true } },
    )
    .get("/*", ({ path }) => serveSpa(path, assets), { permission: "public", detail: { hide: true } });
}
