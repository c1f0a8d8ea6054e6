// Test helper: a user, a tool with one version, and queued runs in a migrated test store — what the
// queue and worker suites need without going through HTTP. Runs are submitted with the real
// createQueuedRun (run + job + files in one transaction).
import type { BlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import * as liteIdentity from "../identity/identity.schema.sqlite";
import * as pgIdentity from "../identity/identity.schema.pg";
import { createToolsRepository } from "../tools/tools.repository";
import { createRunsRepository, type RunKind } from "./runs.repository";

export async function insertTestUser(store: Store, email = `u-${crypto.randomUUID()}@example.test`): Promise<string> {
  const now = new Date();
  const row = { id: Bun.randomUUIDv7(), email, passwordHash: "x", createdAt: now, updatedAt: now };
  if (store.dialect === "sqlite") store.db.insert(liteIdentity.users).values(row).run();
  else await store.db.insert(pgIdentity.users).values(row);
  return row.id;
}

export type TestTool = { toolId: string; versionId: string; slug: string };

export async function insertTestTool(
  store: Store,
  tool: { source: string; slug?: string; entrypoint?: string; inputSchema?: unknown[]; settingsSchema?: unknown[] | null },
): Promise<TestTool> {
  const repo = createToolsRepository(store);
  const now = new Date();
  const slug = tool.slug ?? `t-${crypto.randomUUID().slice(0, 8)}`;
  const created = await repo.create({ slug, title: slug, summary: "", professions: [], categories: [], now });
  if (!created) throw new Error(`slug ${slug} taken`);
  const version = await repo.createVersion({
    toolId: created.id,
    state: "active",
    source: tool.source,
    entrypoint: tool.entrypoint ?? "run_tool",
    inputSchema: tool.inputSchema ?? [],
    settingsSchema: tool.settingsSchema ?? null,
    usageInstructions: "",
    contentHash: new Bun.CryptoHasher("sha256").update(tool.source + slug).digest("hex"),
    parentVersionId: null,
    createdBy: null,
    note: null,
    now,
  });
  return { toolId: created.id, versionId: version.id, slug };
}

export type TestRunInput = {
  /** Default: a new UUIDv7. */
  id?: string;
  tool: TestTool;
  userId: string;
  kind?: RunKind;
  inputs?: Record<string, unknown>;
  action?: Record<string, unknown> | null;
  context?: string;
  /** Stored in `blobs` under runs/<id>/inputs/<file id>, like the runs service does. */
  files?: { name: string; data: Uint8Array }[];
  blobs?: BlobStore;
  now?: Date;
};

/** Submits a run (queued) and returns its id. */
export async function queueTestRun(store: Store, input: TestRunInput): Promise<string> {
  const id = input.id ?? Bun.randomUUIDv7();
  const files = [];
  for (const f of input.files ?? []) {
    if (!input.blobs) throw new Error("files need a blob store");
    const fileId = Bun.randomUUIDv7();
    const storageKey = `runs/${id}/inputs/${fileId}`;
    await input.blobs.put(storageKey, f.data);
    files.push({ id: fileId, name: f.name, bytes: f.data.byteLength, sha256: new Bun.CryptoHasher("sha256").update(f.data).digest("hex"), storageKey });
  }
  await createRunsRepository(store).createQueuedRun({
    id,
    toolId: input.tool.toolId,
    toolVersionId: input.tool.versionId,
    userId: input.userId,
    kind: input.kind ?? "production",
    inputs: input.inputs ?? {},
    action: input.action ?? null,
    context: input.context ?? "default",
    files,
    now: input.now ?? new Date(),
  });
  return id;
}
