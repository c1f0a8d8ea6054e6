// State between action runs (tool contract §5): when a run's state is written and how it is fitted
// into its 64 KiB budget. Pure: the service stores what decideStateWrite returns.
//
// Decisions:
// - Written when the run returned at least one next action (after normalization), and always after an
//   action run. A first run that returns actions but no state starts the session with {} (state of an
//   earlier session must not leak into a new one). An action run that returns no state (null) keeps
//   the previous state: the new revision carries it forward, as the original Skriptoteket did; a
//   tool that wants to clear its state returns {}.
// - Budget: keys sorted (UTF-16 code units, JavaScript's default sort), nested objects sorted the same
//   way, and the largest prefix of keys whose compact JSON (UTF-8) fits 65,536 bytes is kept. Size is
//   measured exactly: {} is 2 bytes, each kept key adds its quoted name, ":", its value and "," between.
// - Dropping keys is an intervention: the decision carries a system notice (Bilingual) the caller passes
//   to normalizePayload as an extra notice, so the tool author sees it on the run page.
import { CONTRACT_LIMITS, isPlainObject, jsonBytes, setOwn, sortedKeys, utf8Length, type Bilingual, type JsonObject, type JsonValue } from "./contract.types";

export type StateDecision =
  | { write: false }
  /** state null: write a new revision that carries the previous state forward */
  | { write: true; state: JsonObject | null; droppedKeys: string[]; notice: Bilingual | null };

/** A deep copy with every object's keys in sorted order. */
export function sortKeysDeep(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const key of sortedKeys(value)) setOwn(out, key, sortKeysDeep(value[key] as JsonValue));
    return out;
  }
  return value;
}

/** The largest sorted-key prefix of `state` whose compact JSON fits `maxBytes`, and the keys left out. */
export function fitStateToBudget(state: JsonObject, maxBytes: number = CONTRACT_LIMITS.stateBytes): { state: JsonObject; droppedKeys: string[] } {
  const keys = sortedKeys(state);
  const kept: JsonObject = {};
  let size = 2; // "{}"
  let i = 0;
  for (; i < keys.length; i++) {
    const key = keys[i]!;
    const value = sortKeysDeep(state[key] as JsonValue);
    const entry = utf8Length(JSON.stringify(key)) + 1 + jsonBytes(value) + (i > 0 ? 1 : 0);
    if (size + entry > maxBytes) break;
    size += entry;
    setOwn(kept, key, value);
  }
  return { state: kept, droppedKeys: keys.slice(i) };
}

const SHOWN_KEYS = 10;

/** The system notice for dropped state keys: the budget and up to ten key names. */
export function stateNotice(droppedKeys: readonly string[], maxBytes: number = CONTRACT_LIMITS.stateBytes): Bilingual {
  const shown = droppedKeys.slice(0, SHOWN_KEYS).map((k) => JSON.stringify(k.length > 64 ? `${k.slice(0, 64)}…` : k));
  const more = droppedKeys.length - shown.length;
  const list = shown.join(", ");
  return {
    en: `State was cut to ${maxBytes} bytes; keys left out: ${list}${more > 0 ? ` and ${more} more` : ""}.`,
    sv: `Tillståndet kortades till ${maxBytes} byte; nycklar som togs bort: ${list}${more > 0 ? ` och ${more} till` : ""}.`,
  };
}

/**
 * Whether and what to write after a run. `nextActionsCount` is the number of next actions in the
 * normalized payload (normalizeNextActions(...).actions.length).
 */
export function decideStateWrite(input: { isActionRun: boolean; nextActionsCount: number; state: JsonObject | null }): StateDecision {
  const { isActionRun, nextActionsCount, state } = input;
  if (!isActionRun && nextActionsCount === 0) return { write: false };
  if (state === null) return isActionRun ? { write: true, state: null, droppedKeys: [], notice: null } : { write: true, state: {}, droppedKeys: [], notice: null };
  const fitted = fitStateToBudget(state);
  return { write: true, state: fitted.state, droppedKeys: fitted.droppedKeys, notice: fitted.droppedKeys.length > 0 ? stateNotice(fitted.droppedKeys) : null };
}

/**
 * §5: an action run names the state revision it continues from; any other than the current one is
 * stale (409). Without stored state (current null) there is nothing to continue from.
 */
export function isStaleRevision(requested: number, current: number | null): boolean {
  return current === null || requested !== current;
}
