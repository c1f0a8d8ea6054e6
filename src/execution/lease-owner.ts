// Who holds a job lease: "<hostname>/<pid>/<random>", one per worker process (all its slots share it).
// The parts let a restarted server tell at once that a lease's holder is dead, without waiting for the
// lease to expire: same host and that pid no longer exists (or it is this very process under another
// random part, i.e. a previous life of a container whose pid is always 1).
import { hostname } from "node:os";

const live = new Set<string>();

export function createOwnerId(): string {
  return `${hostname()}/${process.pid}/${crypto.randomUUID().slice(0, 8)}`;
}

/** Owners started in this process (startWorkers registers its own); they are never "gone". */
export function registerLiveOwner(owner: string): void {
  live.add(owner);
}

export function unregisterLiveOwner(owner: string): void {
  live.delete(owner);
}

/**
 * True only when the owner is certainly dead: it ran on this host and its process is gone. Owners on
 * other hosts (or in an unknown format) are never judged here; their leases simply expire.
 */
export function isOwnerGone(owner: string | null, host: string = hostname()): boolean {
  if (owner === null) return true;
  const parts = owner.split("/");
  if (parts.length !== 3 || parts[0] !== host) return false;
  if (live.has(owner)) return false;
  const pid = Number(parts[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true; // this process, but not one of its live owners: an earlier life
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // EPERM: the pid exists under another user, so something is alive there
    return (e as { code?: unknown }).code === "ESRCH";
  }
}
