// Everything the identity services need, built once in the composition root (cli/serve.ts) or a
// test. Repositories pick their dialect here; nothing else in the feature knows about dialects.
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Metrics } from "../ops/metrics";
import type { Store } from "../store/db";
import { createAuditRepository, type AuditRepository } from "../audit/audit.repository";
import { createMailer, type Mailer } from "../email/mailer";
import { createUsersRepositoryPg, createUsersRepositorySqlite, type UsersRepository } from "./users.repository";
import { createSessionsRepositoryPg, createSessionsRepositorySqlite, type SessionsRepository } from "./sessions.repository";
import { createLoginEventsRepositoryPg, createLoginEventsRepositorySqlite, type LoginEventsRepository } from "./login-events.repository";
import { createEmailTokensRepositoryPg, createEmailTokensRepositorySqlite, type EmailTokensRepository } from "./email-tokens.repository";
import { createSessionCache, withSessionCacheInvalidation, type SessionCache } from "./session-cache";
import pkg from "../../package.json";

/** The config sections of single sign-on. */
export type SsoSection = "sso" | "oidc_1" | "oidc_2" | "oidc_3";

export type IdentityRepositories = {
  users: UsersRepository;
  sessions: SessionsRepository;
  loginEvents: LoginEventsRepository;
  emailTokens: EmailTokensRepository;
  audit: AuditRepository;
};

export type IdentityDeps = IdentityRepositories & {
  /** storage: the upload limits GET /api/v1/meta tells the UI; sso/oidc_*: single sign-on (oidc.service.ts); ai: meta's ai_enabled. */
  config: Pick<Config, "server" | "auth" | "storage" | "ai" | SsoSection>;
  mailer: Mailer;
  log: Logger;
  metrics: Pick<Metrics, "logins">;
  /** The clock; tests move it to expire sessions, locks and tokens. */
  now: () => Date;
  /** Shown by GET /api/v1/meta. */
  version: string;
  /** Resolved sessions (session-cache.ts); `users` and `sessions` above drop entries on every change. */
  sessionCache: SessionCache;
};

export function createIdentityRepositories(store: Store): IdentityRepositories {
  const audit = createAuditRepository(store);
  if (store.dialect === "sqlite") {
    const db = store.db;
    return {
      users: createUsersRepositorySqlite(db),
      sessions: createSessionsRepositorySqlite(db),
      loginEvents: createLoginEventsRepositorySqlite(db),
      emailTokens: createEmailTokensRepositorySqlite(db),
      audit,
    };
  }
  const db = store.db;
  return {
    users: createUsersRepositoryPg(db),
    sessions: createSessionsRepositoryPg(db),
    loginEvents: createLoginEventsRepositoryPg(db),
    emailTokens: createEmailTokensRepositoryPg(db),
    audit,
  };
}

export type CreateIdentityDepsOptions = {
  store: Store;
  config: Pick<Config, "server" | "auth" | "email" | "storage" | "ai" | SsoSection>;
  log: Logger;
  metrics: Pick<Metrics, "logins">;
  /** Defaults to the provider named in [email]. */
  mailer?: Mailer;
  now?: () => Date;
  version?: string;
};

export function createIdentityDeps({ store, config, log, metrics, mailer, now, version }: CreateIdentityDepsOptions): IdentityDeps {
  const repositories = createIdentityRepositories(store);
  const sessionCache = createSessionCache();
  return {
    ...repositories,
    ...withSessionCacheInvalidation(repositories, sessionCache),
    sessionCache,
    config: { server: config.server, auth: config.auth, storage: config.storage, ai: config.ai, sso: config.sso, oidc_1: config.oidc_1, oidc_2: config.oidc_2, oidc_3: config.oidc_3 },
    mailer: mailer ?? createMailer(config.email, log),
    log,
    metrics,
    now: now ?? (() => new Date()),
    version: version ?? pkg.version,
  };
}
