// What a warm-pool container looks like from the outside: its label, name, folders and job record.
// Shared by the pool (warm-pool-driver.ts), which makes and dispatches these containers, and the Docker
// driver (docker-driver.ts), which must find, adopt and clean up a dispatched one after a crash even
// when the restarted server has `[runner] warm_pool = false`.
//
//   <workRoot>/.pool/                    0700; ".pool" can never be a run id, so the run-folder sweep skips it
//     <slotId>/                          0700, the server's only
//       work/                            bind-mounted at /work; 0711 and empty until dispatch, then laid
//                                        out exactly like a run folder (docker-local-io.ts fillRunDir)
//       job.json                         written at dispatch, outside the container's reach:
//                                        {"runId", "toolVersionId", "dispatchedAt"}
//
// Life of a slot: created (label POOL_LABEL = the pool's owner id, name skriptoteket-pool-<slotId>,
// harness in wait mode, stdin attached) → started → idle, blocked on stdin → dispatch: job.json written,
// renamed to skriptoteket-run-<runId> (the same name a fresh container of that run gets, so a second
// container for one run is still refused and adoption finds it by run id), the job line sent → runs →
// removed with its folder. Never reused. Labels are fixed at create, hence the rename.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** On every pool container; the value is the owner id of the pool that made it (lease-owner.ts format). */
export const POOL_LABEL = "skriptoteket.pool";
/** Makes the harness wait for its job on stdin (runner/harness/skriptoteket_harness.py). */
export const WAIT_FOR_JOB_ENV = "SKRIPTOTEKET_WAIT_FOR_JOB";
/** The harness's exit code when stdin ended before a job arrived: the script never ran. */
export const NO_JOB_EXIT_CODE = 75;
/** …and the last line it writes to stderr then. */
export const NO_JOB_NOTE = "skriptoteket: no job received; exiting";

const POOL_DIR = ".pool";
const SLOT_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,100}$/;
const RUN_NAME_PREFIX = "skriptoteket-run-";
const POOL_NAME_PREFIX = "skriptoteket-pool-";

/** The name of a run's container, fresh or dispatched from the pool. */
export function runContainerName(runId: string): string {
  return `${RUN_NAME_PREFIX}${runId}`;
}

export function poolContainerName(slotId: string): string {
  return `${POOL_NAME_PREFIX}${slotId}`;
}

/** The run id in a container name as the Engine API lists it ("/skriptoteket-run-<id>"), or null. */
export function runIdOfContainerName(name: string | undefined): string | null {
  const bare = name?.startsWith("/") ? name.slice(1) : name;
  return bare?.startsWith(RUN_NAME_PREFIX) ? bare.slice(RUN_NAME_PREFIX.length) || null : null;
}

export function poolRootOf(workRoot: string): string {
  return join(workRoot, POOL_DIR);
}

export type SlotDirs = {
  /** `<workRoot>/.pool/<slotId>`: deleted as a whole when the slot is done. */
  root: string;
  /** `<root>/work`, the container's /work. */
  work: string;
};

export function slotDirsOf(workRoot: string, slotId: string): SlotDirs {
  if (!SLOT_ID.test(slotId)) throw new Error(`"${slotId}" cannot name a pool slot`);
  const root = join(poolRootOf(workRoot), slotId);
  return { root, work: join(root, "work") };
}

/** The slot whose work folder is `mountSource` (a container's /work bind source), or null if none of ours. */
export function slotDirsOfMount(workRoot: string, mountSource: string): SlotDirs | null {
  const root = dirname(mountSource);
  if (dirname(root) !== poolRootOf(workRoot) || mountSource !== join(root, "work")) return null;
  return SLOT_ID.test(root.slice(dirname(root).length + 1)) ? { root, work: mountSource } : null;
}

/** Makes `<root>` (0700) and an empty `<root>/work`: 0711, so the sandbox user can start in it but not look. */
export async function createSlotDirs(workRoot: string, dirs: SlotDirs): Promise<void> {
  await mkdir(poolRootOf(workRoot), { recursive: true, mode: 0o700 });
  await mkdir(dirs.root, { mode: 0o700 });
  await mkdir(dirs.work, { mode: 0o711 });
}

export type SlotJob = { runId: string; toolVersionId: string; dispatchedAt: number };

export async function writeSlotJob(dirs: SlotDirs, job: SlotJob): Promise<void> {
  await writeFile(join(dirs.root, "job.json"), JSON.stringify(job), { flag: "wx", mode: 0o600 });
}

/** The job record of a dispatched slot; null when there is none (never dispatched) or it is unreadable. */
export async function readSlotJob(dirs: SlotDirs): Promise<SlotJob | null> {
  try {
    const raw = JSON.parse(await readFile(join(dirs.root, "job.json"), "utf8")) as Record<string, unknown>;
    const { runId, toolVersionId, dispatchedAt } = raw;
    if (typeof runId !== "string" || typeof toolVersionId !== "string" || typeof dispatchedAt !== "number") return null;
    return { runId, toolVersionId, dispatchedAt };
  } catch {
    return null;
  }
}
