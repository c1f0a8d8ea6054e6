import { describe, expect, test } from "bun:test";
import { judgeOutcome, type JudgeInput } from "./run-outcome.rules";

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
const result = (over: Record<string, unknown> = {}) =>
  enc({ contract_version: 2, status: "succeeded", error_summary: null, outputs: [], next_actions: [], state: null, artifacts: [], ...over });

function input(outcome: Partial<JudgeInput["outcome"]> = {}, over: Partial<Omit<JudgeInput, "outcome">> = {}): JudgeInput {
  return {
    outcome: {
      cancelled: false,
      timedOut: false,
      oomKilled: false,
      exitCode: 0,
      stdout: "",
      stderr: "",
      stdoutTruncated: false,
      stderrTruncated: false,
      resultJson: result(),
      outputProblems: [],
      ...outcome,
    },
    isActionRun: false,
    source: "def run_tool(i, o):\n    return ''\n",
    timeoutSeconds: 120,
    memoryMb: 1024,
    logBytes: 200_000,
    ...over,
  };
}

const ACTION = { action_id: "next", label: "Next", kind: "form", fields: [] };

describe("run outcome → terminal status", () => {
  test("succeeded: normalized payload, no error", () => {
    const v = judgeOutcome(input({ resultJson: result({ outputs: [{ kind: "markdown", markdown: "# Hej" }, { kind: "chart" }] }) }));
    expect(v.status).toBe("succeeded");
    expect(v.errorSummary).toBeNull();
    expect(v.uiPayload?.outputs[0]).toEqual({ kind: "markdown", markdown: "# Hej" });
    // the unknown kind was dropped with a system notice
    expect(v.uiPayload?.outputs[1]).toMatchObject({ kind: "notice", level: "warning" });
    expect(v.state).toEqual({ write: false });
  });

  test("cancel, timeout and OOM win over whatever result.json says", () => {
    expect(judgeOutcome(input({ cancelled: true, exitCode: 137 }))).toMatchObject({ status: "cancelled", errorSummary: "The run was cancelled.\nKörningen avbröts.", uiPayload: null });
    const t = judgeOutcome(input({ timedOut: true, exitCode: 137, resultJson: null }, { timeoutSeconds: 60 }));
    expect(t.status).toBe("timed_out");
    expect(t.errorSummary).toContain("longer than 60 seconds");
    expect(t.errorSummary).toContain("längre tid än 60 sekunder");
    const o = judgeOutcome(input({ oomKilled: true, exitCode: 137, resultJson: null }, { memoryMb: 512 }));
    expect(o.status).toBe("failed");
    expect(o.errorSummary).toContain("more memory than allowed (512 MB)");
    expect(o.errorSummary).toContain("mer minne än tillåtet (512 MB)");
  });

  test("contract violations: missing or invalid result.json, a rejected output file", () => {
    const missing = judgeOutcome(input({ resultJson: null, resultProblem: "result.json is missing", exitCode: 1 }));
    expect(missing).toMatchObject({ status: "failed", uiPayload: null });
    expect(missing.errorSummary).toBe(
      "runner contract violation: result.json is missing (the container exited with code 1)\nkörmiljön bröt mot kontraktet: result.json is missing (containern avslutades med kod 1)",
    );
    const invalid = judgeOutcome(input({ resultJson: enc('{"contract_version": 1}') }));
    expect(invalid.status).toBe("failed");
    expect(invalid.errorSummary?.startsWith("runner contract violation: contract_version must be 2")).toBe(true);
    const link = judgeOutcome(
      input({
        outputProblems: [
          { path: "output/evil", reason: "a symbolic link" },
          { path: "output/dev", reason: "not a regular file" },
        ],
      }),
    );
    expect(link.status).toBe("failed");
    expect(link.errorSummary?.split("\n")[0]).toBe("runner contract violation: output/evil: a symbolic link (and 1 more)");
  });

  test("a tool's failure keeps its outputs, offers no actions and writes no state", () => {
    const v = judgeOutcome(
      input({ resultJson: result({ status: "failed", error_summary: "Välj en fil.", outputs: [{ kind: "notice", level: "error", message: "x" }], next_actions: [ACTION], state: { a: 1 } }) }, { isActionRun: true }),
    );
    expect(v).toMatchObject({ status: "failed", errorSummary: "Välj en fil.", state: { write: false } });
    expect(v.uiPayload?.outputs).toEqual([{ kind: "notice", level: "error", message: "x" }]);
    expect(v.uiPayload?.next_actions).toEqual([]);
  });

  test("state: written with next actions, always after a successful action run (null carries forward)", () => {
    expect(judgeOutcome(input({ resultJson: result({ state: { a: 1 } }) })).state).toEqual({ write: false });
    expect(judgeOutcome(input({ resultJson: result({ next_actions: [ACTION], state: { a: 1 } }) })).state).toEqual({ write: true, state: { a: 1 } });
    expect(judgeOutcome(input({ resultJson: result({ next_actions: [ACTION] }) })).state).toEqual({ write: true, state: {} });
    expect(judgeOutcome(input({ resultJson: result({}) }, { isActionRun: true })).state).toEqual({ write: true, state: null });
  });

  test("a compile error gets line, column, code line and caret", () => {
    const stderr = ['  File "/work/script.py", line 1', "    def run_tool(:", "                 ^", "SyntaxError: invalid syntax", ""].join("\n");
    const v = judgeOutcome(input({ stderr, resultJson: result({ status: "failed", error_summary: "Tool execution failed (SyntaxError)." }) }, { source: "def run_tool(:\n" }));
    expect(v.status).toBe("failed");
    expect(v.errorSummary).toBe("SyntaxError on line 1, column 14: invalid syntax\nSyntaxfel (SyntaxError) på rad 1, kolumn 14: invalid syntax\n    def run_tool(:\n                 ^");
  });

  test("logs: NUL made storable, a cut is marked", () => {
    const v = judgeOutcome(input({ stdout: "a\u0000b", stderr: "x".repeat(10), stderrTruncated: true }, { logBytes: 10 }));
    expect(v.stdout).toBe("a\ufffdb");
    expect(v.stderr).toBe("xxxxxxxxxx\n[skriptoteket: output cut at 10 bytes]");
  });
});
