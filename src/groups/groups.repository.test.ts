// One suite for both stores: groups, members, tool limits and the access state.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createIdentityRepositories } from "../identity/identity.deps";
import { createGroupsRepository, type GroupsRepository } from "./groups.repository";
import { createToolsDeps, importTool } from "../tools/tools.service";
import { createToolAccess } from "./tool-access";

const now = new Date("2026-03-02T08:00:00.000Z");

describe.each(testStoreKinds())("groups repository (%s)", (kind) => {
  let store: Store;
  let repo: GroupsRepository;
  let anna: string;
  let bo: string;
  let toolId: string;

  beforeAll(async () => {
    store = await openTestStore(kind);
    repo = createGroupsRepository(store);
    const { users } = createIdentityRepositories(store);
    const add = async (email: string, firstName: string) =>
      (await users.create({ email, passwordHash: "!", role: "user", active: true, emailVerified: true, firstName, lastName: "T", locale: null, now }))!.id;
    anna = await add("anna@skola.se", "Anna");
    bo = await add("bo@skola.se", "Bo");
    const tools = createToolsDeps(store, () => now);
    const manifest = { slug: "matte", title: "Matte", summary: "", usage_instructions: "", professions: [], categories: [] };
    const r = await importTool(tools, { manifestText: JSON.stringify(manifest), source: "def run_tool(i, o):\n    return 'x'\n", publish: true, actor: { kind: "cli" } });
    toolId = r.tool.id;
  });
  afterAll(() => store.close());

  test("create refuses a name that differs only in case; list sorts by name with counts", async () => {
    const math = await repo.create({ name: " Matematik ", now });
    expect(math?.name).toBe("Matematik");
    expect(await repo.create({ name: "MATEMATIK", now })).toBeNull();
    await repo.create({ name: "Engelska", now });
    const list = await repo.list();
    expect(list.map((g) => g.name)).toEqual(["Engelska", "Matematik"]);
    expect(list[1]).toMatchObject({ memberCount: 0, toolCount: 0 });
  });

  test("rename: taken, not found, own name in other case", async () => {
    const [eng, math] = await repo.list();
    expect(await repo.rename(eng!.id, "matematik", now)).toBe("name_taken");
    expect(await repo.rename("nope", "X", now)).toBe("not_found");
    const renamed = await repo.rename(math!.id, "MATEMATIK", now);
    expect(renamed).toMatchObject({ name: "MATEMATIK" });
  });

  test("members: add is idempotent, list joins e-mail and names, remove reports absence", async () => {
    const [, math] = await repo.list();
    expect(await repo.addMember(math!.id, anna, now)).toBe(true);
    expect(await repo.addMember(math!.id, anna, now)).toBe(false);
    expect(await repo.addMember(math!.id, bo, now)).toBe(true);
    const members = await repo.listMembers(math!.id);
    expect(members.map((m) => [m.email, m.firstName])).toEqual([["anna@skola.se", "Anna"], ["bo@skola.se", "Bo"]]);
    expect(await repo.removeMember(math!.id, bo)).toBe(true);
    expect(await repo.removeMember(math!.id, bo)).toBe(false);
    expect((await repo.get(math!.id))?.memberCount).toBe(1);
  });

  test("tool limits: set replaces, access state holds only memberships of limiting groups", async () => {
    const [eng, math] = await repo.list();
    await repo.addMember(eng!.id, bo, now);
    expect((await repo.loadAccessState()).memberships).toEqual([]); // nothing limited yet: no memberships loaded
    await repo.setToolGroups(toolId, [math!.id]);
    expect(await repo.listToolGroupIds(toolId)).toEqual([math!.id]);
    expect(await repo.listGroupTools(math!.id)).toEqual([{ toolId, slug: "matte", title: "Matte" }]);
    const state = await repo.loadAccessState();
    expect(state.limits).toEqual([{ toolId, groupId: math!.id }]);
    expect(state.memberships).toEqual([{ userId: anna, groupId: math!.id }]);
    const access = createToolAccess({ groups: repo });
    expect(await access.canSee({ id: anna, role: "user" }, toolId)).toBe(true);
    expect(await access.canSee({ id: bo, role: "user" }, toolId)).toBe(false);
    await repo.setToolGroups(toolId, [eng!.id, math!.id]);
    access.invalidate();
    expect(await access.canSee({ id: bo, role: "user" }, toolId)).toBe(true);
    expect((await repo.findToolBySlug("matte"))?.id).toBe(toolId);
    expect(await repo.existingGroupIds([eng!.id, "nope"])).toEqual([eng!.id]);
  });

  test("deleting a group removes its members and limits", async () => {
    const [eng, math] = await repo.list();
    expect(await repo.remove(math!.id)).toBe(true);
    expect(await repo.remove(math!.id)).toBe(false);
    expect(await repo.listToolGroupIds(toolId)).toEqual([eng!.id]);
    await repo.setToolGroups(toolId, []);
    expect((await repo.loadAccessState()).limits).toEqual([]);
  });
});
