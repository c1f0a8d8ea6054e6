// `skriptoteket user export` and `user erase` against a real config file and store (SQLite, and
// PostgreSQL when configured). The privacy rules themselves are tested in src/ops/privacy.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyPgDatabase, testStoreKinds } from "../store/test-db";
import { openStore, type Store } from "../store/db";
import { createFsBlobStore } from "../store/blob-store";
import { insertTestTool } from "../execution/test-runs";
import { bytesOf, runCommand, seedRun, writeTestConfig, type SeededRun } from "../ops/ops.test-data";
import { consumeEntry, entryBytes, readArchive } from "../ops/archive";
import { createSuggestionsRepository } from "../authoring/suggestions.repository";
import { userCommand } from "./user";

for (const kind of testStoreKinds()) {
  describe(`user export and erase commands on ${kind}`, () => {
    let dir: string;
    let dataDir: string;
    let config: string;
    let store: Store;
    let drop: (() => Promise<void>) | null = null;
    let run: SeededRun;
    const user = (...args: string[]) => runCommand(userCommand, [...args, "--config", config], { cwd: dir });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "skt-cli-privacy-"));
      dataDir = join(dir, "data");
      const pg = kind === "postgres" ? await createEmptyPgDatabase() : null;
      drop = pg?.drop ?? null;
      config = writeTestConfig(join(dir, "s.toml"), { dataDir, databaseUrl: pg?.url ?? "" });
      expect((await user("create", "--email", "cecilia@skola.se", "--role", "user", "--password", "Cecilias-lösenord-3", "--first-name", "Cecilia")).code).toBe(0);
      store = await openStore({ databaseUrl: pg?.url ?? "", dataDir });
      const q = "SELECT id FROM users WHERE email = 'cecilia@skola.se'";
      const id = store.dialect === "sqlite" ? (store.sqlite.query(q).get() as { id: string }) : (await store.sql.unsafe<{ id: string }[]>(q))[0]!;
      const tool = await insertTestTool(store, { source: "def run_tool(i, o):\n    pass\n" });
      run = await seedRun(store, createFsBlobStore(dataDir), { tool, userId: id.id, finishedAt: new Date(), inputs: [{ name: "in.csv", data: bytesOf("Cecilias data") }] });
      // a tool suggestion of hers: kept on erasure, under her pseudonym
      await createSuggestionsRepository(store).create({ suggestedBy: id.id, title: "Närvarolista", description: "Sammanställ närvaro", professions: [], categories: [], now: new Date() });
    });
    afterAll(async () => {
      await store?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test("export writes one archive with her rows and files; an existing file is not overwritten", async () => {
      const out = join(dir, "cecilia.tar.gz");
      const r = await user("export", "--email", "Cecilia@skola.se", "--out", out);
      expect(r.err).toEqual([]);
      expect(r.out[0]).toMatch(new RegExp(`^Exported cecilia@skola\\.se: \\d+ rows from \\d+ tables and 1 file \\(13 B\\) to ${out.replaceAll(".", "\\.")}$`));
      let doc: { tables: Record<string, unknown[]> } | null = null;
      const names: string[] = [];
      await readArchive(out, async (e) => {
        names.push(e.name);
        if (e.name === "export.json") doc = JSON.parse(new TextDecoder().decode(await entryBytes(e, 1 << 20))) as { tables: Record<string, unknown[]> };
        else await consumeEntry(e);
      });
      expect(names).toEqual(["README.txt", `files/${run.blobs[0]!.key}`, "export.json"]);
      expect((doc as { tables: Record<string, unknown[]> } | null)?.tables.runs).toHaveLength(1);
      const again = await user("export", "--email", "cecilia@skola.se", "--out", out);
      expect([again.code, again.err.at(-1)]).toEqual([1, `${out} exists already. Choose another --out file.`]);
      expect((await user("export", "--email", "cecilia@skola.se")).err.at(-1)).toContain("--out is required");
    });

    test("erase without --yes shows what would go and changes nothing; with --yes it erases", async () => {
      const preview = await user("erase", "--email", "cecilia@skola.se");
      expect(preview.code).toBe(2);
      expect(preview.out[0]).toMatch(/^Erasing cecilia@skola\.se \(id .+\) would:$/);
      expect(preview.out[1]).toMatch(/^ {2}delete \d+ rows: .*runs 1/);
      expect(preview.out[2]).toBe("  delete 1 file (13 B)");
      expect(preview.out[3]).toBe("  clear the reference in 1 kept rows: tool_suggestions 1");
      expect(preview.out[4]).toMatch(/^ {2}write erased-user-[0-9a-f]{12} into 1 of them: tool_suggestions 1$/);
      expect(preview.err.at(-1)).toBe("Nothing was erased. Run the command again with --yes to erase the account; this cannot be undone.");
      expect(existsSync(join(dataDir, "blobs", run.blobs[0]!.key))).toBe(true);

      const done = await user("erase", "--email", "cecilia@skola.se", "--yes");
      expect(done.code).toBe(0);
      expect(done.out[0]).toMatch(/^Erased cecilia@skola\.se \(id .+\):$/);
      expect(done.out.at(-1)).toMatch(/^ {2}replaced the e-mail address and name in 1 audit events with erased-user-[0-9a-f]{12}$/);
      expect(existsSync(join(dataDir, "blobs", run.blobs[0]!.key))).toBe(false);
      const q = "SELECT suggested_by, suggested_by_pseudonym FROM tool_suggestions";
      const kept = store.dialect === "sqlite" ? store.sqlite.query(q).all() : await store.sql.unsafe(q);
      expect(kept).toEqual([{ suggested_by: null, suggested_by_pseudonym: expect.stringMatching(/^erased-user-[0-9a-f]{12}$/) }]);
      const gone = await user("erase", "--email", "cecilia@skola.se", "--yes");
      expect([gone.code, gone.err.at(-1)]).toEqual([1, "No account has the e-mail address cecilia@skola.se."]);
    });
  });
}
