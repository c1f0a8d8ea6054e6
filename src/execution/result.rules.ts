// Strict validation of /work/result.json (tool contract §3). The harness always writes it; the server
// trusts nothing in it. Anything that does not match the contract fails the run with
// "runner contract violation: …". What is checked here, in order:
//   1. size first (a 100 MB file is refused without decoding or parsing it), then JSON nesting depth by
//      a byte scan (a deeply nested file cannot exhaust the stack of JSON.parse or of the rules after it)
//   2. UTF-8 (fatal), JSON syntax, a top-level object
//   3. contract_version 2, status, error_summary (cut at 20,000 bytes), outputs and next_actions are
//      lists (their items are the payload rules' business), state is an object or null, artifacts
//   4. artifact paths: "output/<relative path>", no "..", ".", empty segments, backslash, control
//      characters (NUL, newline …), no duplicates; bytes a non-negative integer
// Every string (values and keys) is made storable on the way: NUL and lone surrogates become U+FFFD,
// because PostgreSQL's jsonb refuses both and the payload and state are stored there. Keys this version
// does not know are ignored, so a newer harness can add some.
import {
  CONTRACT_LIMITS,
  RUN_STATUSES,
  cutUtf8,
  isPlainObject,
  setOwn,
  type Bilingual,
  type JsonObject,
  type JsonValue,
  type RunResultStatus,
  type RunnerArtifact,
  type RunnerResult,
} from "./contract.types";

export type ResultLimits = { maxBytes: number; maxDepth: number };
export const DEFAULT_RESULT_LIMITS: ResultLimits = { maxBytes: CONTRACT_LIMITS.resultBytes, maxDepth: CONTRACT_LIMITS.resultDepth };

export type ParseResultOutcome =
  | { ok: true; result: RunnerResult }
  /** reason: "runner contract violation: …" (English, for error_summary and logs); reasonSv the same in Swedish */
  | { ok: false; reason: string; reasonSv: string };

const PREFIX: Bilingual = { en: "runner contract violation: ", sv: "körmiljön bröt mot kontraktet: " };

const why = {
  empty: () => ({ en: "result.json is empty", sv: "result.json är tom" }),
  tooLarge: (max: number) => ({ en: `result.json is larger than ${max} bytes`, sv: `result.json är större än ${max} byte` }),
  tooDeep: (max: number) => ({ en: `result.json is nested deeper than ${max} levels`, sv: `result.json är nästlad djupare än ${max} nivåer` }),
  notUtf8: () => ({ en: "result.json is not valid UTF-8", sv: "result.json är inte giltig UTF-8" }),
  notJson: () => ({ en: "result.json is not valid JSON", sv: "result.json är inte giltig JSON" }),
  notObject: () => ({ en: "result.json is not a JSON object", sv: "result.json är inte ett JSON-objekt" }),
  version: (got: string) => ({
    en: `contract_version must be 2, got ${got}`,
    sv: `contract_version måste vara 2, men är ${got}`,
  }),
  status: (got: string) => ({
    en: `status must be "succeeded", "failed" or "timed_out", got ${got}`,
    sv: `status måste vara "succeeded", "failed" eller "timed_out", men är ${got}`,
  }),
  errorSummary: () => ({ en: "error_summary must be a string or null", sv: "error_summary måste vara en sträng eller null" }),
  notList: (key: string) => ({ en: `${key} must be a list`, sv: `${key} måste vara en lista` }),
  state: () => ({ en: "state must be an object or null", sv: "state måste vara ett objekt eller null" }),
  artifact: (i: number) => ({ en: `artifacts[${i}] must be an object {path, bytes}`, sv: `artifacts[${i}] måste vara ett objekt {path, bytes}` }),
  artifactPath: (i: number, got: string) => ({
    en: `artifacts[${i}].path must be a relative path under output/, got ${got}`,
    sv: `artifacts[${i}].path måste vara en relativ sökväg under output/, men är ${got}`,
  }),
  artifactDuplicate: (i: number, got: string) => ({
    en: `artifacts[${i}].path ${got} is listed twice`,
    sv: `artifacts[${i}].path ${got} finns med två gånger`,
  }),
  artifactBytes: (i: number) => ({
    en: `artifacts[${i}].bytes must be a non-negative integer`,
    sv: `artifacts[${i}].bytes måste vara ett icke-negativt heltal`,
  }),
};

function violation(text: Bilingual): ParseResultOutcome {
  return { ok: false, reason: PREFIX.en + text.en, reasonSv: PREFIX.sv + text.sv };
}

/** A value quoted for a message, shortened so a hostile result cannot flood the error summary. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

const ARTIFACT_PREFIX = "output/";
/** PATH_MAX on Linux: a longer path cannot have come from the container's filesystem. */
const ARTIFACT_PATH_MAX_BYTES = 4096;
// C0 controls, DEL; a name with a newline or NUL never comes from an honest script and would be
// dangerous in headers and logs.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** True for "output/<segments>" with every segment a real name (not "", ".", ".."), no backslash or control character. */
export function isValidArtifactPath(path: string): boolean {
  if (!path.startsWith(ARTIFACT_PREFIX) || path.length === ARTIFACT_PREFIX.length) return false;
  if (Buffer.byteLength(path, "utf8") > ARTIFACT_PATH_MAX_BYTES) return false;
  if (path.includes("\\") || CONTROL_CHARS.test(path) || !path.isWellFormed()) return false;
  return path
    .slice(ARTIFACT_PREFIX.length)
    .split("/")
    .every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Deepest [ / { nesting of JSON text, counted over bytes outside strings; stops early past `limit`. */
export function jsonNestingDepth(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return deepest;
}

/** NUL and lone surrogates → U+FFFD, in values and keys (see the file header). */
export function storableJson(value: unknown): JsonValue {
  if (typeof value === "string") return storableString(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, storableString(key), storableJson(item));
    return out;
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  return null; // not reachable for JSON.parse output
}

export function storableString(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes("\u0000") ? wellFormed.replaceAll("\u0000", "\ufffd") : wellFormed;
}

function checkArtifacts(list: unknown): RunnerArtifact[] | ParseResultOutcome {
  if (!Array.isArray(list)) return violation(why.notList("artifacts"));
  const artifacts: RunnerArtifact[] = [];
  const seen = new Set<string>();
  for (const [i, item] of list.entries()) {
    if (!isPlainObject(item)) return violation(why.artifact(i));
    const { path, bytes: size } = item;
    if (typeof path !== "string" || !isValidArtifactPath(path)) return violation(why.artifactPath(i, shown(path)));
    if (seen.has(path)) return violation(why.artifactDuplicate(i, shown(path)));
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return violation(why.artifactBytes(i));
    seen.add(path);
    artifacts.push({ path, bytes: size });
  }
  return artifacts;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

export function parseResult(bytes: Uint8Array, limits: ResultLimits = DEFAULT_RESULT_LIMITS): ParseResultOutcome {
  if (bytes.length === 0) return violation(why.empty());
  if (bytes.length > limits.maxBytes) return violation(why.tooLarge(limits.maxBytes));
  if (jsonNestingDepth(bytes, limits.maxDepth) > limits.maxDepth) return violation(why.tooDeep(limits.maxDepth));

  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return violation(why.notUtf8());
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return violation(why.notJson());
  }
  if (!isPlainObject(parsed)) return violation(why.notObject());
  if (parsed.contract_version !== 2) return violation(why.version(shown(parsed.contract_version)));
  const status = parsed.status;
  if (typeof status !== "string" || !(RUN_STATUSES as readonly string[]).includes(status)) return violation(why.status(shown(status)));
  const summary = parsed.error_summary;
  if (summary !== null && typeof summary !== "string") return violation(why.errorSummary());
  for (const key of ["outputs", "next_actions"] as const) {
    if (!Array.isArray(parsed[key])) return violation(why.notList(key));
  }
  const state = parsed.state;
  if (state !== null && !isPlainObject(state)) return violation(why.state());
  // artifact paths are checked as written: a NUL must be refused, not turned into U+FFFD first
  const artifacts = checkArtifacts(parsed.artifacts);
  if (!Array.isArray(artifacts)) return artifacts;

  return {
    ok: true,
    result: {
      contract_version: 2,
      status: status as RunResultStatus,
      // storable first: U+FFFD is longer than the NUL it replaces
      error_summary: summary === null ? null : cutUtf8(storableString(summary as string), CONTRACT_LIMITS.errorSummaryBytes),
      outputs: storableJson(parsed.outputs) as JsonValue[],
      next_actions: storableJson(parsed.next_actions) as JsonValue[],
      state: state === null ? null : (storableJson(state) as JsonObject),
      artifacts,
    },
  };
}
