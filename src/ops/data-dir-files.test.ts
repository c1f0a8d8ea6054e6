// Which data-dir files a backup copies, their staging as hard links, and the clean-up of staging
// folders that an interrupted backup or restore left behind.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listDataFiles, removeStaleStaging, stageFiles, type StagedFiles } from "./data-dir-files";

const root = mkdtempSync(join(tmpdir(), "skt-datadir-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function put(rel: string, text = rel): void {
  mkdirSync(join(root, rel, ".."), { recursive: true });
  writeFileSync(join(root, rel), text);
}

test("the files a backup copies: not the live database, not tmp/, not links, not the backup itself", async () => {
  for (const rel of ["server-secret", "blobs/runs/r1/inputs/f1", "blobs/runs/r1/artifacts/a1", "skriptoteket.db", "skriptoteket.db-wal", "tmp/runs/r2/x", "backup.tar.gz.partial"]) put(rel);
  symlinkSync("/etc/passwd", join(root, "blobs", "link"));
  const files = await listDataFiles(root, new Set([join(root, "backup.tar.gz.partial")]));
  expect(files.map((f) => f.rel)).toEqual(["blobs/runs/r1/artifacts/a1", "blobs/runs/r1/inputs/f1", "server-secret"]);
});

test("staged files are hard links: the content survives the original's deletion", async () => {
  rmSync(join(root, "backup.tar.gz.partial"));
  const staging = join(root, "tmp", "backup-x");
  const staged: StagedFiles = new Map();
  await stageFiles(await listDataFiles(root), staging, staged);
  const path = staged.get("blobs/runs/r1/inputs/f1")!;
  expect(statSync(path).ino).toBe(statSync(join(root, "blobs/runs/r1/inputs/f1")).ino);
  rmSync(join(root, "blobs/runs/r1"), { recursive: true });
  expect(readFileSync(path, "utf8")).toBe("blobs/runs/r1/inputs/f1");
  // a second pass adds only what is new
  put("blobs/runs/r3/inputs/f3");
  await stageFiles(await listDataFiles(root), staging, staged);
  expect([...staged.keys()].sort()).toEqual(["blobs/runs/r1/artifacts/a1", "blobs/runs/r1/inputs/f1", "blobs/runs/r3/inputs/f3", "server-secret"]);
});

test("stale staging folders are removed, young ones kept", async () => {
  mkdirSync(join(root, "tmp", "backup-old"), { recursive: true });
  mkdirSync(join(root, "tmp", "backup-new"), { recursive: true });
  mkdirSync(join(root, "tmp", "restore-old"), { recursive: true });
  const twoDaysAgo = (Date.now() - 48 * 3_600_000) / 1000;
  utimesSync(join(root, "tmp", "backup-old"), twoDaysAgo, twoDaysAgo);
  utimesSync(join(root, "tmp", "restore-old"), twoDaysAgo, twoDaysAgo);
  expect(await removeStaleStaging(root, "backup-", Date.now())).toEqual([join(root, "tmp", "backup-old")]);
  expect(existsSync(join(root, "tmp", "backup-new"))).toBe(true);
  expect(existsSync(join(root, "tmp", "restore-old"))).toBe(true);
  expect(await removeStaleStaging(join(root, "missing"), "backup-", Date.now())).toEqual([]);
});
