import { describe, expect, test } from "bun:test";
import { cutUtf8, utf8Length } from "./contract.types";
import { DEFAULT_RESULT_LIMITS, isValidArtifactPath, jsonNestingDepth, parseResult, storableJson, storableString } from "./result.rules";

const bytes = (text: string) => new TextEncoder().encode(text);
const valid = {
  contract_version: 2,
  status: "succeeded",
  error_summary: null,
  outputs: [{ kind: "markdown", markdown: "# Hej" }],
  next_actions: [],
  state: null,
  artifacts: [{ path: "output/rapport.pdf", bytes: 1234 }],
};
const withField = (patch: Record<string, unknown>) => bytes(JSON.stringify({ ...valid, ...patch }));
const without = (key: string) => {
  const copy: Record<string, unknown> = { ...valid };
  delete copy[key];
  return bytes(JSON.stringify(copy));
};

function reasonOf(input: Uint8Array, limits = DEFAULT_RESULT_LIMITS): string {
  const outcome = parseResult(input, limits);
  if (outcome.ok) throw new Error("expected a violation");
  return outcome.reason;
}

describe("parseResult: accepted results", () => {
  test("a well-formed result comes back field by field", () => {
    const outcome = parseResult(withField({}));
    expect(outcome).toEqual({
      ok: true,
      result: {
        contract_version: 2,
        status: "succeeded",
        error_summary: null,
        outputs: [{ kind: "markdown", markdown: "# Hej" }],
        next_actions: [],
        state: null,
        artifacts: [{ path: "output/rapport.pdf", bytes: 1234 }],
      },
    });
  });

  test.each(["succeeded", "failed", "timed_out"])("status %s", (status) => {
    const outcome = parseResult(withField({ status, error_summary: status === "succeeded" ? null : "Något gick fel." }));
    expect(outcome.ok && outcome.result.status).toBe(status);
  });

  test("state object and nested artifact folders", () => {
    const outcome = parseResult(withField({ state: { step: 2 }, artifacts: [{ path: "output/a/b/c.txt", bytes: 0 }] }));
    expect(outcome.ok && outcome.result.state).toEqual({ step: 2 });
    expect(outcome.ok && outcome.result.artifacts).toEqual([{ path: "output/a/b/c.txt", bytes: 0 }]);
  });

  test("keys this version does not know are ignored", () => {
    const outcome = parseResult(withField({ harness_version: "3.0" }));
    expect(outcome.ok && Object.keys(outcome.result)).toEqual(["contract_version", "status", "error_summary", "outputs", "next_actions", "state", "artifacts"]);
  });

  test("error_summary is cut at 20,000 bytes on a character boundary", () => {
    const long = `${"a".repeat(19_999)}åäö`; // å starts at byte 19,999 and needs 2 bytes: it does not fit
    const outcome = parseResult(withField({ status: "failed", error_summary: long }));
    expect(outcome.ok && outcome.result.error_summary).toBe("a".repeat(19_999));
    const exact = "ö".repeat(10_000); // exactly 20,000 bytes
    const kept = parseResult(withField({ status: "failed", error_summary: exact }));
    expect(kept.ok && kept.result.error_summary).toBe(exact);
  });

  test("NUL and lone surrogates become U+FFFD in values and keys (jsonb refuses them)", () => {
    const raw = '{"contract_version":2,"status":"succeeded","error_summary":"a\\u0000b","outputs":[{"kind":"markdown","markdown":"x\\ud800y"}],"next_actions":[],"state":{"k\\u0000":"\\udc00"},"artifacts":[]}';
    const outcome = parseResult(bytes(raw));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.result.error_summary).toBe("a\ufffdb");
    expect(outcome.result.outputs).toEqual([{ kind: "markdown", markdown: "x\ufffdy" }]);
    expect(outcome.result.state).toEqual({ "k\ufffd": "\ufffd" });
  });

  test('a "__proto__" key stays an own property', () => {
    const outcome = parseResult(bytes('{"contract_version":2,"status":"succeeded","error_summary":null,"outputs":[],"next_actions":[],"state":{"__proto__":{"x":1}},"artifacts":[]}'));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(Object.hasOwn(outcome.result.state!, "__proto__")).toBe(true);
    expect(JSON.stringify(outcome.result.state)).toBe('{"__proto__":{"x":1}}');
    expect(Object.getPrototypeOf(outcome.result.state)).toBe(Object.prototype);
  });

  test("a byte order mark before the JSON is tolerated", () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...withField({})]);
    expect(parseResult(withBom).ok).toBe(true);
  });
});

describe("parseResult: contract violations", () => {
  test.each([
    ["empty file", new Uint8Array(0), "runner contract violation: result.json is empty"],
    ["not JSON", bytes("{not json"), "runner contract violation: result.json is not valid JSON"],
    ["truncated JSON", bytes('{"contract_version":2,"status":"succ'), "runner contract violation: result.json is not valid JSON"],
    ["a list", bytes("[]"), "runner contract violation: result.json is not a JSON object"],
    ["null", bytes("null"), "runner contract violation: result.json is not a JSON object"],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), "runner contract violation: result.json is not valid UTF-8"],
    ["contract_version 1", withField({ contract_version: 1 }), "runner contract violation: contract_version must be 2, got 1"],
    ["contract_version as text", withField({ contract_version: "2" }), 'runner contract violation: contract_version must be 2, got "2"'],
    ["contract_version missing", without("contract_version"), "runner contract violation: contract_version must be 2, got undefined"],
    ["unknown status", withField({ status: "ok" }), 'runner contract violation: status must be "succeeded", "failed" or "timed_out", got "ok"'],
    ["status missing", without("status"), 'runner contract violation: status must be "succeeded", "failed" or "timed_out", got undefined'],
    ["error_summary a number", withField({ error_summary: 3 }), "runner contract violation: error_summary must be a string or null"],
    ["error_summary missing", without("error_summary"), "runner contract violation: error_summary must be a string or null"],
    ["outputs an object", withField({ outputs: {} }), "runner contract violation: outputs must be a list"],
    ["outputs missing", without("outputs"), "runner contract violation: outputs must be a list"],
    ["next_actions null", withField({ next_actions: null }), "runner contract violation: next_actions must be a list"],
    ["artifacts missing", without("artifacts"), "runner contract violation: artifacts must be a list"],
    ["state a list", withField({ state: [] }), "runner contract violation: state must be an object or null"],
    ["state a string", withField({ state: "x" }), "runner contract violation: state must be an object or null"],
    ["state missing", without("state"), "runner contract violation: state must be an object or null"],
    ["artifact not an object", withField({ artifacts: ["output/a"] }), "runner contract violation: artifacts[0] must be an object {path, bytes}"],
    ["artifact bytes negative", withField({ artifacts: [{ path: "output/a", bytes: -1 }] }), "runner contract violation: artifacts[0].bytes must be a non-negative integer"],
    ["artifact bytes fractional", withField({ artifacts: [{ path: "output/a", bytes: 1.5 }] }), "runner contract violation: artifacts[0].bytes must be a non-negative integer"],
    ["artifact bytes text", withField({ artifacts: [{ path: "output/a", bytes: "3" }] }), "runner contract violation: artifacts[0].bytes must be a non-negative integer"],
    ["artifact bytes missing", withField({ artifacts: [{ path: "output/a" }] }), "runner contract violation: artifacts[0].bytes must be a non-negative integer"],
    [
      "artifact listed twice",
      withField({ artifacts: [{ path: "output/a", bytes: 1 }, { path: "output/a", bytes: 1 }] }),
      'runner contract violation: artifacts[1].path "output/a" is listed twice',
    ],
  ])("%s", (_name, input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  test.each([
    "input/secret.txt",
    "/work/output/a.txt",
    "/output/a.txt",
    "output/",
    "output",
    "output/../result.json",
    "output/a/../../etc/passwd",
    "output/./a.txt",
    "output//a.txt",
    "output/a/",
    "output/..",
    "output\\..\\a.txt",
    "output/a\\..\\..\\b",
    "output/a\u0000.txt",
    "output/a\nb.txt",
    "output/a\rb.txt",
    "output/a\u007fb",
    "./output/a.txt",
    "Output/a.txt",
    " output/a.txt",
  ])("artifact path %j is refused", (path) => {
    expect(isValidArtifactPath(path)).toBe(false);
    expect(reasonOf(withField({ artifacts: [{ path, bytes: 1 }] }))).toBe(
      `runner contract violation: artifacts[0].path must be a relative path under output/, got ${JSON.stringify(path)}`,
    );
  });

  test("a lone surrogate in a path is refused before it could be stored as U+FFFD", () => {
    expect(isValidArtifactPath("output/a\ud800.txt")).toBe(false);
  });

  test("an artifact path longer than PATH_MAX is refused", () => {
    expect(isValidArtifactPath(`output/${"a".repeat(4090)}`)).toBe(false); // 4097 bytes
    expect(isValidArtifactPath(`output/${"a".repeat(4089)}`)).toBe(true); // 4096 bytes
  });

  test.each(["output/a.txt", "output/rapport 2024 (slutlig).pdf", "output/undermapp/åäö.csv", "output/.hidden", "output/a..b", "output/...x"])("artifact path %j is accepted", (path) => {
    expect(isValidArtifactPath(path)).toBe(true);
  });

  test("the shown value in a message is shortened", () => {
    const reason = reasonOf(withField({ status: "x".repeat(500) }));
    expect(reason).toBe(`runner contract violation: status must be "succeeded", "failed" or "timed_out", got "${"x".repeat(79)}…`);
  });

  test("violations come in Swedish too", () => {
    const outcome = parseResult(bytes("{"));
    expect(outcome).toEqual({
      ok: false,
      reason: "runner contract violation: result.json is not valid JSON",
      reasonSv: "körmiljön bröt mot kontraktet: result.json är inte giltig JSON",
    });
  });
});

describe("parseResult: size and depth are checked before parsing", () => {
  test("a file over the limit is refused by its length alone", () => {
    const limits = { maxBytes: 100, maxDepth: 64 };
    // 101 bytes of something that is not even JSON: the size check comes first
    expect(reasonOf(new Uint8Array(101).fill(0x41), limits)).toBe("runner contract violation: result.json is larger than 100 bytes");
    expect(parseResult(withField({}), { maxBytes: withField({}).length, maxDepth: 64 }).ok).toBe(true);
  });

  test("a 100 MB result is refused quickly", () => {
    const huge = new Uint8Array(100 * 1024 * 1024); // zeros: parsing would fail anyway, but must not be tried
    const started = performance.now();
    expect(reasonOf(huge)).toBe(`runner contract violation: result.json is larger than ${8 * 1024 * 1024} bytes`);
    expect(performance.now() - started).toBeLessThan(50);
  });

  test("deep nesting is refused without parsing", () => {
    const deep = `{"contract_version":2,"status":"succeeded","error_summary":null,"outputs":[${"[".repeat(100)}${"]".repeat(100)}],"next_actions":[],"state":null,"artifacts":[]}`;
    expect(reasonOf(bytes(deep))).toBe("runner contract violation: result.json is nested deeper than 64 levels");
    const millionDeep = new Uint8Array(1_000_000).fill(0x5b); // "[[[[…"
    expect(reasonOf(millionDeep)).toBe("runner contract violation: result.json is nested deeper than 64 levels");
  });

  test("brackets inside strings do not count as nesting", () => {
    const text = `{"contract_version":2,"status":"succeeded","error_summary":"${"[{".repeat(200)} \\" ${"[".repeat(100)}","outputs":[],"next_actions":[],"state":null,"artifacts":[]}`;
    expect(parseResult(bytes(text)).ok).toBe(true);
  });

  test("jsonNestingDepth counts objects and lists", () => {
    expect(jsonNestingDepth(bytes('{"a":[{"b":[]}]}'), 64)).toBe(4);
    expect(jsonNestingDepth(bytes('"[[["'), 64)).toBe(0);
    expect(jsonNestingDepth(bytes('["\\\\",[1]]'), 64)).toBe(2); // an escaped backslash does not swallow the closing quote
    expect(jsonNestingDepth(bytes("[[[[[[[[[["), 3)).toBe(4); // stops as soon as it passes the limit
  });
});

describe("storable strings", () => {
  test("storableString replaces NUL and lone surrogates, keeps pairs", () => {
    expect(storableString("a\u0000b\u0000")).toBe("a\ufffdb\ufffd");
    expect(storableString("\ud83d\ude00 ok")).toBe("\ud83d\ude00 ok");
    expect(storableString("x\udc00")).toBe("x\ufffd");
    expect(storableString("vanlig text")).toBe("vanlig text");
  });

  test("storableJson walks lists and objects", () => {
    expect(storableJson([{ "a\u0000": ["\u0000", 1, true, null] }])).toEqual([{ "a\ufffd": ["\ufffd", 1, true, null] }]);
  });
});

describe("UTF-8 measuring (contract.types)", () => {
  test("utf8Length counts bytes", () => {
    expect(utf8Length("abc")).toBe(3);
    expect(utf8Length("åäö")).toBe(6);
    expect(utf8Length("€")).toBe(3);
    expect(utf8Length("😀")).toBe(4);
  });

  test.each([
    ["abc", 2, "ab"],
    ["åäö", 5, "åä"],
    ["åäö", 6, "åäö"],
    ["a€", 3, "a"],
    ["😀😀", 7, "😀"],
    ["😀", 3, ""],
    ["x", 0, ""],
  ])("cutUtf8(%j, %d) = %j", (text, max, expected) => {
    expect(cutUtf8(text, max)).toBe(expected);
    expect(utf8Length(cutUtf8(text, max))).toBeLessThanOrEqual(max);
  });
});
