// Everything the groups services need, built once in http/app.ts (or a test). The tool-access view is
// shared with the catalog and the run API, so a change made here is seen there at once.
import type { Store } from "../store/db";
import { createAuditRepository, type AuditRepository } from "../audit/audit.repository";
import { createGroupsRepository, type GroupsRepository } from "./groups.repository";
import { createToolAccess, type ToolAccess } from "./tool-access";

export type GroupsDeps = {
  groups: GroupsRepository;
  audit: AuditRepository;
  toolAccess: ToolAccess;
  /** The identity feature's lookup, for adding a member by e-mail address. */
  findUserByEmail(email: string): Promise<{ id: string; email: string } | null>;
  now: () => Date;
};

export function createGroupsDeps(opts: {
  store: Store;
  findUserByEmail: GroupsDeps["findUserByEmail"];
  now?: () => Date;
  toolAccessMaxAgeMs?: number;
}): GroupsDeps {
  const groups = createGroupsRepository(opts.store);
  return {
    groups,
    audit: createAuditRepository(opts.store),
    toolAccess: createToolAccess({ groups, maxAgeMs: opts.toolAccessMaxAgeMs }),
    findUserByEmail: opts.findUserByEmail,
    now: opts.now ?? (() => new Date()),
  };
}
