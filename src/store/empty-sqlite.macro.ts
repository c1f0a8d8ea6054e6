// Bun macro, run when the binary is bundled (and when `bun test` transpiles empty-sqlite.ts): an
// SQLite database with every embedded migration applied, in WAL mode, gzipped and base64-encoded so it
// is inlined as one short string (≈16 KB gzipped instead of ≈650 KB). It is made by the very code that
// migrates a database at start (openSqlite + migrateSqliteSync), so it equals what a first start makes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "./db";
import { migrateSqliteSync } from "./migrate";

export function emptySqliteGzBase64(): string {
  const dir = mkdtempSync(join(tmpdir(), "skt-empty-db-"));
  try {
    const file = join(dir, "empty.db");
    const store = openSqlite(file);
    migrateSqliteSync(store.sqlite);
    // everything into the main file: the copy is the file alone, without its -wal
    store.sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    store.sqlite.close();
    return Buffer.from(Bun.gzipSync(readFileSync(file), { level: 9 })).toString("base64");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
