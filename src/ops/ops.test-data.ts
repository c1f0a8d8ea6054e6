// Test helpers for the ops suites (backup, retention, privacy): runs in any status and age, with input
// files and artifacts in the blob store, written like the app writes them (blobs first, then the rows
// in one transaction); table-by-table and file-by-file snapshots of a site for comparisons; and a
// way to run a CLI command with captured output against a temp config file.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Command } from "../cli/command";
import { CliError } from "../cli/cli-error";
import { pgTables, quoteIdent, sqliteTables } from "./store-introspection";
import type { BlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import * as lite from "../execution/execution.schema.sqlite";
import * as pg from "../execution/execution.schema.pg";
import type { TestTool } from "../execution/test-runs";
import type { RunKind, RunStatus } from "../execution/runs.repository";

export type SeedFile = { name: string; data: Uint8Array };
export type SeedRunInput = {
  tool: TestTool;
  userId: string | null;
  kind?: RunKind;
  status?: RunStatus;
  /** queued_at is one minute earlier; null for queued/running runs */
  finishedAt: Date | null;
  inputs?: SeedFile[];
  artifacts?: SeedFile[];
  stdout?: string;
};
export type SeededRun = { id: string; blobs: { key: string; bytes: number; sha256: string }[] };

const sha = (d: Uint8Array) => new Bun.CryptoHasher("sha256").update(d).digest("hex");

export async function seedRun(store: Store, blobs: BlobStore, input: SeedRunInput): Promise<SeededRun> {
  const id = Bun.randomUUIDv7();
  const status = input.status ?? "succeeded";
  const finishedAt = input.finishedAt;
  const queuedAt = new Date((finishedAt ?? new Date()).getTime() - 60_000);
  const files: { id: string; runId: string; name: string; bytes: number; sha256: string; storageKey: string }[] = [];
  for (const f of input.inputs ?? []) {
    const fileId = Bun.randomUUIDv7();
    const storageKey = `runs/${id}/inputs/${fileId}`;
    await blobs.put(storageKey, f.data);
    files.push({ id: fileId, runId: id, name: f.name, bytes: f.data.byteLength, sha256: sha(f.data), storageKey });
  }
  const artifacts: { id: string; runId: string; path: string; bytes: number; sha256: string; storageKey: string; createdAt: Date }[] = [];
  for (const a of input.artifacts ?? []) {
    const artifactId = Bun.randomUUIDv7();
    const storageKey = `runs/${id}/artifacts/${artifactId}`;
    await blobs.put(storageKey, a.data);
    artifacts.push({ id: artifactId, runId: id, path: `output/${a.name}`, bytes: a.data.byteLength, sha256: sha(a.data), storageKey, createdAt: finishedAt ?? queuedAt });
  }
  const run = {
    id,
    toolId: input.tool.toolId,
    toolVersionId: input.tool.versionId,
    userId: input.userId,
    kind: input.kind ?? "production",
    status,
    inputs: { note: "seeded" },
    stdout: input.stdout ?? null,
    queuedAt,
    startedAt: finishedAt ? queuedAt : null,
    finishedAt,
  };
  const job = {
    id: Bun.randomUUIDv7(),
    runId: id,
    status: finishedAt ? ("done" as const) : ("queued" as const),
    availableAt: queuedAt,
    createdAt: queuedAt,
  };
  if (store.dialect === "sqlite") {
    store.db.transaction((tx) => {
      tx.insert(lite.runs).values(run).run();
      tx.insert(lite.jobs).values(job).run();
      if (files.length) tx.insert(lite.runFiles).values(files).run();
      if (artifacts.length) tx.insert(lite.artifacts).values(artifacts).run();
    });
  } else {
    await store.db.transaction(async (tx) => {
      await tx.insert(pg.runs).values(run);
      await tx.insert(pg.jobs).values(job);
      if (files.length) await tx.insert(pg.runFiles).values(files);
      if (artifacts.length) await tx.insert(pg.artifacts).values(artifacts);
    });
  }
  return { id, blobs: [...files, ...artifacts].map((f) => ({ key: f.storageKey, bytes: f.bytes, sha256: f.sha256 })) };
}

export const bytesOf = (text: string) => new TextEncoder().encode(text);

// ---------- comparing stores and running commands ----------


/** Every row of every table, each table's rows sorted, for table-by-table comparison of two stores. */
export async function dumpAllTables(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  if (store.dialect === "sqlite") {
    for (const t of sqliteTables(store.sqlite)) out[t] = (store.sqlite.query(`SELECT * FROM ${quoteIdent(t)}`).all() as unknown[]).map(stableJson).sort();
  } else {
    for (const t of await pgTables(store.sql)) out[t] = (await store.sql.unsafe(`SELECT * FROM ${quoteIdent(t)}`)).map(stableJson).sort();
  }
  return out;
}

/** JSON with object keys sorted and binary as hex, so equal rows give equal strings. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return `hex:${Buffer.from(v).toString("hex")}`;
    if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}

/** sha256 of every regular file under `dir` by relative path, optionally leaving some out. */
export function fileDigests(dir: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      const rel = relative(dir, abs).split(sep).join("/");
      if (skip(rel)) continue;
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out[rel] = new Bun.CryptoHasher("sha256").update(readFileSync(abs)).digest("hex");
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })) walk(dir);
  return out;
}

export type CommandResult = { code: number; out: string[]; err: string[] };

export async function runCommand(cmd: Command, args: string[], { cwd, env = {} }: { cwd: string; env?: Record<string, string | undefined> }): Promise<CommandResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l), env, cwd };
  try {
    return { code: await cmd.run(args, io), out, err };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, out, err: [...err, e.message] };
    throw e;
  }
}

export function writeTestConfig(file: string, { dataDir, databaseUrl = "", extra = "" }: { dataDir: string; databaseUrl?: string; extra?: string }): string {
  writeFileSync(file, `[storage]\ndata_dir = "${dataDir}"\n\n[database]\nurl = "${databaseUrl}"\n\n[log]\nlevel = "warn"\n${extra}`);
  return file;
}
