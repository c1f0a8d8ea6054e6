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
import { securityHeaders } from "./security-headers";
import { errorHandler } from "./error-handler";
import { accessLog } from "./access-log";
import { httpContext } from "./http-context";
import { createRateLimiter } from "./rate-limit";
import { apiDocs } from "./api-docs";
import { uiRoutes } from "./ui.routes";

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
};

export function createApp(deps: AppDeps) {
  const { config, log, store, metrics } = deps;
  const ctx = httpContext({
    trustProxy: config.server.trust_proxy,
    defaultLocale: config.server.default_locale,
    resolveSession: resolveSession(deps.identity),
    authRateLimiter: createRateLimiter({ limit: config.auth.rate_limit_per_minute }),
  });
  // one per process: it keeps the published catalog in memory, revalidated against the store
  const catalog = createCatalogDeps({ store });
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
    .use(runsRoutes(ctx, deps.execution))
    .use(settingsRoutes(ctx, deps.execution))
    .use(catalogRoutes(ctx, catalog))
    .use(taxonomyRoutes(ctx, catalog))
    .use(retentionRoutes(ctx, retention))
    .use(privacyRoutes(ctx, privacy))
    .use(uiRoutes(ctx, deps.assets));
}

export type App = ReturnType<typeof createApp>;
