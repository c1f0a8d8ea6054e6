// The teacher-facing catalog: list and search, a tool's page, favorites, "instructions seen", home.
// Every route is for any signed-in user; unpublished tools answer 404 like missing ones.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { prebuiltJsonResponse } from "../http/prebuilt-response";
import { requireAuth } from "../identity/sessions.service";
import type { CatalogDeps } from "./catalog.deps";
import { parseFacet } from "./catalog.rules";
import { getCatalogTool, getHome, listCatalogBody, markInstructionsSeen, setFavorite } from "./catalog.service";
import { CatalogListResponse, CatalogQuery, CatalogToolResponse, FavoriteResponse, HomeResponse, SeenBody, SeenResponse, SlugParams } from "./catalog.schemas";

const tags = ["catalog"];

export function catalogRoutes(ctx: HttpContextPlugin, deps: CatalogDeps) {
  return new Elysia({ name: "catalog-routes", prefix: "/api/v1/catalog" })
    .use(ctx)
    .get(
      "/tools",
      // sent as encoded JSON: the same body as listCatalog's object, without building, validating,
      // stringifying and encoding up to 500 items per request (listCatalogBody)
      async (c) =>
        prebuiltJsonResponse(c.set, await listCatalogBody(deps, {
          viewer: requireAuth(c.auth).user,
          q: c.query.q,
          professions: parseFacet(c.query.professions),
          categories: parseFacet(c.query.categories),
          limit: c.query.limit,
          offset: c.query.offset,
        })),
      {
        permission: "user",
        scope: "tools:read",
        query: CatalogQuery,
        response: CatalogListResponse,
        detail: {
          summary: "Published tools: search and facet filters (OR within a facet, AND across), with the facets and their counts",
          description:
            "q: every word must match, as a word prefix, in title, summary or usage instructions; Swedish-aware (å/ä/ö optional, inflections found by stem). " +
            "Sorted by relevance with q, else by title. A facet slug that names no entry matches no tool. " +
            "limit/offset page the items; total and the facet counts always cover every match.",
          tags,
        },
      },
    )
    .get("/tools/:slug", async (c) => getCatalogTool(deps, { viewer: requireAuth(c.auth).user, slug: c.params.slug }), {
      permission: "user",
      scope: "tools:read",
      params: SlugParams,
      response: CatalogToolResponse,
      detail: { summary: "A published tool's page: active version's instructions and forms, favorite and seen marks", tags },
    })
    .post(
      "/tools/:slug/seen",
      async (c) => markInstructionsSeen(deps, { viewer: requireAuth(c.auth).user, slug: c.params.slug, version: c.body?.version }),
      {
        permission: "user",
        params: SlugParams,
        body: SeenBody,
        response: SeenResponse,
        detail: { summary: "Mark the usage instructions of the shown version (default: the active one) as read", tags },
      },
    )
    .put("/tools/:slug/favorite", async (c) => setFavorite(deps, { viewer: requireAuth(c.auth).user, slug: c.params.slug, favorite: true }), {
      permission: "user",
      params: SlugParams,
      response: FavoriteResponse,
      detail: { summary: "Make a published tool one of the user's favorites (idempotent)", tags },
    })
    .delete("/tools/:slug/favorite", async (c) => setFavorite(deps, { viewer: requireAuth(c.auth).user, slug: c.params.slug, favorite: false }), {
      permission: "user",
      params: SlugParams,
      response: FavoriteResponse,
      detail: { summary: "Remove a tool from the user's favorites (idempotent)", tags },
    })
    .get("/home", async (c) => getHome(deps, { viewer: requireAuth(c.auth).user }), {
      permission: "user",
      scope: "tools:read",
      response: HomeResponse,
      detail: { summary: "The home page: favorites, tools the user ran lately, newly published tools", tags },
    });
}
