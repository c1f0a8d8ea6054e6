// Who may see a tool limited to groups: pure rules over an index built from the stored limits and
// memberships (tool-access.ts keeps that index in memory). A tool without limits is for everyone;
// a limited tool is for members of any of its groups and for admins, who must be able to manage it.
import type { Role } from "../identity/roles.rules";
import type { AccessState } from "./groups.repository";

export type AccessIndex = {
  /** toolId → the groups it is limited to; tools without limits are absent. */
  limits: ReadonlyMap<string, ReadonlySet<string>>;
  /** userId → their groups among those that limit some tool. */
  groupsOf: ReadonlyMap<string, ReadonlySet<string>>;
};

export type AccessViewer = { id: string; role: Role };

export const EMPTY_ACCESS_INDEX: AccessIndex = { limits: new Map(), groupsOf: new Map() };

export function buildAccessIndex(state: AccessState): AccessIndex {
  const limits = new Map<string, Set<string>>();
  for (const { toolId, groupId } of state.limits) {
    let set = limits.get(toolId);
    if (!set) limits.set(toolId, (set = new Set()));
    set.add(groupId);
  }
  const groupsOf = new Map<string, Set<string>>();
  for (const { userId, groupId } of state.memberships) {
    let set = groupsOf.get(userId);
    if (!set) groupsOf.set(userId, (set = new Set()));
    set.add(groupId);
  }
  return { limits, groupsOf };
}

function seesEverything(viewer: AccessViewer): boolean {
  return viewer.role === "admin" || viewer.role === "superuser";
}

export function canSeeTool(index: AccessIndex, viewer: AccessViewer, toolId: string): boolean {
  const limit = index.limits.get(toolId);
  if (!limit || seesEverything(viewer)) return true;
  const mine = index.groupsOf.get(viewer.id);
  if (!mine) return false;
  for (const g of limit) if (mine.has(g)) return true;
  return false;
}

/** The tools the viewer may not see; null when there are none (the common case costs nothing). */
export function hiddenToolIds(index: AccessIndex, viewer: AccessViewer): ReadonlySet<string> | null {
  if (index.limits.size === 0 || seesEverything(viewer)) return null;
  const hidden = new Set<string>();
  for (const toolId of index.limits.keys()) if (!canSeeTool(index, viewer, toolId)) hidden.add(toolId);
  return hidden.size ? hidden : null;
}
