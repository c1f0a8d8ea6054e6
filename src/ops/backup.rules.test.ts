// The backup format's pure rules: which data-dir files are copied, entry names, manifest parsing and
// the comparison of an archive with its manifest.
import { describe, expect, test } from "bun:test";
import {
  classifyEntry,
  compareWithManifest,
  compressionForFileName,
  countOf,
  defaultBackupFileName,
  formatBytes,
  headerMismatches,
  isBackedUpDataPath,
  manifestSumText,
  parseHeader,
  parseManifest,
  parseManifestSum,
  rowCountMismatches,
  type BackupManifest,
} from "./backup.rules";

const sha = (c: string) => c.repeat(64);

function manifest(): BackupManifest {
  return {
    format: "skriptoteket-backup",
    format_version: 1,
    version: "1.2.3",
    dialect: "sqlite",
    created_at: "2026-11-23T08:15:00.000Z",
    schema_migrations: 5,
    database: { path: "db/skriptoteket.db", bytes: 4096, sha256: sha("a"), format: "sqlite" },
    tables: { users: 2, runs: 0 },
    files: [
      { path: "files/server-secret", bytes: 44, sha256: sha("b") },
      { path: "files/blobs/runs/r1/inputs/f1", bytes: 10, sha256: sha("c") },
    ],
    totals: { files: 2, bytes: 54 },
    missing_blobs: [],
  };
}

describe("what a backup copies from data_dir", () => {
  test.each([
    ["blobs/runs/r1/inputs/f1", true],
    ["server-secret", true],
    ["skriptoteket.db", false],
    ["skriptoteket.db-wal", false],
    ["skriptoteket.db-shm", false],
    ["tmp", false],
    ["tmp/runs/x/input.csv", false],
    ["tmpfiles/x", true],
    ["blobs/../etc/passwd", false],
    ["/etc/passwd", false],
    ["blobs//x", false],
    ["blobs/a\u0000b", false],
  ])("%s → %p", (rel, included) => expect(isBackedUpDataPath(rel)).toBe(included));
});

describe("archive entry names", () => {
  test.each([
    ["skriptoteket-backup.json", "sqlite", "header"],
    ["manifest.json", "sqlite", "manifest"],
    ["manifest.json.sha256", "postgres", "manifest-sum"],
    ["db/skriptoteket.db", "sqlite", "database"],
    ["db/skriptoteket.db", "postgres", null],
    ["db/postgres.dump", "postgres", "database"],
    ["files/blobs/runs/r/inputs/f", "sqlite", "file"],
    ["files/tmp/x", "sqlite", null],
    ["files/../../etc/cron.d/x", "sqlite", null],
    ["files/skriptoteket.db", "sqlite", null],
    ["other.txt", "sqlite", null],
  ] as const)("%s in a %s backup → %p", (name, dialect, kind) => expect(classifyEntry(name, dialect)).toBe(kind));
});

describe("manifest", () => {
  test("a complete manifest parses; its sum line round-trips", () => {
    expect(parseManifest(JSON.parse(JSON.stringify(manifest())))).toEqual({ ok: true, value: manifest() });
    expect(parseManifestSum(manifestSumText(sha("d")))).toBe(sha("d"));
    expect(parseManifestSum("nonsense")).toBeNull();
  });

  test("problems are named", () => {
    const bad = { ...manifest(), format: "zip", dialect: "mysql", files: [{ path: "x", bytes: -1, sha256: "no" }], tables: { users: "two" } };
    const r = parseManifest(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'format is "zip", not "skriptoteket-backup": this is not a Skriptoteket backup',
      'dialect "mysql" is neither "sqlite" nor "postgres"',
      "tables is not a map of row counts",
      "files[0].bytes is not a size",
      "files[0].sha256 is not a sha256",
    ]);
    expect(parseHeader({ ...manifest(), format_version: 2 })).toEqual({ ok: false, problems: ["format_version 2 is not supported (this version reads 1)"] });
  });

  test("the header must match the manifest", () => {
    const m = manifest();
    expect(headerMismatches({ ...m }, m)).toEqual([]);
    expect(headerMismatches({ ...m, schema_migrations: 4 }, m)).toEqual(["schema_migrations differs between skriptoteket-backup.json (4) and manifest.json (5)"]);
  });

  test("comparison with what the archive held", () => {
    const m = manifest();
    const seen = new Map([
      ["skriptoteket-backup.json", { bytes: 200, sha256: sha("e") }],
      ["db/skriptoteket.db", { bytes: 4096, sha256: sha("a") }],
      ["files/server-secret", { bytes: 44, sha256: sha("b") }],
      ["files/blobs/runs/r1/inputs/f1", { bytes: 10, sha256: sha("c") }],
      ["manifest.json", { bytes: 900, sha256: sha("f") }],
    ]);
    expect(compareWithManifest(m, seen)).toEqual([]);
    seen.set("files/server-secret", { bytes: 44, sha256: sha("0") });
    seen.delete("files/blobs/runs/r1/inputs/f1");
    seen.set("files/extra", { bytes: 1, sha256: sha("1") });
    expect(compareWithManifest(m, seen)).toEqual([
      "files/server-secret is damaged: its sha256 differs from the manifest",
      "files/blobs/runs/r1/inputs/f1 is listed in the manifest but missing from the archive",
      "files/extra is in the archive but not in the manifest",
    ]);
  });

  test("row counts", () => {
    expect(rowCountMismatches({ users: 2, runs: 0 }, { users: 2, runs: 0 })).toEqual([]);
    expect(rowCountMismatches({ users: 2, runs: 0 }, { users: 3, jobs: 0 })).toEqual(["table users has 3 rows, the manifest says 2", "table runs is missing", "table jobs is not in the manifest"]);
  });
});

describe("names and sizes", () => {
  test("default file name and compression by extension", () => {
    expect(defaultBackupFileName(new Date("2026-11-23T08:15:09.123Z"))).toBe("skriptoteket-backup-20261123-081509.tar.gz");
    expect(compressionForFileName("/srv/b.tar.gz")).toEqual({ gzip: true });
    expect(compressionForFileName("b.TGZ")).toEqual({ gzip: true });
    expect(compressionForFileName("b.tar")).toEqual({ gzip: false });
    expect(compressionForFileName("b.zip")).toBeNull();
  });

  test.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [10 * 1024 * 1024, "10 MiB"],
    [3.5 * 1024 ** 3, "3.5 GiB"],
  ])("%d bytes → %s", (n, text) => expect(formatBytes(n)).toBe(text));
});

test("counts", () => {
  expect([countOf(1, "file"), countOf(0, "file"), countOf(2, "entry", "entries")]).toEqual(["1 file", "0 files", "2 entries"]);
});
