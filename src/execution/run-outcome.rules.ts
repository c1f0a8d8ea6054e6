// What a finished container means for its run (ARCHITECTURE "A run, end to end" step 4): the driver's
// outcome → the run's terminal status, error_summary, stored UI payload and the state to keep. Pure.
//
// Order of the checks (the first that applies decides):
//   1. cancelled                → cancelled
//   2. deadline hit             → timed_out (result.json, if any, is ignored: the script did not finish)
//   3. OOM-killed               → failed, memory message
//   4. result.json missing/unreadable, a rejected file in /work/output (symlink, device, over a cap),
//      or result.json invalid   → failed, "runner contract violation: …" (the payload is not trusted)
//   5. result.json valid        → its status and error_summary; outputs normalized (payload.rules)
// Decisions beyond the contract:
// - A failed run keeps its outputs (partial output helps the author) but offers no next actions.
// - State is written only when the run SUCCEEDED (then per state.rules: first runs with next actions,
//   every action run). A failed action run (say, a ToolUserError asking for another value) leaves the
//   state and its revision alone, so the user can press the same button again from the previous run
//   instead of hitting a stale revision.
// - A compile error of the script (syntax-error.rules.ts) gets the contract's line/column/caret message.
// - stdout/stderr are made storable (PostgreSQL text refuses NUL) and say where they were cut.
import { CONTRACT_LIMITS, cutUtf8, type Bilingual, type JsonObject, type UiPayload } from "./contract.types";
import { normalizeNextActions, normalizePayload } from "./payload.rules";
import { parseResult, storableString } from "./result.rules";
import { RUN_TEXT, systemSummary } from "./run-messages";
import type { RunOutcome } from "./runner-driver";
import { decideStateWrite } from "./state.rules";
import { formatCompileError, isCompileFailure, parseCompileError } from "./syntax-error.rules";

export type TerminalStatus = "succeeded" | "failed" | "timed_out" | "cancelled";

export type StateWrite = { write: false } | { write: true; /** null: carry the previous state forward */ state: JsonObject | null };

export type RunVerdict = {
  status: TerminalStatus;
  errorSummary: string | null;
  uiPayload: UiPayload | null;
  state: StateWrite;
  stdout: string;
  stderr: string;
};

export type JudgeInput = {
  outcome: Pick<
    RunOutcome,
    "cancelled" | "timedOut" | "oomKilled" | "exitCode" | "stdout" | "stderr" | "stdoutTruncated" | "stderrTruncated" | "resultJson" | "resultProblem" | "outputProblems"
  >;
  isActionRun: boolean;
  /** The script's source, for the column of a compile error. */
  source: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Bytes kept of each stream (for the "cut" note). */
  logBytes: number;
};

const VIOLATION: Bilingual = { en: "runner contract violation: ", sv: "körmiljön bröt mot kontraktet: " };

function violation(detail: Bilingual): string {
  return systemSummary({ en: VIOLATION.en + detail.en, sv: VIOLATION.sv + detail.sv });
}

export function judgeOutcome(input: JudgeInput): RunVerdict {
  const { outcome } = input;
  const logs = {
    stdout: storableLog(outcome.stdout, outcome.stdoutTruncated, input.logBytes),
    stderr: storableLog(outcome.stderr, outcome.stderrTruncated, input.logBytes),
  };
  const fail = (status: TerminalStatus, errorSummary: string): RunVerdict => ({ status, errorSummary, uiPayload: null, state: { write: false }, ...logs });

  if (outcome.cancelled) return fail("cancelled", systemSummary(RUN_TEXT.cancelled));
  if (outcome.timedOut) return fail("timed_out", systemSummary(RUN_TEXT.timedOut(input.timeoutSeconds)));
  if (outcome.oomKilled) return fail("failed", systemSummary(RUN_TEXT.outOfMemory(input.memoryMb)));
  if (outcome.resultJson === null) {
    const why = outcome.resultProblem ?? "result.json is missing";
    const exit = outcome.exitCode !== null && outcome.exitCode !== 0 ? { en: ` (the container exited with code ${outcome.exitCode})`, sv: ` (containern avslutades med kod ${outcome.exitCode})` } : { en: "", sv: "" };
    return fail("failed", violation({ en: `${why}${exit.en}`, sv: `${why}${exit.sv}` }));
  }
  const problem = outcome.outputProblems[0];
  if (problem) {
    const more = outcome.outputProblems.length - 1;
    const detail = `${problem.path}: ${problem.reason}`;
    return fail(
      "failed",
      violation({
        en: `${detail}${more > 0 ? ` (and ${more} more)` : ""}`,
        sv: `${detail}${more > 0 ? ` (och ${more} till)` : ""}`,
      }),
    );
  }
  const parsed = parseResult(outcome.resultJson);
  if (!parsed.ok) return fail("failed", `${parsed.reason}\n${parsed.reasonSv}`);

  const result = parsed.result;
  const succeeded = result.status === "succeeded";
  const nextActions = succeeded ? result.next_actions : [];
  const { actions } = normalizeNextActions(nextActions);
  const decision = succeeded ? decideStateWrite({ isActionRun: input.isActionRun, nextActionsCount: actions.length, state: result.state }) : { write: false as const };
  const { payload } = normalizePayload({
    outputs: result.outputs,
    next_actions: nextActions,
    extraNotices: decision.write && decision.notice ? [decision.notice] : [],
  });

  let errorSummary = succeeded ? null : result.error_summary;
  if (!succeeded && isCompileFailure(errorSummary)) {
    const compile = parseCompileError(outcome.stderr, input.source);
    if (compile) errorSummary = cutUtf8(formatCompileError(compile), CONTRACT_LIMITS.errorSummaryBytes);
  }
  return {
    status: result.status,
    errorSummary: errorSummary === null ? null : storableString(errorSummary),
    uiPayload: payload,
    state: decision.write ? { write: true, state: decision.state } : { write: false },
    ...logs,
  };
}

function storableLog(text: string, truncated: boolean, cap: number): string {
  const clean = storableString(text);
  return truncated ? `${clean}\n[skriptoteket: output cut at ${cap} bytes]` : clean;
}
