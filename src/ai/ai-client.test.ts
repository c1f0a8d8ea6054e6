// The real `ollama` client, wrapped by ai-client.ts, against the Ollama-compatible test server:
// streaming, structured output, embeddings, the model list, errors, delays and truncation.
import { afterAll, afterEach, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { AiError, aiClientFor, createAiClient } from "./ai-client";
import { cosineSimilarity } from "./ai.rules";
import { EMBED_DIMENSIONS, TEST_CHAT_MODEL, TEST_OLLAMA_VERSION, startTestOllama, testAiConfig, type TestOllama } from "./test-ollama-server";

let fake: TestOllama;
beforeAll(async () => {
  fake = await startTestOllama({ loaded: [TEST_CHAT_MODEL] });
});
afterAll(() => fake.stop());
afterEach(() => {
  fake.setDelay(0);
  fake.setCharsPerToken(4);
});

async function failure(p: Promise<unknown>): Promise<AiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AiError) return e;
    throw e;
  }
  throw new Error("expected an AiError");
}

const classification = {
  type: "object",
  properties: { document_type: { type: "string", enum: ["invoice", "letter"] }, confidence: { type: "number", minimum: 0, maximum: 1 } },
  required: ["document_type", "confidence"],
};

describe("server facts", () => {
  test("version, model list and loaded models", async () => {
    const ai = createAiClient(testAiConfig(fake));
    expect(await ai.version()).toBe(TEST_OLLAMA_VERSION);
    const models = await ai.listModels();
    expect(models.map((m) => m.name)).toEqual(["test-chat:latest", "test-embed:latest"]);
    expect(models[0]).toMatchObject({ family: "qwen2", parameterSize: "7.6B", quantizationLevel: "Q4_K_M" });
    const loaded = await ai.loadedModels();
    expect(loaded.map((m) => m.name)).toEqual([TEST_CHAT_MODEL]);
    expect(Date.parse(loaded[0]!.expiresAt)).toBeGreaterThan(Date.now());
  });

  test("aiClientFor: null with AI off, one shared client per config object", async () => {
    const off = testAiConfig(fake, { enabled: false });
    expect(aiClientFor(off)).toBeNull();
    const on = testAiConfig(fake);
    expect(aiClientFor(on)).toBe(aiClientFor(on)!);
    expect(aiClientFor(testAiConfig(fake))).not.toBe(aiClientFor(on));
  });
});

describe("chat", () => {
  test("sends an explicit num_ctx and the answer length limit on every call", async () => {
    const ai = createAiClient(testAiConfig(fake, { num_ctx: 2048, output_tokens: 300 }));
    const before = fake.requests.length;
    const res = await ai.chat({ messages: [{ role: "user", content: "Hej där" }] });
    expect(res.text).toBe("Du skrev: Hej där");
    expect(res.model).toBe(TEST_CHAT_MODEL);
    const sent = fake.requests[before]!;
    expect(sent.body).toMatchObject({ model: TEST_CHAT_MODEL, stream: false, options: { num_ctx: 2048, num_predict: 300 } });
  });

  test("streams incrementally, piece by piece as the server sends them", async () => {
    const ai = createAiClient(testAiConfig(fake));
    fake.script("chat", { content: "ett två tre fyra", chunkDelayMs: 80 });
    const started = Date.now();
    const arrivals: { text: string; at: number }[] = [];
    const stream = ai.chatStream({ messages: [{ role: "user", content: "räkna" }] });
    let result = await stream.next();
    while (!result.done) {
      arrivals.push({ text: result.value, at: Date.now() - started });
      result = await stream.next();
    }
    expect(arrivals.map((a) => a.text).join("")).toBe("ett två tre fyra");
    expect(arrivals).toHaveLength(4);
    // the last piece came ≥ 3 chunk delays after the first: nothing was buffered until the end
    expect(arrivals[3]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(200);
    expect(result.value.promptTokens).toBeGreaterThan(0);
  });

  test("a consumer that stops early cancels the request; the slot is freed", async () => {
    const ai = createAiClient(testAiConfig(fake, { concurrency: 1 }));
    fake.script("chat", { content: "a b c d e f g h i j", chunkDelayMs: 100 });
    for await (const piece of ai.chatStream({ messages: [{ role: "user", content: "x" }] })) {
      expect(piece).toBe("a ");
      break;
    }
    expect(ai.load()).toEqual({ active: 0, waiting: 0 });
    // the next request is not blocked by the abandoned one
    expect((await ai.chat({ messages: [{ role: "user", content: "nästa" }] })).text).toBe("Du skrev: nästa");
  });

  test("the caller's signal aborts a running stream", async () => {
    const ai = createAiClient(testAiConfig(fake));
    fake.script("chat", { content: "a b c d e f g h", chunkDelayMs: 100 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const err = await failure(
      (async () => {
        for await (const piece of ai.chatStream({ messages: [{ role: "user", content: "x" }], signal: controller.signal })) {
          pieces.push(piece);
          controller.abort();
        }
      })(),
    );
    expect(err.kind).toBe("aborted");
    expect(pieces).toEqual(["a "]);
  });

  test("concurrency: requests beyond [ai] concurrency wait for a free slot", async () => {
    const ai = createAiClient(testAiConfig(fake, { concurrency: 2 }));
    let maxSeen = 0;
    const probe = () => ({ delayMs: 150, content: `in flight ${(maxSeen = Math.max(maxSeen, fake.inFlight()))}` });
    fake.script("chat", probe, probe, probe, probe);
    const started = Date.now();
    await Promise.all([1, 2, 3, 4].map((i) => ai.chat({ messages: [{ role: "user", content: `q${i}` }] })));
    expect(maxSeen).toBeLessThanOrEqual(2);
    // 4 requests of 150 ms, 2 at a time: two rounds
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe("structured output", () => {
  test("sends the schema as format and returns the checked value", async () => {
    const ai = createAiClient(testAiConfig(fake));
    fake.script("chat", { json: { document_type: "invoice", confidence: 0.9 } });
    const before = fake.requests.length;
    const res = await ai.structured({ system: "Klassificera.", prompt: "Faktura nr 12", schema: classification });
    expect(res).toMatchObject({ value: { document_type: "invoice", confidence: 0.9 }, attempts: 1, model: TEST_CHAT_MODEL });
    expect(fake.requests[before]!.body).toMatchObject({ format: classification, options: { temperature: 0 } });
  });

  test("retries invalid JSON and schema mismatches, then succeeds", async () => {
    const ai = createAiClient(testAiConfig(fake, { max_retries: 2 }));
    fake.script("chat", { content: '{"document_type": "invoice", "confid' }, { json: { document_type: "memo", confidence: 2 } }, { json: { document_type: "letter", confidence: 0.4 } });
    const res = await ai.structured({ system: "s", prompt: "p", schema: classification });
    expect(res.attempts).toBe(3);
    expect(res.value).toEqual({ document_type: "letter", confidence: 0.4 });
  });

  test("gives up with invalid_output after 1 + max_retries attempts, naming the problems", async () => {
    const ai = createAiClient(testAiConfig(fake, { max_retries: 1 }));
    const before = fake.count("chat");
    fake.script("chat", { content: "Här är svaret: fakturan" }, { content: "inte heller JSON" });
    const err = await failure(ai.structured({ system: "s", prompt: "p", schema: classification }));
    expect(err.kind).toBe("invalid_output");
    expect(err.details.attempts).toBe(2);
    expect(String(err.details.problems)).toContain("not JSON");
    expect(fake.count("chat") - before).toBe(2);
    expect(err.toAppError()).toMatchObject({ status: 502, code: "ai.invalid_output" });
  });

  test("a caller's validate() rejects answers the schema allows", async () => {
    const ai = createAiClient(testAiConfig(fake, { max_retries: 1 }));
    fake.script("chat", { json: { document_type: "invoice", confidence: 0.1 } }, { json: { document_type: "invoice", confidence: 0.8 } });
    const res = await ai.structured({
      system: "s",
      prompt: "p",
      schema: classification,
      validate: (v) => ((v as { confidence: number }).confidence >= 0.5 ? { ok: true, value: v as { confidence: number } } : { ok: false, problems: ["too unsure"] }),
    });
    expect(res.attempts).toBe(2);
    expect(res.value.confidence).toBe(0.8);
  });

  test("without a script the server answers a schema instance (default behaviour)", async () => {
    const ai = createAiClient(testAiConfig(fake));
    const res = await ai.structured({ system: "s", prompt: "p", schema: classification });
    expect(res.value).toEqual({ document_type: "invoice", confidence: 0 });
  });
});

describe("truncation", () => {
  test("a prompt that cannot fit is refused before anything is sent", async () => {
    const ai = createAiClient(testAiConfig(fake, { num_ctx: 1024, output_tokens: 256 }));
    const before = fake.count("chat");
    const err = await failure(ai.chat({ messages: [{ role: "user", content: "ord ".repeat(1000) }] }));
    expect(err.kind).toBe("too_long");
    expect(err.details).toMatchObject({ num_ctx: 1024 });
    expect(fake.count("chat")).toBe(before);
  });

  test("a prompt Ollama silently cut (prompt_eval_count fills num_ctx) is reported, not accepted", async () => {
    const ai = createAiClient(testAiConfig(fake, { num_ctx: 1024, output_tokens: 256 }));
    // our estimate (3 chars/token) lets 2000 characters through; a tokenizer at 1 char/token needs
    // 2000 tokens, so the server keeps 1024 of them
    fake.setCharsPerToken(1);
    const err = await failure(ai.structured({ system: "s", prompt: "x".repeat(2000), schema: classification }));
    expect(err.kind).toBe("too_long");
    expect(err.details).toEqual({ prompt_tokens: 1024, num_ctx: 1024 });
    expect(err.toAppError()).toMatchObject({ status: 422, code: "ai.too_long" });
  });

  test("a streamed answer whose prompt was cut ends with too_long", async () => {
    const ai = createAiClient(testAiConfig(fake, { num_ctx: 1024, output_tokens: 256 }));
    fake.script("chat", { content: "svar", promptEvalCount: 1020 });
    const err = await failure(
      (async () => {
        for await (const _ of ai.chatStream({ messages: [{ role: "user", content: "kort" }] })) {
          // drain
        }
      })(),
    );
    expect(err.kind).toBe("too_long");
  });

  test("a prompt well inside the window passes", async () => {
    const ai = createAiClient(testAiConfig(fake, { num_ctx: 1024, output_tokens: 256 }));
    fake.setCharsPerToken(1);
    expect((await ai.chat({ messages: [{ role: "user", content: "y".repeat(500) }] })).promptTokens).toBe(500);
  });
});

describe("embeddings", () => {
  test("one vector per text, unit length; a paraphrase is closer than an unrelated text", async () => {
    const ai = createAiClient(testAiConfig(fake));
    const res = await ai.embed(["Räkna ut betyg från provpoäng", "betyg utifrån poäng på prov", "Skapa ett schema för lunchvakter"]);
    expect(res.embeddings).toHaveLength(3);
    expect(res.embeddings[0]).toHaveLength(EMBED_DIMENSIONS);
    expect(Math.hypot(...res.embeddings[0]!)).toBeCloseTo(1, 6);
    const [a, b, c] = res.embeddings as [number[], number[], number[]];
    expect(cosineSimilarity(a, b)).toBeGreaterThan(cosineSimilarity(a, c));
    expect(fake.requests.at(-1)!.body).toMatchObject({ truncate: false, options: { num_ctx: testAiConfig(fake).num_ctx } });
  });

  test("no embed model configured → not_configured, nothing sent", async () => {
    const ai = createAiClient(testAiConfig(fake, { embed_model: "" }));
    const before = fake.count("embed");
    expect((await failure(ai.embed(["x"]))).kind).toBe("not_configured");
    expect(fake.count("embed")).toBe(before);
  });

  test("a chat model asked for embeddings → failed with Ollama's message", async () => {
    const ai = createAiClient(testAiConfig(fake, { embed_model: TEST_CHAT_MODEL }));
    const err = await failure(ai.embed(["x"]));
    expect(err.kind).toBe("failed");
    expect(String(err.details.message)).toContain("does not support embeddings");
  });
});

describe("failures: clear kinds, nothing hangs", () => {
  test("Ollama down → unreachable", async () => {
    const gone = await startTestOllama();
    const url = gone.url;
    await gone.stop();
    const ai = createAiClient(testAiConfig({ url }));
    const err = await failure(ai.version());
    expect(err.kind).toBe("unreachable");
    expect(err.toAppError()).toMatchObject({ status: 503, code: "ai.unreachable" });
    expect((await failure(ai.chat({ messages: [{ role: "user", content: "x" }] }))).kind).toBe("unreachable");
  });

  test("slow server → timeout after timeout_seconds, and the server sees the request go away", async () => {
    const ai = createAiClient(testAiConfig(fake, { timeout_seconds: 1 }));
    fake.script("chat", { delayMs: 30_000 });
    const started = Date.now();
    const err = await failure(ai.chat({ messages: [{ role: "user", content: "x" }] }));
    const took = Date.now() - started;
    expect(err.kind).toBe("timeout");
    expect(err.toAppError()).toMatchObject({ status: 504, code: "ai.timeout" });
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(3000);
    await Bun.sleep(50);
    expect(fake.inFlight()).toBe(0);
    expect(ai.load()).toEqual({ active: 0, waiting: 0 });
  });

  test("a stream that stalls mid-answer times out too", async () => {
    const ai = createAiClient(testAiConfig(fake, { timeout_seconds: 1 }));
    fake.script("chat", { content: "a b", chunkDelayMs: 5_000 });
    const started = Date.now();
    const pieces: string[] = [];
    const err = await failure(
      (async () => {
        for await (const piece of ai.chatStream({ messages: [{ role: "user", content: "x" }] })) pieces.push(piece);
      })(),
    );
    expect(err.kind).toBe("timeout");
    expect(pieces).toEqual(["a "]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("unknown model → unknown_model naming the model", async () => {
    const ai = createAiClient(testAiConfig(fake, { chat_model: "llama9:70b" }));
    const err = await failure(ai.chat({ messages: [{ role: "user", content: "x" }] }));
    expect(err.kind).toBe("unknown_model");
    expect(err.details).toEqual({ model: "llama9:70b" });
    expect(err.toAppError().status).toBe(502);
  });

  test("a 500 with a text body → failed, and the client prints nothing to stdout", async () => {
    const ai = createAiClient(testAiConfig(fake));
    const log = spyOn(console, "log");
    try {
      fake.script("chat", { textError: { status: 500, body: "llama runner process has terminated" } });
      const err = await failure(ai.chat({ messages: [{ role: "user", content: "x" }] }));
      expect(err.kind).toBe("failed");
      expect(err.details).toEqual({ status: 500, message: "llama runner process has terminated" });
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  test("a JSON error status → failed with Ollama's message", async () => {
    const ai = createAiClient(testAiConfig(fake));
    fake.script("chat", { status: 500, error: "out of memory" });
    const err = await failure(ai.chat({ messages: [{ role: "user", content: "x" }] }));
    expect(err.details).toEqual({ status: 500, message: "out of memory" });
  });

  test("a body that is not JSON → failed", async () => {
    const ai = createAiClient(testAiConfig(fake));
    fake.script("chat", { invalidBody: true });
    const err = await failure(ai.chat({ messages: [{ role: "user", content: "x" }] }));
    expect(err.kind).toBe("failed");
    expect(err.details.message).toBe("the answer was not JSON");
  });

  test("a dropped connection → unreachable (single answer and stream)", async () => {
    const ai = createAiClient(testAiConfig(fake));
    fake.script("chat", { drop: true }, { drop: true, content: "a b c" });
    expect((await failure(ai.chat({ messages: [{ role: "user", content: "x" }] }))).kind).toBe("unreachable");
    const err = await failure(
      (async () => {
        for await (const _ of ai.chatStream({ messages: [{ role: "user", content: "x" }] })) {
          // drain
        }
      })(),
    );
    expect(err.kind).toBe("unreachable");
    fake.script("embed", { drop: true });
    expect((await failure(ai.embed(["x"]))).kind).toBe("unreachable");
  });

  test("a caller waiting for a slot can give up", async () => {
    const ai = createAiClient(testAiConfig(fake, { concurrency: 1 }));
    fake.script("chat", { delayMs: 300 });
    const first = ai.chat({ messages: [{ role: "user", content: "först" }] });
    const controller = new AbortController();
    const second = ai.chat({ messages: [{ role: "user", content: "sen" }], signal: controller.signal });
    await Bun.sleep(20);
    expect(ai.load()).toEqual({ active: 1, waiting: 1 });
    controller.abort();
    expect((await failure(second)).kind).toBe("aborted");
    await first;
    expect(ai.load()).toEqual({ active: 0, waiting: 0 });
  });
});
