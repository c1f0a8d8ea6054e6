import { describe, expect, test } from "bun:test";
import { CONTRACT_LIMITS } from "./contract.types";
import { buildRunEnv, RUN_CAPS, runLimits, timeoutSeconds } from "./run-env.rules";
import { DEFAULT_RUN_CAPS } from "./runner-driver";

const runner = { memory_mb: 512, cpus: 2, pids_limit: 128, sandbox_timeout_seconds: 60, production_timeout_seconds: 120 };

describe("run environment (tool contract §2)", () => {
  test("a first run: every variable, compact JSON, no SKRIPTOTEKET_ACTION", () => {
    const env = buildRunEnv({
      entrypoint: "main",
      inputs: { title: "Åk 9", n: 3 },
      action: null,
      files: [
        { name: "elever.csv", bytes: 120 },
        { name: "b.pdf", bytes: 9 },
      ],
    });
    expect(env).toEqual({
      SKRIPTOTEKET_SCRIPT_PATH: "/work/script.py",
      SKRIPTOTEKET_ENTRYPOINT: "main",
      SKRIPTOTEKET_INPUT_DIR: "/work/input",
      SKRIPTOTEKET_OUTPUT_DIR: "/work/output",
      SKRIPTOTEKET_RESULT_PATH: "/work/result.json",
      SKRIPTOTEKET_INPUT_MANIFEST:
        '{"files":[{"name":"elever.csv","path":"/work/input/elever.csv","bytes":120},{"name":"b.pdf","path":"/work/input/b.pdf","bytes":9}]}',
      SKRIPTOTEKET_INPUTS: '{"title":"Åk 9","n":3}',
      SKRIPTOTEKET_MEMORY_PATH: "/work/memory.json",
      HOME: "/tmp/home",
      XDG_CACHE_HOME: "/tmp/home/.cache",
    });
  });

  test("an action run: SKRIPTOTEKET_ACTION carries the action; SKRIPTOTEKET_INPUTS is {}", () => {
    const env = buildRunEnv({ entrypoint: "run_tool", inputs: { title: "x" }, action: { action_id: "next", input: { a: 1 }, state: { step: 2 } }, files: [] });
    expect(env.SKRIPTOTEKET_ACTION).toBe('{"action_id":"next","input":{"a":1},"state":{"step":2}}');
    expect(env.SKRIPTOTEKET_INPUTS).toBe("{}");
    expect(env.SKRIPTOTEKET_INPUT_MANIFEST).toBe('{"files":[]}');
  });

  test("limits and timeouts come from [runner]", () => {
    expect(runLimits(runner)).toMatchObject({ memoryBytes: 512 * 1024 * 1024, nanoCpus: 2_000_000_000, pidsLimit: 128 });
    expect(timeoutSeconds("sandbox", runner)).toBe(60);
    expect(timeoutSeconds("production", runner)).toBe(120);
  });

  test("result.json may be as large as the result rules accept; the other caps are the contract's", () => {
    expect(RUN_CAPS.resultBytes).toBe(CONTRACT_LIMITS.resultBytes);
    expect(RUN_CAPS.logBytes).toBe(200_000);
    expect({ ...RUN_CAPS, resultBytes: DEFAULT_RUN_CAPS.resultBytes }).toEqual(DEFAULT_RUN_CAPS);
  });
});
