// Everything the catalog and taxonomy services need, built ONCE in the composition root
// (cli/serve.ts) or a test and shared by catalogRoutes and taxonomyRoutes (it holds the in-memory
// catalog snapshot). Repositories pick their dialect here.
import type { Store } from "../store/db";
import { createAuditRepository, type AuditRepository } from "../audit/audit.repository";
import { createCatalogRepository, type CatalogRepository } from "./catalog.repository";
import { createTaxonomyRepository, type TaxonomyRepository } from "./taxonomy.repository";
import { createSnapshotCache, type SnapshotCache } from "./catalog.snapshot";
import type { ToolAccess } from "../groups/tool-access";

export type CatalogDeps = {
  catalog: CatalogRepository;
  taxonomy: TaxonomyRepository;
  audit: AuditRepository;
  /** The published catalog in memory, per process: build the deps once and share them. */
  snapshots: SnapshotCache;
  /** The clock; tests fix it. */
  now: () => Date;
  /** Hides tools limited to groups from non-members (src/groups); absent = every published tool is visible. */
  toolAccess?: ToolAccess;
};

export function createCatalogDeps({ store, now, toolAccess }: { store: Store; now?: () => Date; toolAccess?: ToolAccess }): CatalogDeps {
  return {
    catalog: createCatalogRepository(store),
    taxonomy: createTaxonomyRepository(store),
    audit: createAuditRepository(store),
    snapshots: createSnapshotCache(),
    now: now ?? (() => new Date()),
    toolAccess,
  };
}
