import { describe, expect, test } from "bun:test";
import { jsonBytes, type JsonObject } from "./contract.types";
import { decideStateWrite, fitStateToBudget, isStaleRevision, sortKeysDeep, stateNotice } from "./state.rules";

describe("decideStateWrite: when state is written", () => {
  test("a first run without next actions writes nothing, whatever state it returned", () => {
    expect(decideStateWrite({ isActionRun: false, nextActionsCount: 0, state: { step: 1 } })).toEqual({ write: false });
    expect(decideStateWrite({ isActionRun: false, nextActionsCount: 0, state: null })).toEqual({ write: false });
  });

  test("a first run with next actions writes its state", () => {
    expect(decideStateWrite({ isActionRun: false, nextActionsCount: 2, state: { step: 1 } })).toEqual({ write: true, state: { step: 1 }, droppedKeys: [], notice: null });
  });

  test("a first run with next actions and no state starts from {}", () => {
    expect(decideStateWrite({ isActionRun: false, nextActionsCount: 1, state: null })).toEqual({ write: true, state: {}, droppedKeys: [], notice: null });
  });

  test("an action run always writes, also without next actions", () => {
    expect(decideStateWrite({ isActionRun: true, nextActionsCount: 0, state: { done: true } })).toEqual({ write: true, state: { done: true }, droppedKeys: [], notice: null });
    expect(decideStateWrite({ isActionRun: true, nextActionsCount: 3, state: {} })).toEqual({ write: true, state: {}, droppedKeys: [], notice: null });
  });

  test("an action run without state carries the previous state forward (state null)", () => {
    expect(decideStateWrite({ isActionRun: true, nextActionsCount: 1, state: null })).toEqual({ write: true, state: null, droppedKeys: [], notice: null });
    expect(decideStateWrite({ isActionRun: true, nextActionsCount: 0, state: null })).toEqual({ write: true, state: null, droppedKeys: [], notice: null });
  });

  test("written state has its keys sorted at every level", () => {
    const decision = decideStateWrite({ isActionRun: true, nextActionsCount: 0, state: { b: { z: 1, a: [{ y: 1, x: 2 }] }, a: 1 } });
    expect(decision.write && JSON.stringify(decision.state)).toBe('{"a":1,"b":{"a":[{"x":2,"y":1}],"z":1}}');
  });
});

describe("fitStateToBudget: 64 KiB, largest sorted prefix", () => {
  test("state within the budget is kept whole", () => {
    expect(fitStateToBudget({ b: 2, a: 1 })).toEqual({ state: { a: 1, b: 2 }, droppedKeys: [] });
  });

  test("exactly at the budget fits; one byte more does not", () => {
    // {"a":"…"} is 8 bytes of frame + the string: 65,536 - 8 = 65,528 characters fill it exactly
    const exact: JsonObject = { a: "x".repeat(65_528) };
    expect(jsonBytes(exact)).toBe(65_536);
    expect(fitStateToBudget(exact)).toEqual({ state: exact, droppedKeys: [] });
    const over: JsonObject = { a: "x".repeat(65_529) };
    expect(fitStateToBudget(over)).toEqual({ state: {}, droppedKeys: ["a"] });
  });

  test("keys are taken in sorted order until the next one no longer fits; later keys go even if small", () => {
    const state: JsonObject = { c: "x".repeat(30_000), a: "x".repeat(30_000), b: "x".repeat(30_000), d: 1 };
    const fitted = fitStateToBudget(state);
    expect(Object.keys(fitted.state)).toEqual(["a", "b"]);
    expect(fitted.droppedKeys).toEqual(["c", "d"]);
    expect(jsonBytes(fitted.state)).toBeLessThanOrEqual(65_536);
  });

  test("the incremental size equals the serialized size for tricky keys and values", () => {
    const state: JsonObject = { "å\"\n": "ö".repeat(100), "😀": [1, { z: null }], "10": true, "2": "a\\b", __proto__x: {} };
    const fitted = fitStateToBudget(state, jsonBytes(state));
    expect(fitted.droppedKeys).toEqual([]);
    const oneLess = fitStateToBudget(state, jsonBytes(state) - 1);
    expect(oneLess.droppedKeys.length).toBe(1);
    expect(jsonBytes(oneLess.state)).toBeLessThanOrEqual(jsonBytes(state) - 1);
  });

  test("sort order is UTF-16 code units (uppercase before lowercase, digits first)", () => {
    // {"1":1,"B":1} is 13 bytes: room for exactly two entries
    const fitted = fitStateToBudget({ b: 1, B: 1, "1": 1, å: 1, a: 1 }, 13);
    expect(fitted).toEqual({ state: { "1": 1, B: 1 }, droppedKeys: ["a", "b", "å"] });
  });

  test("a '__proto__' key is kept as data", () => {
    const state = JSON.parse('{"__proto__":{"x":1},"a":1}') as JsonObject;
    const fitted = fitStateToBudget(state);
    expect(JSON.stringify(fitted.state)).toBe('{"__proto__":{"x":1},"a":1}');
  });

  test("a custom budget smaller than {} keeps nothing", () => {
    expect(fitStateToBudget({ a: 1 }, 1)).toEqual({ state: {}, droppedKeys: ["a"] });
  });
});

describe("state notice", () => {
  test("dropping keys yields a bilingual notice naming them", () => {
    const decision = decideStateWrite({ isActionRun: true, nextActionsCount: 0, state: { a: "x".repeat(70_000), b: 1 } });
    expect(decision).toEqual({
      write: true,
      state: {},
      droppedKeys: ["a", "b"],
      notice: {
        en: 'State was cut to 65536 bytes; keys left out: "a", "b".',
        sv: 'Tillståndet kortades till 65536 byte; nycklar som togs bort: "a", "b".',
      },
    });
  });

  test("at most ten keys are named, long keys are shortened", () => {
    const keys = Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, "0")}`);
    expect(stateNotice(keys)).toEqual({
      en: 'State was cut to 65536 bytes; keys left out: "k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09" and 2 more.',
      sv: 'Tillståndet kortades till 65536 byte; nycklar som togs bort: "k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09" och 2 till.',
    });
    expect(stateNotice(["x".repeat(100)]).en).toBe(`State was cut to 65536 bytes; keys left out: "${"x".repeat(64)}…".`);
  });
});

describe("sortKeysDeep and revisions", () => {
  test("sortKeysDeep keeps list order and sorts objects", () => {
    expect(JSON.stringify(sortKeysDeep([{ b: 1, a: 2 }, 3, "x", null]))).toBe('[{"a":2,"b":1},3,"x",null]');
  });

  test("a stale revision is any but the current one", () => {
    expect(isStaleRevision(4, 4)).toBe(false);
    expect(isStaleRevision(3, 4)).toBe(true);
    expect(isStaleRevision(5, 4)).toBe(true);
    expect(isStaleRevision(0, null)).toBe(true);
  });
});
