// Everything the authoring services need, built once in createApp (or a test). Sandbox runs go
// through the execution feature's queue, so its deps come along.
import { createAuditRepository, type AuditRepository } from "../audit/audit.repository";
import { createTaxonomyRepository, type TaxonomyRepository } from "../catalog/taxonomy.repository";
import type { Mailer } from "../email/mailer";
import type { ExecutionDeps } from "../execution/execution.deps";
import type { UsersRepository } from "../identity/users.repository";
import type { Logger } from "../log/logger";
import type { Store } from "../store/db";
import { createToolsRepository, type ToolsRepository } from "../tools/tools.repository";
import { createAuthoringRepository, type AuthoringRepository } from "./authoring.repository";
import { createSuggestionsRepository, type SuggestionsRepository } from "./suggestions.repository";

export type AuthoringDeps = {
  tools: ToolsRepository;
  authoring: AuthoringRepository;
  suggestions: SuggestionsRepository;
  taxonomy: TaxonomyRepository;
  users: UsersRepository;
  audit: AuditRepository;
  execution: ExecutionDeps;
  mailer: Mailer;
  log: Logger;
  /** The site's address, for links in notification e-mails. */
  publicUrl: string;
  now: () => Date;
};

export type CreateAuthoringDepsOptions = {
  store: Store;
  execution: ExecutionDeps;
  users: UsersRepository;
  mailer: Mailer;
  log: Logger;
  publicUrl: string;
  now?: () => Date;
};

export function createAuthoringDeps(o: CreateAuthoringDepsOptions): AuthoringDeps {
  return {
    tools: createToolsRepository(o.store),
    authoring: createAuthoringRepository(o.store),
    suggestions: createSuggestionsRepository(o.store),
    taxonomy: createTaxonomyRepository(o.store),
    users: o.users,
    audit: createAuditRepository(o.store),
    execution: o.execution,
    mailer: o.mailer,
    log: o.log,
    publicUrl: o.publicUrl.replace(/\/+$/, ""),
    now: o.now ?? (() => new Date()),
  };
}
