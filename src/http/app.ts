// The whole HTTP surface in one place: global plugins first (in the order they run), then every
// feature's routes. Nothing else imports route files.
import { Elysia } from "elysia";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Store } from "../store/db";
import { pingStore } from "../store/db";
import { pendingMigrations } from "../store/migrate";
import type { Metrics } from "../ops/metrics";
import { httpMetrics } from "../ops/http-metrics";
import { healthRoutes, type ReadinessCheck } from "../ops/health.routes";
import type { IdentityDeps } from "../identity/identity.deps";
import { resolveSession } from "../identity/sessions.service";
import { identityRoutes } from "../identity/identity.routes";
import { adminUsersRoutes } from "../identity/admin-users.routes";
import type { ExecutionDeps } from "../execution/execution.deps";
import { runsRoutes } from "../execution/runs.routes";
import { settingsRoutes } from "../execution/settings.routes";
import { createCatalogDeps } from "../catalog/catalog.deps";
import { catalogRoutes } from "../catalog/catalog.routes";
import { taxonomyRoutes } from "../catalog/taxonomy.routes";
import { createRetentionDeps } from "../ops/retention.service";
import { retentionRoutes } from "../ops/retention.routes";
import { createPrivacyDeps } from "../ops/privacy.service";
import { privacyRoutes } from "../ops/privacy.routes";
import { createGroupsDeps } from "../groups/groups.deps";
import { groupsRoutes } from "../groups/groups.routes";
import { createOidcDeps } from "../identity/oidc.service";
import { oidcRoutes } from "../identity/oidc.routes";
import { createAccessDeps, type AccessDeps } from "../access/access.deps";
import { afterKeyRequest, resolveBearer } from "../access/api-keys.service";
import { accessRoutes } from "../access/access.routes";
import { deviceRoutes } from "../access/device.routes";
import { auditRoutes } from "../audit/audit.routes";
import { createAuditQueryRepository } from "../audit/audit-query.repository";
import { securityHeaders } from "./security-headers";
import { errorHandler } from "./error-handler";
import { accessLog } from "./access-log";
import { httpContext } from "./http-context";
import { createRateLimiter } from "./rate-limit";
import { apiDocs } from "./api-docs";
import { uiRoutes } from "./ui.routes";
import { createDocumentsDeps, documentInputFiles } from "../documents/documents.service";
import { documentsRoutes } from "../documents/documents.routes";
import { authoringRoutes } from "../authoring/authoring.routes";
import { createAuthoringDeps } from "../authoring/authoring.deps";
import { createAiDeps } from "../ai/ai.deps";
import { aiRoutes } from "../ai/ai.routes";

export type AppDeps = {
  config: Config;
  log: Logger;
  store: Store;
  metrics: Metrics;
  identity: IdentityDeps;
  execution: ExecutionDeps;
  /** Extra readiness checks (Docker, runner image) from the composition root. */
  readiness?: Record<string, ReadinessCheck>;
  assets: Record<string, string>;
  version: string;
  /** Wakes this process's document workers when an upload or reprocess queued a job (else they poll). */
  notifyDocumentQueued?: () => void;
  /** API keys, device login, webhooks; built from the store when absent (tests pass their own clock). */
  access?: AccessDeps;
};

export function createApp(deps: AppDeps) {
  const { config, log, store, metrics } = deps;
  const access = deps.access ?? createAccessDeps({ store, config, log });
  const ctx = httpContext({
    resolveBearer: resolveBearer(access),
    afterKeyRequest: afterKeyRequest(access),
    trustProxy: config.server.trust_proxy,
    defaultLocale: config.server.default_locale,
    resolveSession: resolveSession(deps.identity),
    authRateLimiter: createRateLimiter({ limit: config.auth.rate_limit_per_minute }),
  });
  // one per process, shared by the catalog, the run API and the groups admin: which tools are limited to groups
  const groups = createGroupsDeps({ store, findUserByEmail: (email) => deps.identity.users.findByEmail(email) });
  // one per process: it keeps the published catalog in memory, revalidated against the store
  const catalog = createCatalogDeps({ store, toolAccess: groups.toolAccess });
  const documents = createDocumentsDeps({ store, config, log, blobStore: deps.execution.blobStore, notifyQueued: deps.notifyDocumentQueued });
  const execution = { ...deps.execution, toolAccess: groups.toolAccess, documentInputs: (userId: string, ids: readonly string[]) => documentInputFiles(documents, userId, ids) };
  const blobStore = deps.execution.blobStore;
  const retention = createRetentionDeps({ store, config, log, blobStore });
  const privacy = createPrivacyDeps({ store, config, log, blobStore });
  return new Elysia()
    .use(securityHeaders({ hsts: config.server.public_url.startsWith("https://") }))
    .use(accessLog(log))
    .use(httpMetrics(metrics))
    .use(errorHandler({ log, defaultLocale: config.server.default_locale }))
    .use(ctx)
    .use(apiDocs(ctx, { version: deps.version }))
    .use(
      healthRoutes(ctx, {
        metrics,
        checks: {
          database: async () => {
            await pingStore(store);
            const pending = await pendingMigrations(store);
            return pending === 0 ? { ok: true, detail: store.dialect } : { ok: false, detail: `${pending} migrations pending: run skriptoteket migrate` };
          },
          ...deps.readiness,
        },
      }),
    )
    .use(identityRoutes(ctx, deps.identity))
    .use(adminUsersRoutes(ctx, deps.identity))
    .use(runsRoutes(ctx, execution))
    .use(settingsRoutes(ctx, execution))
    .use(catalogRoutes(ctx, catalog))
    .use(taxonomyRoutes(ctx, catalog))
    .use(retentionRoutes(ctx, retention))
    .use(privacyRoutes(ctx, privacy))
    .use(groupsRoutes(ctx, groups))
    .use(oidcRoutes(ctx, createOidcDeps(deps.identity, store)))
    .use(
      authoringRoutes(
        ctx,
        createAuthoringDeps({ store, execution, users: deps.identity.users, mailer: deps.identity.mailer, log, publicUrl: config.server.public_url }),
      ),
    )
    .use(accessRoutes(ctx, access))
    .use(deviceRoutes(ctx, access))
    .use(auditRoutes(ctx, { auditQuery: createAuditQueryRepository(store), now: access.now }))
    .use(aiRoutes(ctx, createAiDeps({ store, config, log, catalog })))
    .use(documentsRoutes(ctx, documents))
    .use(uiRoutes(ctx, deps.assets));
}

export type App = ReturnType<typeof createApp>;
