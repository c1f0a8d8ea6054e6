// Professions and categories: everyone signed in reads them, admins add, rename, reorder and remove
// them. The same five routes exist for each taxonomy, under /api/v1/catalog/professions and
// /api/v1/catalog/categories.
import { Elysia } from "elysia";
import { userActor } from "../audit/audit.actions";
import type { HttpContextPlugin } from "../http/http-context";
import { requestMeta, requireAuth } from "../identity/sessions.service";
import type { CatalogDeps } from "./catalog.deps";
import { NewTaxonomyEntryBody, RenameTaxonomyEntryBody, ReorderTaxonomyBody, SlugParams, TaxonomyEntryEnvelope, TaxonomyListResponse } from "./catalog.schemas";
import type { TaxonomyKind } from "./taxonomy.rules";
import { addTaxonomyEntry, listTaxonomy, removeTaxonomyEntry, renameTaxonomyEntry, reorderTaxonomy } from "./taxonomy.service";

const tags = ["taxonomy"];

function taxonomyKindRoutes(ctx: HttpContextPlugin, deps: CatalogDeps, kind: TaxonomyKind) {
  const what = kind === "professions" ? "profession" : "category";
  return new Elysia({ name: `taxonomy-routes-${kind}`, prefix: `/api/v1/catalog/${kind}` })
    .use(ctx)
    .get("", async () => ({ items: await listTaxonomy(deps, kind) }), {
      permission: "user",
      scope: "tools:read",
      response: TaxonomyListResponse,
      detail: { summary: `The ${kind} in their order, with how many published tools use each`, tags },
    })
    .post(
      "",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        const entry = await addTaxonomyEntry(deps, { actor, kind, slug: c.body.slug, labelSv: c.body.label_sv, labelEn: c.body.label_en, meta: requestMeta(c) });
        c.set.status = 201;
        return { entry };
      },
      {
        permission: "admin",
        scope: "admin",
        body: NewTaxonomyEntryBody,
        response: { 201: TaxonomyEntryEnvelope },
        detail: { summary: `Add a ${what} (placed last); tools whose tool.json already lists the slug get it at once`, tags },
      },
    )
    .put(
      "/order",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        return { items: await reorderTaxonomy(deps, { actor, kind, slugs: c.body.slugs, meta: requestMeta(c) }) };
      },
      {
        permission: "admin",
        scope: "admin",
        body: ReorderTaxonomyBody,
        response: TaxonomyListResponse,
        detail: { summary: `Put the ${kind} in a new order: every slug once (409 taxonomy.order_mismatch when the list changed meanwhile)`, tags },
      },
    )
    .patch(
      "/:slug",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        const entry = await renameTaxonomyEntry(deps, { actor, kind, slug: c.params.slug, labelSv: c.body.label_sv, labelEn: c.body.label_en, meta: requestMeta(c) });
        return { entry };
      },
      {
        permission: "admin",
        scope: "admin",
        params: SlugParams,
        body: RenameTaxonomyEntryBody,
        response: TaxonomyEntryEnvelope,
        detail: { summary: `Rename a ${what} (its Swedish and/or English label; the slug never changes)`, tags },
      },
    )
    .delete(
      "/:slug",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        await removeTaxonomyEntry(deps, { actor, kind, slug: c.params.slug, meta: requestMeta(c) });
        c.set.status = 204;
      },
      {
        permission: "admin",
        scope: "admin",
        params: SlugParams,
        detail: { summary: `Remove a ${what}; refused with 409 taxonomy.in_use, naming the tools, while any tool uses it`, tags },
      },
    );
}

export function taxonomyRoutes(ctx: HttpContextPlugin, deps: CatalogDeps) {
  return new Elysia({ name: "taxonomy-routes" }).use(taxonomyKindRoutes(ctx, deps, "professions")).use(taxonomyKindRoutes(ctx, deps, "categories"));
}
