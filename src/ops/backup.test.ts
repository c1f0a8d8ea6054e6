// backup, backup verify and restore through their commands, on every test store: a round trip gives
// identical rows and files; damaged archives, non-empty targets and wrong configs are refused with
// nothing changed; a backup of an older schema is migrated on restore.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MigrationMeta } from "drizzle-orm/migrator";
import { createEmptyPgDatabase, testStoreKinds, type TestStoreKind } from "../store/test-db";
import { openStore, type Store } from "../store/db";
import { embeddedMigrations, migrate } from "../store/migrate";
import { createFsBlobStore } from "../store/blob-store";
import { ensureServerSecret } from "../config/server-secret";
import * as sqliteMigrations from "../../migrations/sqlite/embedded";
import * as pgMigrations from "../../migrations/postgres/embedded";
import { insertTestTool, insertTestUser } from "../execution/test-runs";
import { backupCommand } from "../cli/backup";
import { restoreCommand } from "../cli/restore";
import { retentionCommand } from "../cli/retention";
import { bytesOf, dumpAllTables, fileDigests, runCommand, seedRun, writeTestConfig } from "./ops.test-data";
import { readArchive, consumeEntry, createArchiveFileWriter, entryBytes } from "./archive";
import { MANIFEST_ENTRY, type BackupManifest } from "./backup.rules";
import { embeddedMigrationCount } from "./restore.service";

type Target = { dataDir: string; config: string; url: string; drop: () => Promise<void> };

async function newTarget(root: string, kind: TestStoreKind, name: string): Promise<Target> {
  const pg = kind === "postgres" ? await createEmptyPgDatabase() : null;
  const dataDir = join(root, name);
  const config = writeTestConfig(join(root, `${name}.toml`), { dataDir, databaseUrl: pg?.url ?? "" });
  return { dataDir, config, url: pg?.url ?? "", drop: pg?.drop ?? (async () => {}) };
}

/** Rows of a restored store, less the audit event the restore itself wrote. */
async function restoredTables(t: Target): Promise<Record<string, string[]>> {
  const store = await openStore({ databaseUrl: t.url, dataDir: t.dataDir });
  try {
    const tables = await dumpAllTables(store);
    tables.audit_events = tables.audit_events!.filter((r) => !r.includes('"backup.restored"'));
    return tables;
  } finally {
    await store.close();
  }
}

const dataFiles = (dir: string) => fileDigests(dir, (rel) => rel.startsWith("skriptoteket.db") || rel === "tmp" || rel.startsWith("tmp/"));

async function readManifest(file: string): Promise<BackupManifest> {
  let manifest: BackupManifest | null = null;
  await readArchive(file, async (e) => {
    if (e.name === MANIFEST_ENTRY) manifest = JSON.parse(new TextDecoder().decode(await entryBytes(e, 1 << 24))) as BackupManifest;
    else await consumeEntry(e);
  });
  if (!manifest) throw new Error("no manifest");
  return manifest;
}

for (const kind of testStoreKinds()) {
  describe(`backup and restore on ${kind}`, () => {
    let root: string;
    let source: Target;
    let store: Store;
    let archive: string;
    const cleanups: (() => Promise<void>)[] = [];
    const cmd = (c: typeof backupCommand, ...args: string[]) => runCommand(c, args, { cwd: root, env: { PATH: process.env.PATH } });

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), "skt-backup-"));
      source = await newTarget(root, kind, "data");
      cleanups.push(source.drop);
      store = await openStore({ databaseUrl: source.url, dataDir: source.dataDir });
      await migrate(store);
      ensureServerSecret("", source.dataDir);
      const blobs = createFsBlobStore(source.dataDir);
      const tool = await insertTestTool(store, { source: "def run_tool(input_dir, output_dir):\n    pass\n", slug: "backup-tool" });
      for (let i = 0; i < 3; i++) {
        const userId = await insertTestUser(store, `elev${i}@skola.se`);
        await seedRun(store, blobs, {
          tool,
          userId,
          finishedAt: new Date(),
          inputs: [{ name: "klasslista.csv", data: bytesOf(`namn\nElev ${i}\n`) }],
          artifacts: [{ name: "rapport.txt", data: bytesOf(`rapport ${i} `.repeat(1000)) }],
        });
      }
      // neither the run scratch folder nor the live database files belong in a backup as files
      mkdirSync(join(source.dataDir, "tmp", "runs", "x"), { recursive: true });
      writeFileSync(join(source.dataDir, "tmp", "runs", "x", "scratch.txt"), "scratch");
      archive = join(root, "full.tar.gz");
    });
    afterAll(async () => {
      await store?.close();
      for (const c of cleanups) await c();
      rmSync(root, { recursive: true, force: true });
    }, 60_000);

    test("backup writes one archive whose manifest lists the snapshot's rows and every data file", async () => {
      const r = await cmd(backupCommand, "--out", archive, "--config", source.config);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.out.at(-1)).toBe(`Check it with: skriptoteket backup verify ${archive}`);
      expect(r.out.at(-3)).toMatch(/^Backup written: .+full\.tar\.gz \(\d+(\.\d)? KiB\)$/);
      expect(r.out.some((l) => l.startsWith("Writing archive: done"))).toBe(true);
      const m = await readManifest(archive);
      expect(m).toMatchObject({ format: "skriptoteket-backup", dialect: kind, schema_migrations: embeddedMigrationCount(kind), missing_blobs: [] });
      const live = await dumpAllTables(store);
      expect(m.tables).toEqual(Object.fromEntries(Object.entries(live).map(([t, rows]) => [t, rows.length])));
      expect(m.tables.runs).toBe(3);
      const names = m.files.map((f) => f.path);
      expect(names).toContain("files/server-secret");
      expect(names.filter((n) => n.startsWith("files/blobs/runs/"))).toHaveLength(6);
      expect(names.some((n) => n.includes("tmp/") || n.includes("skriptoteket.db"))).toBe(false);
      expect(m.database.path).toBe(kind === "sqlite" ? "db/skriptoteket.db" : "db/postgres.dump");
      const digests = dataFiles(source.dataDir);
      for (const f of m.files) expect(f.sha256).toBe(digests[f.path.slice("files/".length)]!);
    });

    test("verify passes a good backup", async () => {
      const r = await cmd(backupCommand, "verify", archive);
      expect(r.code).toBe(0);
      expect(r.out.at(-1)).toBe("Result: the backup is complete and can be restored.");
      expect(r.out.filter((l) => /^ {2}ok /.test(l)).map((l) => l.trim().split(/\s+/)[1])).toEqual(["archive", "manifest", "checksums", "database"]);
    });

    test("restore into an empty target gives identical rows and files, then refuses to run again", async () => {
      const target = await newTarget(root, kind, "restored");
      cleanups.push(target.drop);
      const r = await cmd(restoreCommand, archive, "--config", target.config);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.out).toContain("The schema was already this version's.");
      expect(await restoredTables(target)).toEqual(await dumpAllTables(store));
      expect(dataFiles(target.dataDir)).toEqual(dataFiles(source.dataDir));
      const again = await cmd(restoreCommand, archive, "--config", target.config);
      expect(again.code).toBe(1);
      expect(again.err.at(-1)).toContain("The target is not empty");
      expect(again.err.at(-1)).toContain(join(target.dataDir, "blobs"));
      if (kind === "postgres") expect(again.err.at(-1)).toContain("table audit_events in the database");
    });

    test("restore refuses a non-empty data dir, naming what is there, and changes nothing; --force replaces it", async () => {
      const target = await newTarget(root, kind, "occupied");
      cleanups.push(target.drop);
      mkdirSync(target.dataDir, { recursive: true });
      writeFileSync(join(target.dataDir, "anteckningar.txt"), "inte tom");
      const r = await cmd(restoreCommand, archive, "--config", target.config);
      expect(r.code).toBe(1);
      expect(r.err.at(-1)).toBe(`The target is not empty: ${join(target.dataDir, "anteckningar.txt")}. Restore into an empty data dir${kind === "postgres" ? " and database" : ""}, or add --force to delete what is there first.`);
      expect(dataFiles(target.dataDir)).toEqual({ "anteckningar.txt": expect.any(String) });
      const forced = await cmd(restoreCommand, archive, "--force", "--config", target.config);
      expect(forced.code).toBe(0);
      expect(forced.out).toContain("Removed first (--force): 1 entry.");
      expect(existsSync(join(target.dataDir, "anteckningar.txt"))).toBe(false);
      expect(await restoredTables(target)).toEqual(await dumpAllTables(store));
    });

    if (kind === "postgres") {
      test("restore refuses a database with tables; --force drops the schema first", async () => {
        const target = await newTarget(root, kind, "pg-occupied");
        cleanups.push(target.drop);
        const other = await openStore({ databaseUrl: target.url, dataDir: target.dataDir });
        await migrate(other);
        await insertTestUser(other, "annan@skola.se");
        await other.close();
        rmSync(target.dataDir, { recursive: true, force: true });
        const r = await cmd(restoreCommand, archive, "--config", target.config);
        expect(r.code).toBe(1);
        expect(r.err.at(-1)).toMatch(/^The target is not empty: table [a-z_.]+ in the database, /);
        const forced = await cmd(restoreCommand, archive, "--force", "--config", target.config);
        expect(forced.code).toBe(0);
        expect(forced.out.find((l) => l.startsWith("Removed first"))).toMatch(/^Removed first \(--force\): \d+ entries\.$/);
        const restored = await restoredTables(target);
        expect(restored).toEqual(await dumpAllTables(store));
        expect(restored.users!.some((u) => u.includes("annan@skola.se"))).toBe(false);
      });

      test("without pg_dump on PATH the backup says what to install", async () => {
        const r = await runCommand(backupCommand, ["--out", join(root, "none.tar.gz"), "--config", source.config], { cwd: root, env: { PATH: "/nonexistent" } });
        expect(r.code).toBe(1);
        expect(r.err.at(-1)).toContain("pg_dump was not found on PATH");
        expect(r.err.at(-1)).toContain("apt-get install postgresql-client");
        expect(existsSync(join(root, "none.tar.gz"))).toBe(false);
      });
    }

    test("a restore with the other dialect's config is refused before anything is touched", async () => {
      const other: TestStoreKind = kind === "sqlite" ? "postgres" : "sqlite";
      const dataDir = join(root, "wrong-dialect");
      const config = writeTestConfig(join(root, "wrong.toml"), { dataDir, databaseUrl: other === "postgres" ? "postgres://nobody@127.0.0.1:1/none" : "" });
      const r = await cmd(restoreCommand, archive, "--config", config);
      expect(r.code).toBe(1);
      expect(r.err.at(-1)).toContain(kind === "sqlite" ? "This backup holds a SQLite database, but the config names PostgreSQL" : "This backup holds a PostgreSQL database, but the config uses SQLite");
      expect(existsSync(dataDir)).toBe(false);
    });

    test("verify and restore detect a damaged file inside the archive", async () => {
      // an uncompressed backup, so one byte of a blob's content can be changed in place
      const plain = join(root, "plain.tar");
      expect((await cmd(backupCommand, "--out", plain, "--config", source.config)).code).toBe(0);
      const bytes = readFileSync(plain);
      const at = bytes.indexOf(Buffer.from("rapport 1 rapport 1"));
      expect(at).toBeGreaterThan(0);
      bytes[at] = "R".charCodeAt(0);
      const damaged = join(root, "damaged.tar");
      writeFileSync(damaged, bytes);
      const v = await cmd(backupCommand, "verify", damaged);
      expect(v.code).toBe(1);
      expect(v.out.find((l) => l.includes("FAILED"))).toMatch(/FAILED\s+checksums\s+files\/blobs\/runs\/.+\/artifacts\/.+ is damaged: its sha256 differs from the manifest/);
      expect(v.out.at(-1)).toBe("Result: the backup is NOT usable (1 check failed).");
      const target = await newTarget(root, kind, "from-damaged");
      cleanups.push(target.drop);
      const r = await cmd(restoreCommand, damaged, "--config", target.config);
      expect(r.code).toBe(1);
      expect(r.err.at(-1)).toStartWith("The backup does not match its manifest; nothing was restored:");
      expect(dataFiles(target.dataDir)).toEqual({});
    });

    test("verify detects a truncated archive, damaged compression and a file that is no backup", async () => {
      const bytes = readFileSync(archive);
      const truncated = join(root, "truncated.tar.gz");
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const t = await cmd(backupCommand, "verify", truncated);
      expect(t.code).toBe(1);
      expect(t.out.find((l) => l.includes("FAILED"))).toMatch(/FAILED\s+archive\s+the archive is damaged or incomplete/);

      const flipped = Buffer.from(bytes);
      flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
      const corrupt = join(root, "corrupt.tar.gz");
      writeFileSync(corrupt, flipped);
      expect((await cmd(backupCommand, "verify", corrupt)).code).toBe(1);

      const stranger = join(root, "stranger.tar");
      const w = createArchiveFileWriter(stranger, { gzip: false });
      await w.addBytes("hello.txt", bytesOf("hej"));
      await w.close();
      const s = await cmd(backupCommand, "verify", stranger);
      expect(s.code).toBe(1);
      expect(s.out.join("\n")).toContain("skriptoteket-backup.json is missing: this is not a Skriptoteket backup");
      expect((await cmd(backupCommand, "verify", join(root, "missing.tar.gz"))).out.join("\n")).toContain("does not exist");
    });

    test("backup refuses to overwrite a file and an unknown archive type", async () => {
      const existing = join(root, "exists.tar.gz");
      copyFileSync(archive, existing);
      const r = await cmd(backupCommand, "--out", existing, "--config", source.config);
      expect([r.code, r.err.at(-1)]).toEqual([1, `${existing} exists already. Choose another --out file; a backup never overwrites one.`]);
      const zip = await cmd(backupCommand, "--out", join(root, "x.zip"), "--config", source.config);
      expect(zip.code).toBe(1);
      expect(zip.err.at(-1)).toContain("--out must end in .tar.gz, .tgz or .tar");
    });

    test("a backup of an older schema is migrated to this version's on restore", async () => {
      const old = await newTarget(root, kind, "old-version");
      cleanups.push(old.drop);
      const oldStore = await openStore({ databaseUrl: old.url, dataDir: old.dataDir });
      const all = embeddedMigrations((kind === "sqlite" ? sqliteMigrations : pgMigrations) as Parameters<typeof embeddedMigrations>[0]);
      await applyOnly(oldStore, all.slice(0, 2));
      await insertTestUser(oldStore, "gammal@skola.se");
      await oldStore.close();
      const oldArchive = join(root, "old.tar.gz");
      const b = await cmd(backupCommand, "--out", oldArchive, "--config", old.config);
      expect(b.code).toBe(0);
      expect((await readManifest(oldArchive)).schema_migrations).toBe(2);
      const target = await newTarget(root, kind, "upgraded");
      cleanups.push(target.drop);
      const r = await cmd(restoreCommand, oldArchive, "--config", target.config);
      expect(r.err).toEqual([]);
      expect(r.out).toContain(`Applied ${all.length - 2} migrations: the schema is now this version's.`);
      const restored = await restoredTables(target);
      expect(restored.users!.some((u) => u.includes("gammal@skola.se"))).toBe(true);
      expect(restored.runs).toEqual([]);
    });
  });
}

/** Applies only the first migrations, as an older release would have. */
async function applyOnly(store: Store, metas: MigrationMeta[]): Promise<void> {
  const db = store.db as unknown as { dialect: { migrate(m: MigrationMeta[], s: unknown, c: { migrationsFolder: string }): unknown }; session: unknown };
  await db.dialect.migrate(metas, db.session, { migrationsFolder: "(embedded)" });
}

describe("backup, restore and retention commands: help and usage", () => {
  test.each([
    [backupCommand, ["--help"], 0, "skriptoteket backup — Back up the database and files online, or verify a backup"],
    [restoreCommand, ["--help"], 0, "skriptoteket restore — Restore a backup into an empty data dir and database"],
    [retentionCommand, ["--help"], 0, "skriptoteket retention — Remove data older than its retention period"],
  ] as const)("%#: --help", async (command, args, code, first) => {
    const r = await runCommand(command, [...args], { cwd: tmpdir() });
    expect([r.code, r.out[0]]).toEqual([code, first]);
  });

  test.each([
    [backupCommand, ["verify"], "Name one backup file: skriptoteket backup verify FILE."],
    [backupCommand, ["--colour"], "Unknown option '--colour'"],
    [restoreCommand, [], "Name one backup file: skriptoteket restore FILE."],
    [restoreCommand, ["a.tar.gz", "b.tar.gz"], "Name one backup file"],
    [retentionCommand, ["prune", "--all"], 'Unknown argument "--all" for "retention prune".'],
    [retentionCommand, [], 'Missing subcommand: use "retention prune".'],
  ] as const)("%#: bad usage exits 2", async (command, args, message) => {
    const r = await runCommand(command, [...args], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.err.at(-1)).toContain(message);
  });
});
