// The embedding sync on both stores against the Ollama-compatible test server: what it embeds, what
// it skips, what it removes, one sync at a time, and serve's loop (starts, survives Ollama down, stops).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../log/logger";
import type { Store } from "../store/db";
import { openTestStore, testStoreKinds } from "../store/test-db";
import { createToolsDeps, importTool } from "../tools/tools.service";
import { createAiClient } from "./ai-client";
import { decodeVector } from "./semantic-search.rules";
import { createToolEmbeddingsRepository } from "./tool-embeddings.repository";
import { embeddingStatus, startToolEmbeddingSync, startToolEmbeddingSyncFor, syncToolEmbeddings, type EmbeddingSyncDeps } from "./tool-embeddings.service";
import { EMBED_DIMENSIONS, fakeEmbedding, startTestOllama, testAiConfig, type TestOllama } from "./test-ollama-server";

async function addTool(store: Store, slug: string, instructions = "Ladda upp en fil.", publish = true) {
  const manifest = { slug, title: `Verktyg ${slug}`, summary: "Sammanfattning", usage_instructions: instructions, professions: [], categories: [] };
  const source = `def run_tool(input_dir, output_dir):\n    return '${instructions.length}'\n`;
  return (await importTool(createToolsDeps(store), { manifestText: JSON.stringify(manifest), source, publish, actor: { kind: "cli" } })).tool.id;
}

for (const kind of testStoreKinds()) {
  describe(`tool embeddings on ${kind}`, () => {
    let fake: TestOllama;
    let store: Store;
    let deps: EmbeddingSyncDeps;
    const logLines: string[] = [];

    beforeAll(async () => {
      fake = await startTestOllama();
      store = await openTestStore(kind);
      deps = { embeddings: createToolEmbeddingsRepository(store), ai: createAiClient(testAiConfig(fake)), log: createLogger({ write: (l) => logLines.push(l) }), now: () => new Date(), store };
    });
    afterAll(async () => {
      await store.close();
      await fake.stop();
    });

    test("embeds published tools once, stores the vectors exactly, skips drafts; re-embeds on a model change", async () => {
      const a = await addTool(store, "a", "Räkna betyg från poäng.");
      await addTool(store, "b");
      await addTool(store, "utkast", "Inte publicerat.", false);
      expect(await syncToolEmbeddings(deps)).toEqual({ indexed: 2, unchanged: 0, removed: 0 });
      const stored = await deps.embeddings.listByModel("test-embed:latest");
      expect(stored.map((e) => e.toolId).sort()).toEqual([a, (await deps.embeddings.listMeta()).find((m) => m.toolId !== a)!.toolId].sort());
      const vector = decodeVector(stored.find((e) => e.toolId === a)!.vector);
      expect(vector).toHaveLength(EMBED_DIMENSIONS);
      const expected = fakeEmbedding("Verktyg a\n\nSammanfattning\n\nRäkna betyg från poäng.");
      vector.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 6));
      expect(await syncToolEmbeddings(deps)).toEqual({ indexed: 0, unchanged: 2, removed: 0 });
      expect(await embeddingStatus(deps, "test-embed:latest")).toMatchObject({ published_tools: 2, indexed_tools: 2, stale_tools: 0 });
      expect(await embeddingStatus(deps, "other-embed")).toMatchObject({ published_tools: 2, indexed_tools: 0, stale_tools: 2 });

      const otherModel = { ...deps, ai: createAiClient(testAiConfig(fake, { embed_model: "test-embed" })) };
      fake.setModels(["test-chat:latest", "test-embed:latest", "test-embed"]);
      try {
        expect(await syncToolEmbeddings(otherModel)).toEqual({ indexed: 2, unchanged: 0, removed: 0 });
      } finally {
        fake.setModels(["test-chat:latest", "test-embed:latest"]);
      }
    });

    test("concurrent callers share one sync", async () => {
      await addTool(store, "c");
      const before = fake.count("embed");
      fake.script("embed", { delayMs: 100 });
      const [x, y] = await Promise.all([syncToolEmbeddings(deps), syncToolEmbeddings(deps)]);
      expect(x).toBe(y);
      expect(fake.count("embed") - before).toBe(1);
    });

    test("serve's loop: syncs at start, logs Ollama failures once and keeps going, stops cleanly", async () => {
      await addTool(store, "d");
      fake.script("embed", { status: 500, error: "model loading" }, { status: 500, error: "model loading" });
      const loop = startToolEmbeddingSync(deps, { intervalMs: 50 });
      for (let i = 0; i < 100 && (await embeddingStatus(deps, "test-embed:latest")).stale_tools > 0; i++) await Bun.sleep(20);
      await loop.stop();
      expect((await embeddingStatus(deps, "test-embed:latest")).stale_tools).toBe(0);
      expect(logLines.filter((l) => l.includes("tool embeddings not updated")).length).toBe(1);
      expect(logLines.some((l) => l.includes("tool embeddings updated"))).toBe(true);
    });

    test("startToolEmbeddingSyncFor: null without an embedding model", () => {
      expect(startToolEmbeddingSyncFor({ store, config: { ai: testAiConfig(fake, { embed_model: "" }) }, log: deps.log })).toBeNull();
    });
  });
}
