// The draft lock of a tool's editor: one holder at a time, kept alive by heartbeats, free again
// LOCK_TTL_MS after the last one; admins can take it over. Saving checks it (versions.service.ts).
import { userActor } from "../audit/audit.actions";
import { recordAudit } from "../audit/audit.service";
import type { AuthUser } from "../http/http-context";
import type { AuthoringDeps } from "./authoring.deps";
import { AuthoringErrors } from "./authoring.errors";
import type { LockRecord } from "./authoring.repository";
import { lockExpiry, lockStatus, planAcquire, planHeartbeat } from "./authoring.rules";
import { isAdmin, requireEditableTool } from "./authoring.service";
import { loadUserRefs, lockView, type LockView, type UserRef } from "./authoring.views";

async function holderRef(deps: AuthoringDeps, lock: LockRecord | null): Promise<UserRef | null> {
  if (!lock) return null;
  return (await loadUserRefs(deps, [lock.holderId])).get(lock.holderId) ?? null;
}

/** 423 authoring.locked naming the holder. */
export async function lockedError(deps: AuthoringDeps, lock: LockRecord) {
  return AuthoringErrors.locked({ holder: await holderRef(deps, lock), expires_at: lock.expiresAt.toISOString() });
}

async function view(deps: AuthoringDeps, viewer: AuthUser, lock: LockRecord | null): Promise<LockView | null> {
  return lockView(lock, (await holderRef(deps, lock)) ?? undefined, viewer.id, deps.now());
}

export async function getLock(deps: AuthoringDeps, viewer: AuthUser, toolId: string): Promise<{ lock: LockView | null }> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  return { lock: await view(deps, viewer, await deps.authoring.getLock(tool.id)) };
}

export async function acquireLock(deps: AuthoringDeps, viewer: AuthUser, toolId: string, takeOver: boolean): Promise<{ lock: LockView }> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  // Two tries: the row may change between reading and the conditional write (another acquirer).
  for (let attempt = 0; attempt < 2; attempt++) {
    const now = deps.now();
    const current = await deps.authoring.getLock(tool.id);
    const verdict = planAcquire(current, { id: viewer.id, isAdmin: isAdmin(viewer) }, now, takeOver);
    if (!verdict.ok) {
      if (verdict.reason === "take_over_forbidden") throw AuthoringErrors.takeOverForbidden();
      throw await lockedError(deps, current!);
    }
    const status = lockStatus(current, viewer.id, now);
    const next: LockRecord = {
      toolId: tool.id,
      holderId: viewer.id,
      acquiredAt: status === "mine" && current ? current.acquiredAt : now,
      heartbeatAt: now,
      expiresAt: lockExpiry(now),
    };
    const expectedHolder = status === "free" ? null : current!.holderId;
    if (await deps.authoring.putLock(next, { holderId: expectedHolder, now })) {
      if (verdict.takeOver && current) {
        const previous = await holderRef(deps, current);
        await recordAudit(deps, {
          actor: userActor(viewer),
          action: "tool.lock_taken_over",
          target: { type: "tool", id: tool.id },
          before: { holder: previous?.email ?? current.holderId },
          after: { holder: viewer.email },
        });
      }
      return { lock: (await view(deps, viewer, next))! };
    }
  }
  const current = await deps.authoring.getLock(tool.id);
  if (current) throw await lockedError(deps, current);
  throw AuthoringErrors.lockLost({ holder: null });
}

export async function heartbeatLock(deps: AuthoringDeps, viewer: AuthUser, toolId: string): Promise<{ lock: LockView }> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  const now = deps.now();
  const current = await deps.authoring.getLock(tool.id);
  if (planHeartbeat(current, viewer.id, now) === "lost") throw AuthoringErrors.lockLost({ holder: await holderRef(deps, current) });
  const status = lockStatus(current, viewer.id, now);
  const next: LockRecord = { toolId: tool.id, holderId: viewer.id, acquiredAt: status === "mine" && current ? current.acquiredAt : now, heartbeatAt: now, expiresAt: lockExpiry(now) };
  const ok = await deps.authoring.putLock(next, { holderId: status === "mine" ? viewer.id : null, now });
  if (!ok) throw AuthoringErrors.lockLost({ holder: await holderRef(deps, await deps.authoring.getLock(tool.id)) });
  return { lock: (await view(deps, viewer, next))! };
}

/** Releases the viewer's own lock (idempotent; someone else's lock stays). */
export async function releaseLock(deps: AuthoringDeps, viewer: AuthUser, toolId: string): Promise<void> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  await deps.authoring.releaseLock(tool.id, viewer.id);
}
