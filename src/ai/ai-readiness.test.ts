// The /readyz Ollama check against the Ollama-compatible test server: ready, a missing model, unreachable.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hasModel, ollamaReadiness } from "./ai-readiness";
import { AiError } from "./ai-client";
import { TEST_OLLAMA_VERSION, startTestOllama, testAiConfig, type TestOllama } from "./test-ollama-server";

let fake: TestOllama;
beforeAll(async () => {
  fake = await startTestOllama();
});
afterAll(() => fake.stop());

describe("ollama readiness", () => {
  test("ready when the server answers and both models are pulled", async () => {
    expect(await ollamaReadiness(testAiConfig(fake))()).toEqual({ ok: true, detail: `ollama ${TEST_OLLAMA_VERSION}` });
  });

  test("not ready, naming the model to pull, when a configured model is missing", async () => {
    const result = await ollamaReadiness(testAiConfig(fake, { chat_model: "llama3.1:8b" }))();
    expect(result.ok).toBe(false);
    expect(result.detail).toContain("ollama pull llama3.1:8b");
  });

  test("an unreachable server fails the check with an AI error", async () => {
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = probe.port;
    probe.stop(true);
    const check = ollamaReadiness(testAiConfig({ url: `http://127.0.0.1:${port}` }));
    await expect(check()).rejects.toBeInstanceOf(AiError);
  });

  test("a model name matches with or without :latest", () => {
    expect(hasModel(["qwen2.5:7b", "nomic-embed-text:latest"], "nomic-embed-text")).toBe(true);
    expect(hasModel(["qwen2.5:latest"], "qwen2.5")).toBe(true);
    expect(hasModel(["qwen2.5"], "qwen2.5:latest")).toBe(true);
    expect(hasModel(["qwen2.5:7b"], "qwen2.5")).toBe(false);
  });
});
