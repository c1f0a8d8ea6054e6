// One suite, run against SQLite and (when configured) PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createIdentityRepositories } from "../identity/identity.deps";
import { createToolsRepository } from "../tools/tools.repository";
import * as lite from "./execution.schema.sqlite";
import * as pg from "./execution.schema.pg";
import { createRunsRepository, type NewQueuedRun, type RunsRepository } from "./runs.repository";

const T0 = new Date("2026-03-01T08:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** The job row of a run, read straight from the table (the queue repository owns its life after this). */
async function jobOf(store: Store, runId: string) {
  if (store.dialect === "sqlite") return store.db.select().from(lite.jobs).where(eq(lite.jobs.runId, runId)).get() ?? null;
  return (await store.db.select().from(pg.jobs).where(eq(pg.jobs.runId, runId)))[0] ?? null;
}

async function insertArtifact(store: Store, row: { id: string; runId: string; path: string; bytes: number }) {
  const full = { ...row, sha256: "ab".repeat(32), storageKey: `runs/${row.runId}/artifacts/${row.id}`, createdAt: T0 };
  if (store.dialect === "sqlite") store.db.insert(lite.artifacts).values(full).run();
  else await store.db.insert(pg.artifacts).values(full);
}

async function setRun(store: Store, runId: string, set: { status?: "succeeded" | "running"; stateRev?: number }) {
  if (store.dialect === "sqlite") store.db.update(lite.runs).set(set).where(eq(lite.runs.id, runId)).run();
  else await store.db.update(pg.runs).set(set).where(eq(pg.runs.id, runId));
}

for (const kind of testStoreKinds()) {
  describe(`runs repository on ${kind}`, () => {
    let store: Store;
    let repo: RunsRepository;
    let userId = "";
    let otherUserId = "";
    let toolId = "";
    let otherToolId = "";
    let versionId = "";
    let otherVersionId = "";

    beforeAll(async () => {
      store = await openTestStore(kind);
      repo = createRunsRepository(store);
      const identity = createIdentityRepositories(store);
      const user = (u: string) =>
        identity.users.create({ email: `${u}@skola.se`, passwordHash: "x", role: "user", active: true, emailVerified: true, firstName: u, lastName: "T", locale: null, now: T0 });
      userId = (await user("anna"))!.id;
      otherUserId = (await user("bo"))!.id;
      const tools = createToolsRepository(store);
      const tool = async (slug: string) => {
        const t = (await tools.create({ slug, title: `Titel ${slug}`, summary: "", professions: [], categories: [], now: T0 }))!;
        const v = await tools.createVersion({
          toolId: t.id,
          state: "active",
          source: "def run_tool(i, o):\n    return 'hej'\n",
          entrypoint: "run_tool",
          inputSchema: [],
          settingsSchema: null,
          usageInstructions: "",
          contentHash: `h-${slug}`,
          parentVersionId: null,
          createdBy: null,
          note: null,
          now: T0,
        });
        return { toolId: t.id, versionId: v.id };
      };
      ({ toolId, versionId } = await tool("betyg"));
      ({ toolId: otherToolId, versionId: otherVersionId } = await tool("narvaro"));
    });
    afterAll(async () => store?.close());

    function newRun(overrides: Partial<NewQueuedRun> = {}): NewQueuedRun {
      return {
        id: Bun.randomUUIDv7(),
        toolId,
        toolVersionId: versionId,
        userId,
        kind: "production",
        inputs: { title: "Åk 9" },
        action: null,
        context: "default",
        files: [],
        now: T0,
        ...overrides,
      };
    }

    test("createQueuedRun writes the run, its job and its files together", async () => {
      const id = Bun.randomUUIDv7();
      const files = [
        { id: Bun.randomUUIDv7(), name: "elever.csv", bytes: 12, sha256: "a".repeat(64), storageKey: `runs/${id}/inputs/1` },
        { id: Bun.randomUUIDv7(), name: "närvaro.pdf", bytes: 34, sha256: "b".repeat(64), storageKey: `runs/${id}/inputs/2` },
      ];
      const run = await repo.createQueuedRun(newRun({ id, files, now: minutes(1) }));
      expect(run).toEqual({
        id,
        toolId,
        toolVersionId: versionId,
        userId,
        kind: "production",
        status: "queued",
        inputs: { title: "Åk 9" },
        action: null,
        context: "default",
        sessionFilesMode: "none",
        errorSummary: null,
        uiPayload: null,
        stdout: null,
        stderr: null,
        exitCode: null,
        oomKilled: null,
        containerId: null,
        stateRev: null,
        queuedAt: minutes(1),
        startedAt: null,
        finishedAt: null,
        durationMs: null,
      });
      const job = await jobOf(store, id);
      expect(job).toMatchObject({ runId: id, status: "queued", priority: 0, attempts: 0, cancelRequested: false, availableAt: minutes(1), createdAt: minutes(1) });
      const stored = await repo.listRunFiles(id);
      expect(stored.map((f) => f.name).sort()).toEqual(["elever.csv", "närvaro.pdf"]);
      expect(stored.every((f) => f.runId === id)).toBe(true);
    });

    test("sandbox runs get the higher queue priority", async () => {
      const run = await repo.createQueuedRun(newRun({ kind: "sandbox" }));
      expect((await jobOf(store, run.id))?.priority).toBe(10);
    });

    test("an action run keeps its action document", async () => {
      const action = { action_id: "next", input: { n: 2 }, state: { step: 1 } };
      const run = await repo.createQueuedRun(newRun({ inputs: {}, action, context: "klass-9a" }));
      expect((await repo.getRun(run.id))?.action).toEqual(action);
      expect(run.context).toBe("klass-9a");
    });

    test("a failing insert leaves no run, job or file rows behind", async () => {
      const id = Bun.randomUUIDv7();
      const dup = Bun.randomUUIDv7();
      const files = [
        { id: dup, name: "a.txt", bytes: 1, sha256: "c".repeat(64), storageKey: `runs/${id}/inputs/a` },
        { id: dup, name: "b.txt", bytes: 1, sha256: "d".repeat(64), storageKey: `runs/${id}/inputs/b` },
      ];
      await expect(repo.createQueuedRun(newRun({ id, files }))).rejects.toThrow();
      expect(await repo.getRun(id)).toBeNull();
      expect(await jobOf(store, id)).toBeNull();
      expect(await repo.listRunFiles(id)).toEqual([]);
    });

    test("getRun and getRunStatus of an unknown id are null; getRunStatus reads the status", async () => {
      expect(await repo.getRun(Bun.randomUUIDv7())).toBeNull();
      expect(await repo.getRunStatus(Bun.randomUUIDv7())).toBeNull();
      const run = await repo.createQueuedRun(newRun());
      expect(await repo.getRunStatus(run.id)).toBe("queued");
      await setRun(store, run.id, { status: "running" });
      expect(await repo.getRunStatus(run.id)).toBe("running");
    });

    test("listRuns: only the user's runs, newest first, paged, filtered by tool, status and date", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await repo.createQueuedRun(newRun({ userId: otherUserId, toolId: i < 3 ? toolId : otherToolId, toolVersionId: i < 3 ? versionId : otherVersionId, now: minutes(100 + i) }))).id);
      const [id0, id1, id2] = ids as [string, string, string];
      await setRun(store, id1, { status: "succeeded" });
      const all = await repo.listRuns({ userId: otherUserId, page: 1, pageSize: 10 });
      expect(all.total).toBe(5);
      expect(all.items.map((r) => r.id)).toEqual([...ids].reverse());
      expect(all.items[0]).toMatchObject({ toolSlug: "narvaro", toolTitle: "Titel narvaro", isAction: false, status: "queued", stateRev: null, queuedAt: minutes(104) });

      const page2 = await repo.listRuns({ userId: otherUserId, page: 2, pageSize: 2 });
      expect(page2).toMatchObject({ total: 5 });
      expect(page2.items.map((r) => r.id)).toEqual([id2, id1]);

      const byTool = await repo.listRuns({ userId: otherUserId, toolId, page: 1, pageSize: 10 });
      expect(byTool.items.map((r) => r.id)).toEqual([id2, id1, id0]);
      const byStatus = await repo.listRuns({ userId: otherUserId, statuses: ["succeeded"], page: 1, pageSize: 10 });
      expect(byStatus.items.map((r) => r.id)).toEqual([id1]);
      const byDate = await repo.listRuns({ userId: otherUserId, from: minutes(101), to: minutes(103), page: 1, pageSize: 10 });
      expect(byDate.items.map((r) => r.id)).toEqual([id2, id1]);
      expect(byDate.total).toBe(2);
    });

    test("artifacts: listed in path order, fetched only through their own run", async () => {
      const run = await repo.createQueuedRun(newRun());
      const other = await repo.createQueuedRun(newRun());
      const a1 = Bun.randomUUIDv7();
      const a2 = Bun.randomUUIDv7();
      await insertArtifact(store, { id: a1, runId: run.id, path: "output/z.pdf", bytes: 10 });
      await insertArtifact(store, { id: a2, runId: run.id, path: "output/a/rapport.csv", bytes: 20 });
      expect((await repo.listArtifacts(run.id)).map((a) => a.path)).toEqual(["output/a/rapport.csv", "output/z.pdf"]);
      expect(await repo.getArtifact(run.id, a1)).toMatchObject({ id: a1, path: "output/z.pdf", bytes: 10, storageKey: `runs/${run.id}/artifacts/${a1}` });
      expect(await repo.getArtifact(other.id, a1)).toBeNull();
      expect(await repo.listArtifacts(other.id)).toEqual([]);
    });

    test("deleteFinishedRun: only the owner's finished run goes, with its job, files and artifacts; queued and running stay", async () => {
      const done = await repo.createQueuedRun(newRun({ files: [{ id: Bun.randomUUIDv7(), name: "a.csv", bytes: 3, sha256: "cd".repeat(32), storageKey: "runs/x/inputs/y" }] }));
      await setRun(store, done.id, { status: "succeeded" });
      await insertArtifact(store, { id: Bun.randomUUIDv7(), runId: done.id, path: "output/a.pdf", bytes: 5 });
      const queued = await repo.createQueuedRun(newRun());
      const running = await repo.createQueuedRun(newRun());
      await setRun(store, running.id, { status: "running" });

      expect(await repo.deleteFinishedRun({ runId: done.id, userId: otherUserId })).toBe("not_found");
      expect(await repo.getRun(done.id)).not.toBeNull();
      expect(await repo.deleteFinishedRun({ runId: queued.id, userId })).toBe("active");
      expect(await repo.deleteFinishedRun({ runId: running.id, userId })).toBe("active");
      expect(await repo.deleteFinishedRun({ runId: done.id, userId })).toBe("deleted");
      expect(await repo.getRun(done.id)).toBeNull();
      expect(await jobOf(store, done.id)).toBeNull();
      expect(await repo.listRunFiles(done.id)).toEqual([]);
      expect(await repo.listArtifacts(done.id)).toEqual([]);
      expect(await repo.deleteFinishedRun({ runId: done.id, userId })).toBe("not_found");
      expect((await repo.getRun(queued.id))?.status).toBe("queued");
      expect(await jobOf(store, queued.id)).not.toBeNull();
    });

    test("tool state: first write is rev 1, then each write names the rev it replaces", async () => {
      expect(await repo.getToolState(userId, toolId, "default")).toBeNull();
      expect(await repo.writeToolState({ userId, toolId, context: "default", state: { step: 1 }, expectedRev: 0, now: minutes(1) })).toEqual({ ok: true, rev: 1 });
      // a second "first" write loses: someone else created it meanwhile
      expect(await repo.writeToolState({ userId, toolId, context: "default", state: { step: 9 }, expectedRev: 0, now: minutes(2) })).toEqual({ ok: false, currentRev: 1 });
      expect(await repo.writeToolState({ userId, toolId, context: "default", state: { step: 2 }, expectedRev: 1, now: minutes(3) })).toEqual({ ok: true, rev: 2 });
      expect(await repo.writeToolState({ userId, toolId, context: "default", state: { step: 3 }, expectedRev: 1, now: minutes(4) })).toEqual({ ok: false, currentRev: 2 });
      expect(await repo.getToolState(userId, toolId, "default")).toEqual({ state: { step: 2 }, rev: 2, updatedAt: minutes(3) });
      // contexts and users are kept apart
      expect(await repo.getToolState(userId, toolId, "klass-9a")).toBeNull();
      expect(await repo.getToolState(otherUserId, toolId, "default")).toBeNull();
    });

    test("findStateRun finds the run that wrote a state revision", async () => {
      const writer = await repo.createQueuedRun(newRun({ context: "hitta" }));
      await setRun(store, writer.id, { status: "succeeded", stateRev: 4 });
      expect((await repo.findStateRun({ userId, toolId, context: "hitta", rev: 4 }))?.id).toBe(writer.id);
      expect(await repo.findStateRun({ userId, toolId, context: "hitta", rev: 3 })).toBeNull();
      expect(await repo.findStateRun({ userId: otherUserId, toolId, context: "hitta", rev: 4 })).toBeNull();
    });

    test("settings: per schema hash and scope, with revision checks", async () => {
      const key = { userId, toolId, schemaHash: "h1", scope: "production" as const };
      expect(await repo.getSettings(key)).toBeNull();
      expect(await repo.saveSettings({ ...key, values: { lang: "sv" }, expectedRev: 0, now: minutes(1) })).toEqual({ ok: true, rev: 1 });
      expect(await repo.saveSettings({ ...key, values: { lang: "en" }, expectedRev: 0, now: minutes(2) })).toEqual({ ok: false, currentRev: 1 });
      expect(await repo.saveSettings({ ...key, values: { lang: "en" }, expectedRev: 1, now: minutes(3) })).toEqual({ ok: true, rev: 2 });
      expect(await repo.saveSettings({ ...key, values: { lang: "de" }, expectedRev: 1, now: minutes(4) })).toEqual({ ok: false, currentRev: 2 });
      expect(await repo.saveSettings({ ...key, values: { lang: "de" }, expectedRev: 5, now: minutes(4) })).toEqual({ ok: false, currentRev: 2 });
      expect(await repo.getSettings(key)).toEqual({ values: { lang: "en" }, rev: 2, updatedAt: minutes(3) });
      expect(await repo.getSettings({ ...key, schemaHash: "h2" })).toBeNull();
      expect(await repo.getSettings({ ...key, scope: "sandbox" })).toBeNull();
      // a stale update on a key that has nothing stored reports rev 0
      expect(await repo.saveSettings({ ...key, schemaHash: "h3", values: {}, expectedRev: 1, now: minutes(5) })).toEqual({ ok: false, currentRev: 0 });
    });
  });
}
