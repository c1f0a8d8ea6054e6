// Export and erasure of the personal data the authoring, documents, AI, access and groups features
// store, on every test store: a user's documents (rows, text, categories, the original files),
// assistant conversations, tool suggestions, maintainer memberships, draft locks, API keys with their
// webhook deliveries, device sign-ins, OIDC identities and group memberships are exported (secrets
// redacted, the search index left out) and erased — except her suggestions, which stay with their
// decisions under her pseudonym — while another user's data stays untouched.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testStoreKinds } from "../store/test-db";
import { createFsBlobStore, type BlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { createLogger } from "../log/logger";
import { createTestApp, type TestApp } from "../identity/test-app";
import { createUser } from "../identity/users.service";
import { createOidcIdentitiesRepository } from "../identity/oidc.repository";
import { insertTestTool, type TestTool } from "../execution/test-runs";
import { createDocumentsRepository } from "../documents/documents.repository";
import { createAuthoringRepository } from "../authoring/authoring.repository";
import { createSuggestionsRepository } from "../authoring/suggestions.repository";
import { createAssistantRepository } from "../ai/assistant.repository";
import { createGroupsRepository } from "../groups/groups.repository";
import { createApiKeysRepository } from "../access/api-keys.repository";
import { createDeviceGrantsRepository } from "../access/device-grants.repository";
import * as liteAccess from "../access/access.schema.sqlite";
import * as pgAccess from "../access/access.schema.pg";
import * as liteExec from "../execution/execution.schema.sqlite";
import * as pgExec from "../execution/execution.schema.pg";
import { bytesOf } from "./ops.test-data";
import { createPrivacyDeps, eraseUser, exportUser, type PrivacyDeps } from "./privacy.service";
import { consumeEntry, entryBytes, readArchive } from "./archive";
import { pseudonymFor } from "./privacy.rules";
import { quoteIdent } from "./store-introspection";

const SECRET = "privacy-features-secret-0123456789abcdef";

type ExportDoc = { tables: Record<string, Record<string, unknown>[]>; files: { storage_key: string; table: string; sha256: string }[]; missing_files: string[] };

async function insertDelivery(store: Store, row: typeof liteAccess.webhookDeliveries.$inferInsert): Promise<void> {
  if (store.dialect === "sqlite") store.db.insert(liteAccess.webhookDeliveries).values(row).run();
  else await store.db.insert(pgAccess.webhookDeliveries).values(row);
}
async function insertJob(store: Store, row: typeof liteExec.jobs.$inferInsert): Promise<void> {
  if (store.dialect === "sqlite") store.db.insert(liteExec.jobs).values(row).run();
  else await store.db.insert(pgExec.jobs).values(row);
}

/** Everything a user can own in the newer features; returns the ids the assertions look for. */
async function seedFeatures(store: Store, blobs: BlobStore, userId: string, tool: TestTool, tag: string) {
  const now = new Date();
  const docs = createDocumentsRepository(store);
  const category = Bun.randomUUIDv7();
  await docs.createCategory({ id: category, userId, name: `Protokoll ${tag}`, keywords: ["protokoll"], patterns: [], now });
  const documentId = Bun.randomUUIDv7();
  const original = bytesOf(`%PDF-1.4 ${tag}s protokoll`);
  const storageKey = `documents/${userId}/${documentId}`;
  await blobs.put(storageKey, original);
  await docs.create({ id: documentId, userId, name: `${tag}-protokoll.pdf`, bytes: original.byteLength, sha256: new Bun.CryptoHasher("sha256").update(original).digest("hex"), storageKey, now });
  await docs.savePages(documentId, [`Protokoll från ${tag}s möte`], now);
  await docs.transition(documentId, ["uploaded"], "done", now);
  await docs.bulkCategories(userId, [documentId], [category], [], now);
  await insertJob(store, { id: Bun.randomUUIDv7(), kind: "document", subjectId: documentId, status: "done", availableAt: now, createdAt: now });

  await createAssistantRepository(store).addMessage({ id: Bun.randomUUIDv7(), userId, toolId: tool.toolId, role: "user", content: `${tag} frågar om verktyget`, createdAt: now });
  const suggestions = createSuggestionsRepository(store);
  const suggestion = await suggestions.create({ suggestedBy: userId, title: `Förslag från ${tag}`, description: "Ett verktyg för närvaro", professions: [], categories: [], now });
  const authoring = createAuthoringRepository(store);
  await authoring.addMaintainer(tool.toolId, userId, now);
  const apiKeyId = Bun.randomUUIDv7();
  await createApiKeysRepository(store).insert({
    id: apiKeyId,
    userId,
    label: `${tag}s nyckel`,
    prefix: `skt_${apiKeyId.slice(-8)}`,
    secretHash: `hmac-${tag}`,
    scopes: ["runs:read"],
    createdAt: now,
    expiresAt: null,
    lastUsedAt: null,
    lastUseAuditedAt: null,
    revokedAt: null,
    revokedBy: null,
    webhookUrl: `https://${tag}.example.test/hook`,
    webhookSalt: `salt-${tag}`,
  });
  await insertDelivery(store, { id: Bun.randomUUIDv7(), keyId: apiKeyId, runId: Bun.randomUUIDv7(), event: "run.finished", body: `{"tag":"${tag}"}`, status: "delivered", attempts: 1, createdAt: now });
  const grantId = Bun.randomUUIDv7();
  await createDeviceGrantsRepository(store).insert({
    id: grantId,
    deviceCodeHash: `device-${tag}`,
    userCode: grantId.slice(-8),
    clientName: `${tag}s dator`,
    status: "consumed",
    userId,
    scopes: ["runs:read"],
    createdAt: now,
    expiresAt: now,
    lastPolledAt: null,
    decidedAt: now,
    accessExpiresAt: new Date(now.getTime() + 3_600_000),
    revokedAt: null,
  });
  expect(await createOidcIdentitiesRepository(store).link({ issuer: "https://idp.example.test", subject: `sub-${tag}`, userId, now })).toBe(true);
  return { category, documentId, storageKey, original, suggestionId: suggestion.id, apiKeyId, grantId };
}

for (const kind of testStoreKinds()) {
  describe(`export and erasure of the newer features' data on ${kind}`, () => {
    let h: TestApp;
    let dir: string;
    let blobs: BlobStore;
    let deps: PrivacyDeps;
    let tool: TestTool;
    let dora = "";
    let erik = "";
    let groupId = "";
    let doras: Awaited<ReturnType<typeof seedFeatures>>;
    let eriks: Awaited<ReturnType<typeof seedFeatures>>;

    async function rows(table: string, where = "1 = 1", params: string[] = []): Promise<Record<string, unknown>[]> {
      const q = `SELECT * FROM ${quoteIdent(table)} WHERE ${where}`;
      if (h.store.dialect === "sqlite") return h.store.sqlite.query(q.replaceAll(/\$\d/g, "?")).all(...params) as Record<string, unknown>[];
      return h.store.sql.unsafe<Record<string, unknown>[]>(q, params);
    }

    async function exported(userId: string): Promise<{ doc: ExportDoc; files: Record<string, string> }> {
      const file = join(dir, `export-${crypto.randomUUID()}.tar.gz`);
      await exportUser(deps, { actor: { kind: "cli" }, userId, out: createWriteStream(file) });
      let doc: ExportDoc | null = null;
      const files: Record<string, string> = {};
      await readArchive(file, async (e) => {
        if (e.name === "export.json") doc = JSON.parse(new TextDecoder().decode(await entryBytes(e, 1 << 24))) as ExportDoc;
        else if (e.name.startsWith("files/")) files[e.name.slice(6)] = (await consumeEntry(e)).sha256;
        else await consumeEntry(e);
      });
      return { doc: doc!, files };
    }

    beforeAll(async () => {
      h = await createTestApp(kind);
      h.config.server.secret = SECRET;
      dir = mkdtempSync(join(tmpdir(), "skt-privacy-features-"));
      blobs = createFsBlobStore(dir);
      deps = createPrivacyDeps({ store: h.store, config: { server: h.config.server, storage: { ...h.config.storage, data_dir: dir } }, log: createLogger({ level: "error", write: () => {} }) });
      dora = (await createUser(h.deps, { email: "dora@skola.se", role: "contributor", password: "Doras-lösenord-44", firstName: "Dora", lastName: "Dahl", actor: { kind: "cli" } })).user.id;
      erik = (await createUser(h.deps, { email: "erik@skola.se", role: "contributor", password: "Eriks-lösenord-55", firstName: "Erik", lastName: "Ek", actor: { kind: "cli" } })).user.id;
      tool = await insertTestTool(h.store, { source: "def run_tool(i, o):\n    pass\n", slug: "delat-verktyg" });
      doras = await seedFeatures(h.store, blobs, dora, tool, "dora");
      eriks = await seedFeatures(h.store, blobs, erik, tool, "erik");
      // an admin decided on her suggestion: the decision history must outlive her account
      expect(await createSuggestionsRepository(h.store).decide({ suggestionId: doras.suggestionId, fromStatus: "pending", decision: "denied", rationale: "Finns redan", decidedBy: h.users.admin, toolId: null, now: new Date() })).toBe(true);
      const now = new Date();
      expect(await createAuthoringRepository(h.store).putLock({ toolId: tool.toolId, holderId: dora, acquiredAt: now, heartbeatAt: now, expiresAt: new Date(now.getTime() + 60_000) }, { holderId: null, now })).toBe(true);
      const groups = createGroupsRepository(h.store);
      groupId = (await groups.create({ name: "Matematiklärare", now }))!.id;
      for (const u of [dora, erik]) expect(await groups.addMember(groupId, u, now)).toBe(true);
    });
    afterAll(async () => {
      await h?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test("her export holds her documents with their originals, conversations, suggestions, memberships, keys and identities — secrets redacted", async () => {
      const { doc, files } = await exported(dora);
      const t = doc.tables;
      expect(t.documents).toEqual([expect.objectContaining({ id: doras.documentId, name: "dora-protokoll.pdf", status: "done", storage_key: doras.storageKey })]);
      expect(t.document_pages).toEqual([expect.objectContaining({ document_id: doras.documentId, text: "Protokoll från doras möte" })]);
      expect(t.document_categories).toEqual([expect.objectContaining({ id: doras.category, name: "Protokoll dora", keywords: ["protokoll"] })]);
      expect(t.document_category_links).toEqual([{ document_id: doras.documentId, category_id: doras.category }]);
      // the search index repeats what the rows above hold: left out
      expect(t.document_search).toBeUndefined();
      expect(files[doras.storageKey]).toBe(new Bun.CryptoHasher("sha256").update(doras.original).digest("hex"));
      expect(doc.files.find((f) => f.storage_key === doras.storageKey)?.table).toBe("documents");
      expect(t.ai_assistant_messages).toEqual([expect.objectContaining({ user_id: dora, content: "dora frågar om verktyget" })]);
      expect(t.tool_suggestions).toEqual([expect.objectContaining({ id: doras.suggestionId, suggested_by: dora, title: "Förslag från dora", status: "denied" })]);
      expect(t.tool_maintainers).toEqual([expect.objectContaining({ tool_id: tool.toolId, user_id: dora })]);
      expect(t.tool_draft_locks).toEqual([expect.objectContaining({ tool_id: tool.toolId, holder_id: dora })]);
      expect(t.api_keys).toEqual([expect.objectContaining({ id: doras.apiKeyId, label: "doras nyckel", secret_hash: "[redacted]", webhook_salt: "[redacted]", webhook_url: "https://dora.example.test/hook" })]);
      expect(t.webhook_deliveries).toEqual([expect.objectContaining({ key_id: doras.apiKeyId, body: { tag: "dora" } })]);
      expect(t.device_grants).toEqual([expect.objectContaining({ id: doras.grantId, device_code_hash: "[redacted]", client_name: "doras dator" })]);
      expect(t.oidc_identities).toEqual([expect.objectContaining({ user_id: dora, subject: "sub-dora" })]);
      expect(t.group_members).toEqual([expect.objectContaining({ group_id: groupId, user_id: dora })]);
      const text = JSON.stringify(doc);
      for (const secret of ["hmac-dora", "salt-dora", "device-dora"]) expect(text).not.toContain(secret);
      for (const other of ["erik", eriks.documentId, eriks.apiKeyId]) expect(text).not.toContain(other);
    });

    test("erasure removes all of it with her files, and keeps her suggestion and its decision under her pseudonym", async () => {
      const report = await eraseUser(deps, { actor: { kind: "cli" }, userId: dora });
      const pseudonym = pseudonymFor(SECRET, dora);
      expect(report.errors).toEqual([]);
      const removed = Object.fromEntries(report.removed.map((r) => [r.table, r.rows]));
      expect(removed).toMatchObject({ documents: 1, document_pages: 1, document_categories: 1, document_category_links: 1, ai_assistant_messages: 1, tool_maintainers: 1, tool_draft_locks: 1, api_keys: 1, webhook_deliveries: 1, device_grants: 1, oidc_identities: 1, group_members: 1 });
      expect(report.unlinked).toContainEqual({ table: "tool_suggestions", rows: 1 });
      expect(report.pseudonymised).toEqual([{ table: "tool_suggestions", rows: 1 }]);

      for (const [table, col] of [
        ["documents", "user_id"],
        ["document_categories", "user_id"],
        ["ai_assistant_messages", "user_id"],
        ["tool_maintainers", "user_id"],
        ["tool_draft_locks", "holder_id"],
        ["api_keys", "user_id"],
        ["device_grants", "user_id"],
        ["oidc_identities", "user_id"],
        ["group_members", "user_id"],
      ] as const) {
        expect({ table, left: (await rows(table, `${col} = $1`, [dora])).length }).toEqual({ table, left: 0 });
      }
      for (const table of ["document_pages", "document_search"]) expect({ table, left: (await rows(table, "document_id = $1", [doras.documentId])).length }).toEqual({ table, left: 0 });
      expect(await rows("jobs", "subject_id = $1", [doras.documentId])).toEqual([]);
      expect(await rows("webhook_deliveries", "key_id = $1", [doras.apiKeyId])).toEqual([]);
      expect(await blobs.get(doras.storageKey)).toBeNull();

      const [suggestion] = await rows("tool_suggestions", "id = $1", [doras.suggestionId]);
      expect(suggestion).toMatchObject({ suggested_by: null, suggested_by_pseudonym: pseudonym, title: "Förslag från dora", status: "denied" });
      expect(await rows("tool_suggestion_decisions", "suggestion_id = $1", [doras.suggestionId])).toEqual([expect.objectContaining({ decision: "denied", rationale: "Finns redan", decided_by: h.users.admin })]);
      // the group itself stays for its other members
      expect((await rows("group_members", "group_id = $1", [groupId])).map((r) => r.user_id)).toEqual([erik]);

      // Erik's data is untouched, his document still searchable
      for (const [table, col] of [
        ["documents", "user_id"],
        ["document_categories", "user_id"],
        ["ai_assistant_messages", "user_id"],
        ["tool_maintainers", "user_id"],
        ["api_keys", "user_id"],
        ["device_grants", "user_id"],
        ["oidc_identities", "user_id"],
      ] as const) {
        expect({ table, left: (await rows(table, `${col} = $1`, [erik])).length }).toEqual({ table, left: 1 });
      }
      expect(await rows("document_search", "document_id = $1", [eriks.documentId])).toHaveLength(1);
      expect(await rows("jobs", "subject_id = $1", [eriks.documentId])).toHaveLength(1);
      expect(await rows("tool_suggestions", "suggested_by = $1", [erik])).toEqual([expect.objectContaining({ suggested_by_pseudonym: null })]);
      expect(await blobs.get(eriks.storageKey)).not.toBeNull();
    });
  });
}
