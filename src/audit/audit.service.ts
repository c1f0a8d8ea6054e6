// Writes one audit event. Typed by action, so a payload that does not match audit.actions.ts does
// not compile; and checked at run time, so a secret can never be written to the append-only log
// (which nobody could clean up afterwards).
import type { AuditAction, AuditActor, AuditPayloads, AuditTarget } from "./audit.actions";
import { CLI_ACTOR_ID } from "./audit.actions";
import type { AuditEventRecord, AuditRepository } from "./audit.repository";

export type AuditDeps = { audit: AuditRepository; now(): Date };

/** Where the action came from; all null for the CLI. */
export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string | null };

export type AuditEventInput<A extends AuditAction> = {
  actor: AuditActor;
  action: A;
  target: AuditTarget | null;
  before: AuditPayloads[A]["before"];
  after: AuditPayloads[A]["after"];
} & Partial<RequestMeta>;

const SECRET_KEY = /pass(word)?|hash|token|secret|cookie|csrf|api[_-]?key/i;
const SECRET_VALUE = /^\$argon2|^\$2[aby]\$/;

/** The JSON path of the first secret-looking key or password-hash-looking value, else null. */
export function findSecret(value: unknown, path = ""): string | null {
  if (typeof value === "string") return SECRET_VALUE.test(value) ? path || "/" : null;
  if (value === null || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}/${k}`;
    if (SECRET_KEY.test(k)) return p;
    const inner = findSecret(v, p);
    if (inner) return inner;
  }
  return null;
}

function actorColumns(actor: AuditActor): { actorId: string | null; actorEmail: string | null } {
  if (actor.kind === "user") return { actorId: actor.id, actorEmail: actor.email };
  if (actor.kind === "cli") return { actorId: CLI_ACTOR_ID, actorEmail: null };
  return { actorId: null, actorEmail: null };
}

export async function recordAudit<A extends AuditAction>(deps: AuditDeps, e: AuditEventInput<A>): Promise<AuditEventRecord> {
  const secret = findSecret(e.before, "/before") ?? findSecret(e.after, "/after");
  if (secret) throw new Error(`audit event ${e.action} would store a secret at ${secret}; audit payloads must not carry secrets`);
  return deps.audit.append({
    ...actorColumns(e.actor),
    action: e.action,
    targetType: e.target?.type ?? null,
    targetId: e.target?.id ?? null,
    before: e.before,
    after: e.after,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    requestId: e.requestId ?? null,
    createdAt: deps.now(),
  });
}
