// The authoring repositories (maintainers, draft lock, review events, suggestions) and the tools
// repository's editor methods (saving on a head, sandbox snapshots): one suite on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createIdentityRepositories } from "../identity/identity.deps";
import { createToolsRepository, type NewToolVersion, type ToolsRepository } from "../tools/tools.repository";
import { createAuthoringRepository, type AuthoringRepository } from "./authoring.repository";
import { createSuggestionsRepository, type SuggestionsRepository } from "./suggestions.repository";

const T0 = new Date("2026-03-01T08:00:00.000Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

for (const kind of testStoreKinds()) {
  describe(`authoring repositories on ${kind}`, () => {
    let store: Store;
    let tools: ToolsRepository;
    let repo: AuthoringRepository;
    let suggestions: SuggestionsRepository;
    const users: string[] = [];
    let counter = 0;

    beforeAll(async () => {
      store = await openTestStore(kind);
      tools = createToolsRepository(store);
      repo = createAuthoringRepository(store);
      suggestions = createSuggestionsRepository(store);
      const identity = createIdentityRepositories(store);
      for (const name of ["anna", "bo", "cecilia"]) {
        const u = await identity.users.create({ email: `${name}@skola.se`, passwordHash: "x", role: "contributor", active: true, emailVerified: true, firstName: name, lastName: "", locale: null, now: T0 });
        users.push(u!.id);
      }
    });
    afterAll(async () => store?.close());

    async function newTool() {
      const tool = await tools.create({ slug: `verktyg-${++counter}`, title: `Verktyg ${counter}`, summary: "", professions: [], categories: [], now: T0 });
      return tool!;
    }
    const version = (toolId: string, hash: string): NewToolVersion => ({
      toolId,
      state: "draft",
      source: "def run_tool(a, b):\n    pass\n",
      entrypoint: "run_tool",
      inputSchema: [],
      settingsSchema: null,
      usageInstructions: "",
      contentHash: hash,
      parentVersionId: null,
      createdBy: users[0]!,
      note: null,
      now: T0,
    });

    test("maintainers: add is idempotent, listed in order, removable", async () => {
      const tool = await newTool();
      expect(await repo.addMaintainer(tool.id, users[1]!, at(1))).toBe(true);
      expect(await repo.addMaintainer(tool.id, users[0]!, at(2))).toBe(true);
      expect(await repo.addMaintainer(tool.id, users[1]!, at(3))).toBe(false);
      expect((await repo.listMaintainers(tool.id)).map((m) => m.userId)).toEqual([users[1]!, users[0]!]);
      expect(await repo.isMaintainer(tool.id, users[0]!)).toBe(true);
      expect(await repo.listMaintainedToolIds(users[0]!)).toEqual([tool.id]);
      expect(await repo.removeMaintainer(tool.id, users[0]!)).toBe(true);
      expect(await repo.removeMaintainer(tool.id, users[0]!)).toBe(false);
      expect(await repo.isMaintainer(tool.id, users[0]!)).toBe(false);
    });

    test("lock: conditional writes let exactly one acquirer win; release only by the holder", async () => {
      const tool = await newTool();
      const lock = (holderId: string, t: number) => ({ toolId: tool.id, holderId, acquiredAt: at(t), heartbeatAt: at(t), expiresAt: at(t + 120) });
      expect(await repo.putLock(lock(users[0]!, 0), { holderId: null, now: at(0) })).toBe(true);
      // Bo planned from "free" but Anna's lock is live: refused.
      expect(await repo.putLock(lock(users[1]!, 10), { holderId: null, now: at(10) })).toBe(false);
      // Anna renews her own lock.
      expect(await repo.putLock(lock(users[0]!, 30), { holderId: users[0]!, now: at(30) })).toBe(true);
      expect((await repo.getLock(tool.id))!.expiresAt).toEqual(at(150));
      expect((await repo.listLiveLocks(at(149))).some((l) => l.toolId === tool.id)).toBe(true);
      expect((await repo.listLiveLocks(at(150))).some((l) => l.toolId === tool.id)).toBe(false);
      // After expiry Bo may take it from "free".
      expect(await repo.putLock(lock(users[1]!, 200), { holderId: null, now: at(200) })).toBe(true);
      // A takeover names the holder it replaces; a stale name loses.
      expect(await repo.putLock(lock(users[2]!, 210), { holderId: users[0]!, now: at(210) })).toBe(false);
      expect(await repo.putLock(lock(users[2]!, 210), { holderId: users[1]!, now: at(210) })).toBe(true);
      expect(await repo.releaseLock(tool.id, users[1]!)).toBe(false);
      expect(await repo.releaseLock(tool.id, users[2]!)).toBe(true);
      expect(await repo.getLock(tool.id)).toBeNull();
    });

    test("saving on a head: only the expected head wins, numbers follow", async () => {
      const tool = await newTool();
      const first = await tools.createVersionOnHead(version(tool.id, "h1"), null);
      expect(first.ok && first.version.number).toBe(1);
      const stale = await tools.createVersionOnHead(version(tool.id, "h2"), null);
      expect(stale).toEqual({ ok: false, head: { id: first.ok ? first.version.id : "", number: 1 } });
      const second = await tools.createVersionOnHead(version(tool.id, "h2"), first.ok ? first.version.id : "");
      expect(second.ok && second.version.number).toBe(2);
      // Two concurrent saves on the same head: one wins.
      const head = second.ok ? second.version.id : "";
      const race = await Promise.all([tools.createVersionOnHead(version(tool.id, "h3"), head), tools.createVersionOnHead(version(tool.id, "h4"), head)]);
      expect(race.filter((r) => r.ok).length).toBe(1);
    });

    test("sandbox snapshots: numbered 0, -1, … per tool, deduplicated by content, never listed as versions", async () => {
      const tool = await newTool();
      await tools.createVersion(version(tool.id, "real"));
      const { state: _s, parentVersionId: _p, note: _n, ...snap } = version(tool.id, "buffer");
      const a = await tools.saveSandboxSnapshot(snap);
      const b = await tools.saveSandboxSnapshot(snap);
      const c = await tools.saveSandboxSnapshot({ ...snap, contentHash: "buffer-2" });
      expect(a.number).toBe(0);
      expect(b.id).toBe(a.id);
      expect(c.number).toBe(-1);
      expect((await tools.listVersions(tool.id)).map((v) => v.contentHash)).toEqual(["real"]);
      expect(await tools.findVersionByContentHash(tool.id, "buffer")).toBeNull();
      expect((await tools.listVersionStates()).filter((s) => s.toolId === tool.id).length).toBe(1);
      expect((await tools.getSandboxSnapshot(tool.id, a.id))!.contentHash).toBe("buffer");
      const real = (await tools.listVersions(tool.id))[0]!;
      expect(await tools.getSandboxSnapshot(tool.id, real.id)).toBeNull();
      // Real versions keep numbering 1, 2, … next to snapshots.
      expect((await tools.createVersion(version(tool.id, "real-2"))).number).toBe(2);
    });

    test("version events are kept per tool, oldest first", async () => {
      const tool = await newTool();
      const v = await tools.createVersion(version(tool.id, "e1"));
      await repo.addVersionEvent({ toolId: tool.id, versionId: v.id, kind: "submitted", message: "Klar", actorId: users[0]!, createdAt: at(5) });
      await repo.addVersionEvent({ toolId: tool.id, versionId: v.id, kind: "changes_requested", message: "Rätta", actorId: users[1]!, createdAt: at(9) });
      const events = await repo.listVersionEvents(tool.id);
      expect(events.map((e) => [e.kind, e.message])).toEqual([
        ["submitted", "Klar"],
        ["changes_requested", "Rätta"],
      ]);
      expect((await repo.listVersionEventsOf([v.id])).length).toBe(2);
      expect(await repo.listVersionEventsOf([])).toEqual([]);
    });

    test("suggestions: decisions move the status only from the expected one and are all kept", async () => {
      const s = await suggestions.create({ suggestedBy: users[0]!, title: "Närvaro", description: "Sammanställ närvaro", professions: ["larare"], categories: [], now: at(1) });
      await suggestions.create({ suggestedBy: users[1]!, title: "Annat", description: "x", professions: [], categories: [], now: at(2) });
      expect((await suggestions.list({ suggestedBy: users[0]! })).map((x) => x.id)).toEqual([s.id]);
      expect((await suggestions.list({})).length).toBeGreaterThanOrEqual(2);
      expect(await suggestions.decide({ suggestionId: s.id, fromStatus: "pending", decision: "denied", rationale: "Finns redan", decidedBy: users[2]!, toolId: null, now: at(3) })).toBe(true);
      // A second admin who still saw "pending" loses.
      expect(await suggestions.decide({ suggestionId: s.id, fromStatus: "pending", decision: "denied", rationale: "Nej", decidedBy: users[1]!, toolId: null, now: at(4) })).toBe(false);
      const tool = await newTool();
      expect(await suggestions.decide({ suggestionId: s.id, fromStatus: "denied", decision: "accepted", rationale: null, decidedBy: users[2]!, toolId: tool.id, now: at(5) })).toBe(true);
      const after = (await suggestions.get(s.id))!;
      expect(after.status).toBe("accepted");
      expect(after.toolId).toBe(tool.id);
      expect((await suggestions.list({ status: "accepted" })).map((x) => x.id)).toContain(s.id);
      expect((await suggestions.listDecisions([s.id])).map((d) => [d.decision, d.rationale])).toEqual([
        ["denied", "Finns redan"],
        ["accepted", null],
      ]);
    });
  });
}
