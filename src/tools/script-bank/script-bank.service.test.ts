import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Store } from "../../store/db";
import { openTestStore, testStoreKinds } from "../../store/test-db";
import { createToolsDeps, importTool, listTools, type ToolsDeps } from "../tools.service";
import { scriptBank, type ScriptBankTool } from "./index.gen";
import { seedScriptBank } from "./script-bank.service";

/** A bank entry with a changed manifest (parsed, edited, re-serialized) and/or source. */
function edited(tool: ScriptBankTool, edit: { manifest?: (m: Record<string, unknown>) => void; source?: string }): ScriptBankTool {
  const manifest = JSON.parse(tool.manifestText) as Record<string, unknown>;
  edit.manifest?.(manifest);
  return { slug: String(manifest.slug), manifestText: JSON.stringify(manifest), source: edit.source ?? tool.source };
}

for (const kind of testStoreKinds()) {
  describe(`seeding the script bank on ${kind}`, () => {
    let store: Store;
    let deps: ToolsDeps;

    beforeAll(async () => {
      store = await openTestStore(kind);
      deps = createToolsDeps(store);
    });
    afterAll(async () => store?.close());

    test("the first seed creates and publishes every tool; the second changes nothing", async () => {
      const first = await seedScriptBank(deps);
      expect(first).toEqual(scriptBank.map((t) => ({ slug: t.slug, status: "created", version: 1 })));
      const listed = await listTools(deps, { publishedOnly: true });
      expect(listed.map((t) => [t.slug, t.activeVersion])).toEqual(scriptBank.map((t) => [t.slug, 1]));
      const grupper = await deps.tools.getBySlug("slumpa-grupper");
      expect([grupper?.title, grupper?.professions, grupper?.categories]).toEqual(["Slumpa grupper", ["larare", "specialpedagog"], ["lektionsplanering", "mentorskap"]]);

      expect(await seedScriptBank(deps)).toEqual(scriptBank.map((t) => ({ slug: t.slug, status: "unchanged", version: 1 })));
      expect((await listTools(deps)).map((t) => t.activeVersion)).toEqual(scriptBank.map(() => 1));
    });

    test("an administrator's own version and title survive a later seed", async () => {
      const bankTool = scriptBank.find((t) => t.slug === "namnlappar")!;
      const own = edited(bankTool, { manifest: (m) => (m.title = "Namnlappar (vår skola)"), source: `${bankTool.source}\n# vår ändring\n` });
      const report = await importTool(deps, { manifestText: own.manifestText, source: own.source, publish: true, actor: { kind: "cli" } });
      expect(report.version.number).toBe(2);

      const outcome = (await seedScriptBank(deps)).find((o) => o.slug === "namnlappar");
      expect(outcome).toEqual({ slug: "namnlappar", status: "unchanged", version: 1 });
      const tool = await deps.tools.getBySlug("namnlappar");
      expect(tool?.title).toBe("Namnlappar (vår skola)");
      expect((await listTools(deps)).find((t) => t.slug === "namnlappar")?.activeVersion).toBe(2);
    });

    test("new bank content (a newer binary) becomes a new published version", async () => {
      const bankTool = scriptBank.find((t) => t.slug === "csv-excel")!;
      const newer = edited(bankTool, { manifest: (m) => (m.usage_instructions = `${String(m.usage_instructions)}\n\nNytt i den här versionen.`) });
      expect(await seedScriptBank(deps, [newer])).toEqual([{ slug: "csv-excel", status: "updated", version: 2 }]);
      expect((await listTools(deps)).find((t) => t.slug === "csv-excel")?.activeVersion).toBe(2);
      expect(await seedScriptBank(deps, [newer])).toEqual([{ slug: "csv-excel", status: "unchanged", version: 2 }]);
    });

    test("an invalid bank entry is reported with its problems; the others are still seeded", async () => {
      const broken = edited(scriptBank[0]!, { manifest: (m) => { m.slug = "trasig-verktyg"; m.categories = ["Inte En Slug"]; } });
      const fresh = edited(scriptBank[0]!, { manifest: (m) => (m.slug = "ny-kopia") });
      const outcomes = await seedScriptBank(deps, [broken, fresh]);
      expect(outcomes[0]).toMatchObject({ slug: "trasig-verktyg", status: "failed" });
      expect(outcomes[0]?.status === "failed" && outcomes[0].problems.map((p) => [p.file, p.path])).toEqual([["script-bank/trasig-verktyg/tool.json", "/categories/0"]]);
      expect(outcomes[1]).toEqual({ slug: "ny-kopia", status: "created", version: 1 });
    });
  });
}
