// The in-memory view of which tools are limited to which groups, shared by the catalog and the run
// API so that hiding a tool costs no query per request. It is reloaded from the store when older than
// `maxAgeMs` (other server processes see a change within that time) and at once after a change made
// through this process (groups.service calls invalidate()).
import type { GroupsRepository } from "./groups.repository";
import { buildAccessIndex, canSeeTool, EMPTY_ACCESS_INDEX, hiddenToolIds, type AccessIndex, type AccessViewer } from "./tool-access.rules";

export type ToolAccess = {
  /** Tool ids the viewer may not see, or null when every tool is visible to them. */
  hiddenFor(viewer: AccessViewer): Promise<ReadonlySet<string> | null>;
  canSee(viewer: AccessViewer, toolId: string): Promise<boolean>;
  /** Forget the loaded index; the next check reads the store. */
  invalidate(): void;
};

export const TOOL_ACCESS_MAX_AGE_MS = 2_000;

export function createToolAccess({ groups, maxAgeMs = TOOL_ACCESS_MAX_AGE_MS, now = () => Date.now() }: {
  groups: Pick<GroupsRepository, "loadAccessState">;
  maxAgeMs?: number;
  now?: () => number;
}): ToolAccess {
  let index: AccessIndex = EMPTY_ACCESS_INDEX;
  let loadedAt = -Infinity;
  let generation = 0;
  let pending: Promise<AccessIndex> | null = null;

  /** One load at a time; a load that started before an invalidate() is not kept as fresh. */
  function current(): Promise<AccessIndex> | AccessIndex {
    if (now() - loadedAt < maxAgeMs) return index;
    if (pending) return pending;
    const started = generation;
    pending = groups
      .loadAccessState()
      .then((state) => {
        const built = buildAccessIndex(state);
        if (started === generation) {
          index = built;
          loadedAt = now();
        }
        return built;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  return {
    async hiddenFor(viewer) {
      return hiddenToolIds(await current(), viewer);
    },
    async canSee(viewer, toolId) {
      return canSeeTool(await current(), viewer, toolId);
    },
    invalidate() {
      generation++;
      loadedAt = -Infinity;
      pending = null;
    },
  };
}
