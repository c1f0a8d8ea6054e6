// A first start copies a ready-made migrated SQLite database instead of running every migration
// (≈30 ms on an empty data dir, most of a cold start). The database is built when the binary is
// bundled (empty-sqlite.macro.ts); migrate() still runs afterwards and applies whatever is newer.
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { emptySqliteGzBase64 } from "./empty-sqlite.macro" with { type: "macro" };

/** The migrated empty database's bytes (WAL mode: header bytes 18 and 19 are 2). */
export function emptySqliteBytes(): Uint8Array {
  return Bun.gunzipSync(Buffer.from(emptySqliteGzBase64(), "base64"));
}

/**
 * Writes the migrated empty database to `file` when no file is there yet; true when it did. The bytes
 * go to a temporary name first and are hard-linked into place, which fails when the file exists: two
 * processes starting at once never see a half-written database, and an existing one is never replaced.
 */
export function seedEmptySqlite(file: string): boolean {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Bun.randomUUIDv7()}.seed`;
  writeFileSync(tmp, emptySqliteBytes());
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === "EEXIST") return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}
