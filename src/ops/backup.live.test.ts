// A backup taken WHILE the site is written to: the real server (`bun src/main.ts serve`) answers
// failed logins (login and audit events) and a writer process inserts users and finished runs with
// their blobs. The backup is restored into an empty data dir (and an empty PostgreSQL database), and
// the restored set must be exactly the state at one moment: every restored row still exists unchanged
// (all writes here are inserts), the writer's users and runs form a prefix of what it wrote, and every
// file a restored row refers to exists with the recorded size and sha256.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyPgDatabase, testStoreKinds } from "../store/test-db";
import { openStore, type Store } from "../store/db";
import { backupCommand } from "../cli/backup";
import { restoreCommand } from "../cli/restore";
import { dumpAllTables, fileDigests, runCommand, writeTestConfig } from "./ops.test-data";
import { consumeEntry, entryBytes, readArchive } from "./archive";
import { MANIFEST_ENTRY, type BackupManifest } from "./backup.rules";
import { quoteIdent } from "./store-introspection";

const ROOT = join(import.meta.dir, "../..");

function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await Bun.sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function count(store: Store, table: string): Promise<number> {
  if (store.dialect === "sqlite") return (store.sqlite.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`).get() as { n: number }).n;
  const [row] = await store.sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`);
  return row!.n;
}

type FileRow = { storage_key: string; bytes: number; sha256: string };
async function referencedFiles(store: Store): Promise<FileRow[]> {
  const q = "SELECT storage_key, bytes, sha256 FROM run_files UNION ALL SELECT storage_key, bytes, sha256 FROM artifacts";
  return store.dialect === "sqlite" ? (store.sqlite.query(q).all() as FileRow[]) : await store.sql.unsafe<FileRow[]>(q);
}

async function ids(store: Store, table: string, where: string): Promise<string[]> {
  const q = `SELECT id FROM ${quoteIdent(table)} WHERE ${where} ORDER BY id`;
  const rows = store.dialect === "sqlite" ? (store.sqlite.query(q).all() as { id: string }[]) : await store.sql.unsafe<{ id: string }[]>(q);
  return rows.map((r) => r.id);
}

for (const kind of testStoreKinds()) {
  describe(`a backup of a site being written to, on ${kind}`, () => {
    let root: string;
    let dataDir: string;
    let config: string;
    let url = "";
    const drops: (() => Promise<void>)[] = [];
    let server: Bun.Subprocess<"ignore", "pipe", "pipe"> | null = null;
    let writer: Bun.Subprocess<"ignore", "pipe", "pipe"> | null = null;

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), "skt-live-backup-"));
      dataDir = join(root, "data");
      const pg = kind === "postgres" ? await createEmptyPgDatabase() : null;
      if (pg) drops.push(pg.drop);
      url = pg?.url ?? "";
      const port = freePort();
      config = writeTestConfig(join(root, "site.toml"), {
        dataDir,
        databaseUrl: url,
        extra: `\n[server]\nlisten = "127.0.0.1:${port}"\npublic_url = "http://127.0.0.1:${port}"\n\n[auth]\nrate_limit_per_minute = 100000\n`,
      });
      server = Bun.spawn(["bun", "src/main.ts", "serve", "--config", config], { cwd: ROOT, env: { PATH: process.env.PATH ?? "" }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
      const base = `http://127.0.0.1:${port}`;
      try {
        await waitFor("the server", async () => server!.exitCode === null && (await fetch(`${base}/healthz`)).status === 200, 60_000);
      } catch (e) {
        server.kill();
        throw new Error(`${e instanceof Error ? e.message : String(e)} (exit ${server.exitCode}): ${await new Response(server.stderr).text()}`);
      }
      writer = Bun.spawn(["bun", "src/ops/test-load-writer.ts", config, base, join(root, "stop")], { cwd: ROOT, env: { PATH: process.env.PATH ?? "" }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    }, 90_000);

    afterAll(async () => {
      writeFileSync(join(root, "stop"), "");
      writer?.kill();
      server?.kill("SIGTERM");
      await Promise.all([writer?.exited, server?.exited]);
      for (const d of drops) await d();
      rmSync(root, { recursive: true, force: true });
    }, 60_000);

    test("the restored set is the state of one moment, with every referenced file intact", async () => {
      const live = await openStore({ databaseUrl: url, dataDir, maxPgConnections: 2 });
      try {
        await waitFor("the writer's first runs", async () => (await count(live, "runs")) >= 15 && (await count(live, "login_events")) >= 3);

        const archive = join(root, "mitt-i.tar.gz");
        const before = await count(live, "runs");
        const b = await runCommand(backupCommand, ["--out", archive, "--config", config], { cwd: root, env: { PATH: process.env.PATH } });
        expect(b.err.filter((l) => !l.includes('"level":"info"'))).toEqual([]);
        expect(b.code).toBe(0);
        // keep writing for a while after the backup, so the live site moves well past the snapshot
        const atBackupEnd = await count(live, "runs");
        expect(atBackupEnd).toBeGreaterThan(before); // the writer kept committing while the backup ran
        await waitFor("more runs after the backup", async () => (await count(live, "runs")) >= atBackupEnd + 10);
        writeFileSync(join(root, "stop"), "");
        expect(await writer!.exited).toBe(0);
        const { iterations } = JSON.parse(await new Response(writer!.stdout).text()) as { iterations: number };

        let manifest: BackupManifest | null = null;
        await readArchive(archive, async (e) => {
          if (e.name === MANIFEST_ENTRY) manifest = JSON.parse(new TextDecoder().decode(await entryBytes(e, 1 << 24))) as BackupManifest;
          else await consumeEntry(e);
        });
        const m = manifest as BackupManifest | null;
        if (!m) throw new Error("no manifest");
        // the snapshot fell while the writer was writing: later than the first runs, earlier than the last
        expect(m.tables.runs).toBeGreaterThanOrEqual(before);
        expect(m.tables.runs).toBeLessThan(iterations);
        expect(m.missing_blobs).toEqual([]);

        const v = await runCommand(backupCommand, ["verify", archive], { cwd: root, env: { PATH: process.env.PATH } });
        expect(v.out).toContain("Result: the backup is complete and can be restored.");

        const pg = kind === "postgres" ? await createEmptyPgDatabase() : null;
        if (pg) drops.push(pg.drop);
        const targetDir = join(root, "restored");
        const targetConfig = writeTestConfig(join(root, "restored.toml"), { dataDir: targetDir, databaseUrl: pg?.url ?? "" });
        const r = await runCommand(restoreCommand, [archive, "--config", targetConfig], { cwd: root, env: { PATH: process.env.PATH } });
        expect(r.err.filter((l) => !l.includes('"level":"info"'))).toEqual([]);
        expect(r.code).toBe(0);

        const restored = await openStore({ databaseUrl: pg?.url ?? "", dataDir: targetDir });
        try {
          const liveTables = await dumpAllTables(live);
          const restoredTables = await dumpAllTables(restored);
          restoredTables.audit_events = restoredTables.audit_events!.filter((row) => !row.includes('"backup.restored"'));
          // table by table: the snapshot's row counts, and every restored row unchanged in the live site
          expect(Object.keys(restoredTables).sort()).toEqual(Object.keys(liveTables).sort());
          for (const [table, rows] of Object.entries(restoredTables)) {
            expect({ table, rows: rows.length }).toEqual({ table, rows: m.tables[table]! });
            const liveRows = new Set(liveTables[table]);
            expect({ table, notLive: rows.filter((row) => !liveRows.has(row)) }).toEqual({ table, notLive: [] });
          }
          // a prefix: the writer's runs and users up to one point, none after it (UUIDv7 ids sort by time)
          const liveRuns = await ids(live, "runs", "1 = 1");
          const restoredRuns = await ids(restored, "runs", "1 = 1");
          expect(restoredRuns).toEqual(liveRuns.slice(0, restoredRuns.length));
          const liveUsers = await ids(live, "users", "email LIKE 'skribent-%'");
          expect(await ids(restored, "users", "email LIKE 'skribent-%'")).toEqual(liveUsers.slice(0, m.tables.users!));
          expect(m.tables.login_events).toBeGreaterThanOrEqual(3);

          // every file a restored row refers to is there, complete
          const files = fileDigests(join(targetDir, "blobs"));
          const referenced = await referencedFiles(restored);
          expect(referenced.length).toBe(2 * restoredRuns.length);
          for (const f of referenced) {
            expect({ key: f.storage_key, sha256: files[f.storage_key] }).toEqual({ key: f.storage_key, sha256: f.sha256 });
            expect(readFileSync(join(targetDir, "blobs", f.storage_key)).byteLength).toBe(Number(f.bytes));
          }
          // and every restored file is byte-identical to the live one
          const liveFiles = fileDigests(join(dataDir, "blobs"));
          for (const [key, sha] of Object.entries(files)) expect({ key, sha }).toEqual({ key, sha: liveFiles[key]! });
          expect(readFileSync(join(targetDir, "server-secret"), "utf8")).toBe(readFileSync(join(dataDir, "server-secret"), "utf8"));
        } finally {
          await restored.close();
        }
      } finally {
        await live.close();
      }
    }, 120_000);
  });
}
