// Retention of the data the authoring, documents and access features store, on every test store:
// sandbox snapshots go once old and unused by any run (after the sandbox runs of that age); documents
// go with their pages, category links, search-index row, finished pipeline jobs and file, unless the
// pipeline still works on them; expired or revoked API keys, ended device sign-ins and finished webhook
// deliveries go after their period — and everything younger or still in use stays.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testStoreKinds } from "../store/test-db";
import { createFsBlobStore, type BlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { createLogger } from "../log/logger";
import { createTestApp, type TestApp } from "../identity/test-app";
import { insertTestTool, type TestTool } from "../execution/test-runs";
import { createToolsRepository } from "../tools/tools.repository";
import { createDocumentsRepository } from "../documents/documents.repository";
import * as liteAccess from "../access/access.schema.sqlite";
import * as pgAccess from "../access/access.schema.pg";
import * as liteExec from "../execution/execution.schema.sqlite";
import * as pgExec from "../execution/execution.schema.pg";
import { bytesOf, seedRun } from "./ops.test-data";
import { createRetentionDeps, pruneRetention, type RetentionDeps } from "./retention.service";
import { quoteIdent } from "./store-introspection";
import type { RetentionItem } from "./retention.rules";

const DAY = 86_400_000;
const NOW = new Date("2026-03-02T08:00:00.000Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const ahead = (days: number) => new Date(NOW.getTime() + days * DAY);

type ApiKeyRow = typeof liteAccess.apiKeys.$inferInsert;
type GrantRow = typeof liteAccess.deviceGrants.$inferInsert;
type DeliveryRow = typeof liteAccess.webhookDeliveries.$inferInsert;
type JobRow = typeof liteExec.jobs.$inferInsert;

async function insertKey(store: Store, row: ApiKeyRow): Promise<void> {
  if (store.dialect === "sqlite") store.db.insert(liteAccess.apiKeys).values(row).run();
  else await store.db.insert(pgAccess.apiKeys).values(row);
}
async function insertGrant(store: Store, row: GrantRow): Promise<void> {
  if (store.dialect === "sqlite") store.db.insert(liteAccess.deviceGrants).values(row).run();
  else await store.db.insert(pgAccess.deviceGrants).values(row);
}
async function insertDelivery(store: Store, row: DeliveryRow): Promise<void> {
  if (store.dialect === "sqlite") store.db.insert(liteAccess.webhookDeliveries).values(row).run();
  else await store.db.insert(pgAccess.webhookDeliveries).values(row);
}
async function insertJob(store: Store, row: JobRow): Promise<void> {
  if (store.dialect === "sqlite") store.db.insert(liteExec.jobs).values(row).run();
  else await store.db.insert(pgExec.jobs).values(row);
}

for (const kind of testStoreKinds()) {
  describe(`retention of snapshots, documents and access records on ${kind}`, () => {
    let h: TestApp;
    let dir: string;
    let blobs: BlobStore;
    let deps: RetentionDeps;
    let tool: TestTool;
    const ids = { snapshots: {} as Record<string, string>, documents: {} as Record<string, string>, keys: {} as Record<string, string>, grants: {} as Record<string, string>, deliveries: {} as Record<string, string> };
    const docBytes: Record<string, number> = {};
    let activeVersion = "";

    async function query(q: string, params: string[] = []): Promise<Record<string, unknown>[]> {
      if (h.store.dialect === "sqlite") return h.store.sqlite.query(q.replaceAll(/\$\d/g, "?")).all(...params) as Record<string, unknown>[];
      return h.store.sql.unsafe<Record<string, unknown>[]>(q, params);
    }
    async function idsOf(table: string, column = "id"): Promise<string[]> {
      return (await query(`SELECT ${quoteIdent(column)} AS id FROM ${quoteIdent(table)}`)).map((r) => String(r.id)).sort();
    }
    const item = (items: RetentionItem[], k: RetentionItem["kind"]) => items.find((i) => i.kind === k)!;

    beforeAll(async () => {
      h = await createTestApp(kind);
      dir = mkdtempSync(join(tmpdir(), "skt-retention-features-"));
      blobs = createFsBlobStore(dir);
      h.config.retention = { enabled: true, runs_days: 90, sandbox_runs_days: 30, login_events_days: 180, audit_events_days: 730, documents_days: 365 };
      deps = createRetentionDeps({ store: h.store, config: { ...h.config, storage: { ...h.config.storage, data_dir: dir } }, log: createLogger({ level: "error", write: () => {} }), blobStore: blobs, now: () => NOW });
      tool = await insertTestTool(h.store, { source: "def run_tool(i, o):\n    pass\n" });
      activeVersion = tool.versionId;
      const user = h.users.user;

      // ---- sandbox snapshots ----
      const tools = createToolsRepository(h.store);
      const snapshot = async (name: string, createdAt: Date) =>
        (ids.snapshots[name] = (
          await tools.saveSandboxSnapshot({ toolId: tool.toolId, source: `# ${name}\n`, entrypoint: "run_tool", inputSchema: [], settingsSchema: null, usageInstructions: "", contentHash: `snap-${name}`, createdBy: user, now: createdAt })
        ).id);
      await snapshot("old-unused", ago(40));
      // its only run is an old sandbox run, removed by the same prune just before
      await snapshot("old-with-old-run", ago(45));
      await seedRun(h.store, blobs, { tool: { ...tool, versionId: ids.snapshots["old-with-old-run"]! }, userId: user, kind: "sandbox", finishedAt: ago(35) });
      // reused by a recent test run: stays, however old
      await snapshot("old-with-recent-run", ago(60));
      await seedRun(h.store, blobs, { tool: { ...tool, versionId: ids.snapshots["old-with-recent-run"]! }, userId: user, kind: "sandbox", finishedAt: ago(2) });
      // still queued: stays
      await snapshot("old-with-queued-run", ago(60));
      await seedRun(h.store, blobs, { tool: { ...tool, versionId: ids.snapshots["old-with-queued-run"]! }, userId: user, kind: "sandbox", status: "queued", finishedAt: null });
      await snapshot("recent-unused", ago(29));

      // ---- documents ----
      const docs = createDocumentsRepository(h.store);
      const category = Bun.randomUUIDv7();
      expect(await docs.createCategory({ id: category, userId: user, name: "Protokoll", keywords: [], patterns: [], now: ago(500) })).toBe(true);
      const doc = async (name: string, createdAt: Date, status: "done" | "extracting" | "needs_review" | "uploaded") => {
        const id = Bun.randomUUIDv7();
        const data = bytesOf(`%PDF ${name} `.repeat(20));
        const storageKey = `documents/${user}/${id}`;
        await blobs.put(storageKey, data);
        await docs.create({ id, userId: user, name: `${name}.pdf`, bytes: data.byteLength, sha256: "x", storageKey, now: createdAt });
        if (status !== "uploaded") {
          await docs.savePages(id, [`Protokoll ${name} sida ett`, "sida två"], createdAt);
          await docs.transition(id, ["uploaded"], status, createdAt);
        }
        await docs.bulkCategories(user, [id], [category], [], createdAt);
        await insertJob(h.store, { id: Bun.randomUUIDv7(), kind: "document", subjectId: id, status: status === "uploaded" || status === "extracting" ? "leased" : "done", availableAt: createdAt, createdAt });
        ids.documents[name] = id;
        docBytes[name] = data.byteLength;
      };
      await doc("old-done", ago(400), "done");
      await doc("old-review", ago(366), "needs_review");
      // the pipeline still works on it: left for the next prune
      await doc("old-extracting", ago(400), "extracting");
      await doc("recent-done", ago(364), "done");

      // ---- API keys, device sign-ins, webhook deliveries ----
      const key = async (name: string, k: Partial<ApiKeyRow>) => {
        const id = Bun.randomUUIDv7();
        await insertKey(h.store, { id, userId: user, label: name, prefix: `skt_${id.slice(-8)}`, secretHash: `h-${id}`, scopes: ["runs:read"], createdAt: ago(1000), ...k });
        ids.keys[name] = id;
      };
      await key("expired-long-ago", { expiresAt: ago(181) });
      await key("revoked-long-ago", { revokedAt: ago(200), revokedBy: h.users.admin });
      await key("expired-recently", { expiresAt: ago(179) });
      await key("revoked-recently", { revokedAt: ago(10) });
      // never expires, never revoked: in use however old
      await key("no-expiry", {});
      await key("valid", { expiresAt: ahead(30) });
      const grant = async (name: string, g: Partial<GrantRow>) => {
        const id = Bun.randomUUIDv7();
        await insertGrant(h.store, { id, deviceCodeHash: `d-${id}`, userCode: id.slice(-8), status: "pending", createdAt: ago(400), expiresAt: ago(400), ...g });
        ids.grants[name] = id;
      };
      await grant("code-expired-unused", {});
      await grant("denied-long-ago", { status: "denied", userId: user, decidedAt: ago(400) });
      await grant("token-expired-long-ago", { status: "consumed", userId: user, accessExpiresAt: ago(300) });
      await grant("token-revoked-long-ago", { status: "consumed", userId: user, accessExpiresAt: ahead(100), revokedAt: ago(200) });
      // the code expired long ago, but the token it handed out is still valid
      await grant("token-valid", { status: "consumed", userId: user, accessExpiresAt: ahead(20) });
      await grant("token-expired-recently", { status: "consumed", userId: user, accessExpiresAt: ago(100) });
      await grant("code-pending", { createdAt: NOW, expiresAt: ahead(1) });
      const delivery = async (name: string, status: DeliveryRow["status"], createdAt: Date) => {
        const id = Bun.randomUUIDv7();
        await insertDelivery(h.store, { id, keyId: ids.keys["no-expiry"]!, runId: Bun.randomUUIDv7(), event: "run.finished", body: "{}", status, attempts: 1, createdAt });
        ids.deliveries[name] = id;
      };
      await delivery("delivered-old", "delivered", ago(91));
      await delivery("failed-old", "failed", ago(120));
      // still being retried: never removed
      await delivery("pending-old", "pending", ago(120));
      await delivery("delivered-recent", "delivered", ago(89));
    });
    afterAll(async () => {
      await h?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test("a dry run counts each kind and removes nothing", async () => {
      const before = { versions: await idsOf("tool_versions"), documents: await idsOf("documents"), keys: await idsOf("api_keys"), grants: await idsOf("device_grants"), deliveries: await idsOf("webhook_deliveries") };
      const report = await pruneRetention(deps, { dryRun: true, trigger: "cli" });
      // the snapshot whose run is removed in the same prune only counts in a real one
      expect(item(report.items, "sandbox_snapshots")).toMatchObject({ rows: 1, files: 0, key: "retention.sandbox_runs_days", days: 30 });
      expect(item(report.items, "documents")).toMatchObject({ rows: 2, files: 2, bytes: docBytes["old-done"]! + docBytes["old-review"]!, key: "retention.documents_days", days: 365 });
      expect(item(report.items, "api_keys")).toMatchObject({ rows: 2, key: "retention.login_events_days" });
      expect(item(report.items, "device_grants")).toMatchObject({ rows: 4, key: "retention.login_events_days" });
      expect(item(report.items, "webhook_deliveries")).toMatchObject({ rows: 2, key: "retention.runs_days" });
      expect({ versions: await idsOf("tool_versions"), documents: await idsOf("documents"), keys: await idsOf("api_keys"), grants: await idsOf("device_grants"), deliveries: await idsOf("webhook_deliveries") }).toEqual(before);
    });

    test("a prune removes exactly the expired rows of each kind, with what hangs on them", async () => {
      const report = await pruneRetention(deps, { dryRun: false, trigger: "cli" });
      expect(report.errors).toEqual([]);
      expect(report.items.filter((i) => i.skipped)).toEqual([]);

      expect(item(report.items, "sandbox_snapshots").rows).toBe(2);
      const versions = await idsOf("tool_versions");
      expect(versions).toEqual([activeVersion, ids.snapshots["old-with-recent-run"]!, ids.snapshots["old-with-queued-run"]!, ids.snapshots["recent-unused"]!].sort());

      const { documents: d } = ids;
      expect(item(report.items, "documents")).toMatchObject({ rows: 2, files: 2, bytes: docBytes["old-done"]! + docBytes["old-review"]! });
      expect(await idsOf("documents")).toEqual([d["old-extracting"]!, d["recent-done"]!].sort());
      const removedDocs = [d["old-done"]!, d["old-review"]!];
      for (const table of ["document_pages", "document_category_links", "document_search"]) {
        const left = (await idsOf(table, "document_id")).filter((id) => removedDocs.includes(id));
        expect({ table, left }).toEqual({ table, left: [] });
      }
      // the kept ones keep their text and index row
      expect(await idsOf("document_search", "document_id")).toEqual([d["old-extracting"]!, d["recent-done"]!].sort());
      for (const name of ["old-done", "old-review"]) expect(await blobs.get(`documents/${h.users.user}/${d[name]}`)).toBeNull();
      for (const name of ["old-extracting", "recent-done"]) expect(await blobs.get(`documents/${h.users.user}/${d[name]}`)).not.toBeNull();
      // finished pipeline jobs of removed documents go; the leased one of the kept document stays
      expect((await query("SELECT subject_id FROM jobs WHERE kind = 'document'")).map((r) => r.subject_id).sort()).toEqual([d["old-extracting"]!, d["recent-done"]!].sort());
      // the category itself is the user's and stays
      expect(await idsOf("document_categories")).toHaveLength(1);

      expect(item(report.items, "api_keys").rows).toBe(2);
      expect(await idsOf("api_keys")).toEqual(["expired-recently", "revoked-recently", "no-expiry", "valid"].map((n) => ids.keys[n]!).sort());
      expect(item(report.items, "device_grants").rows).toBe(4);
      expect(await idsOf("device_grants")).toEqual(["token-valid", "token-expired-recently", "code-pending"].map((n) => ids.grants[n]!).sort());
      expect(item(report.items, "webhook_deliveries").rows).toBe(2);
      expect(await idsOf("webhook_deliveries")).toEqual(["pending-old", "delivered-recent"].map((n) => ids.deliveries[n]!).sort());

      const [event] = await h.deps.audit.list({ action: "retention.pruned" });
      const counts = Object.fromEntries((event!.after as { items: { kind: string; rows: number }[] }).items.map((i) => [i.kind, i.rows]));
      expect(counts).toMatchObject({ sandbox_snapshots: 2, documents: 2, api_keys: 2, device_grants: 4, webhook_deliveries: 2 });

      const again = await pruneRetention(deps, { dryRun: false, trigger: "cli" });
      expect(again.items.filter((i) => i.rows > 0)).toEqual([]);
    });

    test("snapshots and documents beyond one batch are all removed", async () => {
      const tools = createToolsRepository(h.store);
      for (let i = 0; i < 205; i++) {
        await tools.saveSandboxSnapshot({ toolId: tool.toolId, source: `# ${i}\n`, entrypoint: "run_tool", inputSchema: [], settingsSchema: null, usageInstructions: "", contentHash: `batch-${i}`, createdBy: null, now: ago(50) });
      }
      const docs = createDocumentsRepository(h.store);
      for (let i = 0; i < 203; i++) {
        const id = Bun.randomUUIDv7();
        await blobs.put(`documents/${h.users.admin}/${id}`, bytesOf("x"));
        await docs.create({ id, userId: h.users.admin, name: `d${i}.pdf`, bytes: 1, sha256: "x", storageKey: `documents/${h.users.admin}/${id}`, now: ago(370) });
        await docs.transition(id, ["uploaded"], "failed", ago(370));
      }
      const report = await pruneRetention(deps, { dryRun: false, trigger: "cli" });
      expect(item(report.items, "sandbox_snapshots").rows).toBe(205);
      expect(item(report.items, "documents")).toMatchObject({ rows: 203, files: 203, bytes: 203 });
      expect((await query("SELECT count(*) AS n FROM documents WHERE user_id = $1", [h.users.admin]))[0]!.n).toBe(kind === "sqlite" ? 0 : "0");
    });
  });
}
