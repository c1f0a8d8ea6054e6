/**
 * What the editor does about the draft lock (contract: expiry 120 s without a heartbeat, heartbeat every
 * 30 s; admins may take a lock over). Pure: the page feeds in the lock as the server reported it.
 */
import type { Role } from "../api/api-types";
import type { LockView } from "../api/authoring.api";

/** Well inside the server's 120 s expiry, so one lost heartbeat does not lose the lock. */
export const LOCK_HEARTBEAT_MS = 30_000;

export type EditorAccess =
  /** The user holds the lock: editing and saving allowed. */
  | { kind: "editing" }
  /** Someone else holds it: read-only, naming the holder; admins may take over. */
  | { kind: "locked"; holder: LockView["holder"]; expiresAt: string; canTakeOver: boolean }
  /** The lock could not be taken for another reason (no right to edit, network): read-only. */
  | { kind: "read_only" };

export function canTakeOver(role: Role | undefined): boolean {
  return role === "admin" || role === "superuser";
}

/**
 * The editor's access given the lock the server reported (after trying to acquire it). A lock that is
 * not the user's makes the editor read-only; no lock at all (acquiring failed) too.
 */
export function editorAccess(lock: LockView | null, role: Role | undefined, canEdit: boolean): EditorAccess {
  if (!canEdit) return { kind: "read_only" };
  if (lock?.mine) return { kind: "editing" };
  if (lock) return { kind: "locked", holder: lock.holder, expiresAt: lock.expires_at, canTakeOver: canTakeOver(role) };
  return { kind: "read_only" };
}

/** The holder in a 423 authoring.locked / authoring.lock_lost answer's details, if it names one. */
export function holderFromDetails(details: unknown): { holder: LockView["holder"]; expiresAt: string | null } | null {
  if (typeof details !== "object" || details === null) return null;
  const { holder, expires_at } = details as { holder?: unknown; expires_at?: unknown };
  if (typeof holder !== "object" || holder === null) return null;
  const { id, name, email } = holder as Record<string, unknown>;
  if (typeof id !== "string" || typeof name !== "string" || typeof email !== "string") return null;
  return { holder: { id, name, email }, expiresAt: typeof expires_at === "string" ? expires_at : null };
}
