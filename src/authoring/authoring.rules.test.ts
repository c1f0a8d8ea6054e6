import { describe, expect, test } from "bun:test";
import { canTransition, VERSION_STATES, type VersionState } from "../tools/tools.rules";
import {
  checkVersionContent,
  displayName,
  headOf,
  localizeProblems,
  LOCK_TTL_MS,
  lockExpiry,
  lockStatus,
  maySave,
  planAcquire,
  planHeartbeat,
  planRequestChanges,
  planReviewPublish,
  planRollback,
  planSubmit,
  slugProblem,
  toolFieldProblems,
  type VersionLite,
} from "./authoring.rules";

const GOOD = {
  source: "def run_tool(input_dir, output_dir):\n    return 'hej'\n",
  entrypoint: "run_tool",
  input_schema: [{ kind: "string", name: "title", label: "Titel" }],
  settings_schema: null,
  usage_instructions: "# Hur\nKör.",
};

describe("checkVersionContent", () => {
  test("valid content passes; empty settings are stored as null", () => {
    const r = checkVersionContent({ ...GOOD, settings_schema: [] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.content.settings_schema).toBeNull();
  });

  test("a bad input field kind is reported with its JSON pointer, in both languages", () => {
    const r = checkVersionContent({ ...GOOD, input_schema: [GOOD.input_schema[0], { kind: "colour", name: "c", label: "C" }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths.some((p) => p.startsWith("/input_schema/1"))).toBe(true);
    const p = r.problems.find((x) => x.path.startsWith("/input_schema/1"))!;
    expect(p.sv).not.toBe(p.en);
    expect(localizeProblems([p], "en")[0]).toEqual({ path: p.path, message: p.en });
  });

  test("all problems at once: entrypoint, source, schemas and instructions", () => {
    const r = checkVersionContent({ source: "", entrypoint: "class", input_schema: {}, settings_schema: "x", usage_instructions: "å".repeat(40_000) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual(["/entrypoint", "/input_schema", "/settings_schema", "/source", "/usage_instructions"]);
  });

  test("the entrypoint must be defined at the top level and synchronously", () => {
    const missing = checkVersionContent({ ...GOOD, entrypoint: "main" });
    expect(missing.ok ? [] : missing.problems.map((p) => p.path)).toEqual(["/source"]);
    const asyncDef = checkVersionContent({ ...GOOD, source: "async def run_tool(a, b):\n    pass\n" });
    expect(asyncDef.ok ? "" : asyncDef.problems[0]!.en).toContain("async def");
    const nested = checkVersionContent({ ...GOOD, source: "class X:\n    def run_tool(a, b):\n        pass\n" });
    expect(nested.ok).toBe(false);
  });

  test("an invalid settings field is reported under /settings_schema", () => {
    const r = checkVersionContent({ ...GOOD, settings_schema: [{ kind: "file", name: "f", label: "F" }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.every((p) => p.path.startsWith("/settings_schema"))).toBe(true);
  });
});

describe("tool fields", () => {
  const taxonomy = { professions: new Set(["larare"]), categories: new Set(["betyg"]) };

  test.each([
    ["betyg-csv", true],
    ["elevlista2", true],
    ["a", true],
    ["Betyg", false],
    ["betyg--csv", false],
    ["-betyg", false],
    ["betyg-", false],
    ["betyg_csv", false],
    ["", false],
    ["a".repeat(65), false],
  ])("slug %p valid: %p", (slug, ok) => {
    expect(slugProblem(slug) === null).toBe(ok);
  });

  test("a slug problem suggests a valid slug", () => {
    expect(slugProblem("Betyg & Närvaro")!.en).toContain('"betyg-narvaro"');
  });

  test("unknown and duplicate tags, empty title and long summary are reported with paths", () => {
    const problems = toolFieldProblems({ title: "  ", summary: "x".repeat(1001), professions: ["larare", "larare"], categories: ["okand"] }, taxonomy);
    expect(problems.map((p) => p.path)).toEqual(["/title", "/summary", "/professions/1", "/categories/0"]);
  });

  test("only given fields are checked", () => {
    expect(toolFieldProblems({}, taxonomy)).toEqual([]);
    expect(toolFieldProblems({ professions: ["larare"], categories: ["betyg"], slug: "ok" }, taxonomy)).toEqual([]);
  });
});

describe("draft lock", () => {
  const now = new Date("2026-03-02T08:00:00Z");
  const later = (ms: number) => new Date(now.getTime() + ms);
  const held = { holderId: "anna", expiresAt: lockExpiry(now) };

  test("status: free without a lock or after expiry, mine for the holder, held for others", () => {
    expect(lockStatus(null, "anna", now)).toBe("free");
    expect(lockStatus(held, "anna", now)).toBe("mine");
    expect(lockStatus(held, "bo", now)).toBe("held");
    expect(lockStatus(held, "bo", later(LOCK_TTL_MS))).toBe("free");
    expect(lockStatus(held, "bo", later(LOCK_TTL_MS - 1))).toBe("held");
  });

  test("acquire: free or own lock for anyone; a live lock only by an admin taking over", () => {
    expect(planAcquire(null, { id: "bo", isAdmin: false }, now, false)).toEqual({ ok: true, takeOver: false });
    expect(planAcquire(held, { id: "anna", isAdmin: false }, now, false)).toEqual({ ok: true, takeOver: false });
    expect(planAcquire(held, { id: "bo", isAdmin: false }, now, false)).toEqual({ ok: false, reason: "locked" });
    expect(planAcquire(held, { id: "bo", isAdmin: false }, now, true)).toEqual({ ok: false, reason: "take_over_forbidden" });
    expect(planAcquire(held, { id: "admin", isAdmin: true }, now, false)).toEqual({ ok: false, reason: "locked" });
    expect(planAcquire(held, { id: "admin", isAdmin: true }, now, true)).toEqual({ ok: true, takeOver: true });
    expect(planAcquire(held, { id: "bo", isAdmin: false }, later(LOCK_TTL_MS), false)).toEqual({ ok: true, takeOver: false });
  });

  test("heartbeat renews own or expired locks; a lock someone else holds is lost", () => {
    expect(planHeartbeat(held, "anna", now)).toBe("renew");
    expect(planHeartbeat(held, "bo", now)).toBe("lost");
    expect(planHeartbeat(held, "bo", later(LOCK_TTL_MS + 1))).toBe("renew");
    expect(planHeartbeat(null, "bo", now)).toBe("renew");
  });

  test("saving needs the lock or no live lock", () => {
    expect(maySave(null, "bo", now)).toBe(true);
    expect(maySave(held, "anna", now)).toBe(true);
    expect(maySave(held, "bo", now)).toBe(false);
    expect(maySave(held, "bo", later(LOCK_TTL_MS))).toBe(true);
  });
});

describe("review lifecycle", () => {
  const v = (id: string, number: number, state: VersionState): VersionLite => ({ id, number, state });

  test("the head is the newest version in any state", () => {
    expect(headOf([])).toBeNull();
    expect(headOf([v("a", 1, "active"), v("c", 3, "in_review"), v("b", 2, "draft")])!.id).toBe("c");
  });

  test("submit: draft → in_review, an older submission goes back to draft", () => {
    const versions = [v("a", 1, "in_review"), v("b", 2, "draft")];
    expect(planSubmit(versions, "b")).toEqual({
      ok: true,
      changes: [
        { versionId: "a", from: "in_review", to: "draft" },
        { versionId: "b", from: "draft", to: "in_review" },
      ],
    });
  });

  test("request changes: in_review → draft only", () => {
    expect(planRequestChanges([v("a", 1, "in_review")], "a")).toEqual({ ok: true, changes: [{ versionId: "a", from: "in_review", to: "draft" }] });
    expect(planRequestChanges([v("a", 1, "draft")], "a")).toEqual({ ok: false, from: "draft", to: "draft" });
  });

  test("publish: in_review → active and the old active archived; a draft cannot skip review", () => {
    const versions = [v("a", 1, "active"), v("b", 2, "in_review"), v("c", 3, "draft")];
    expect(planReviewPublish(versions, "b")).toEqual({
      ok: true,
      changes: [
        { versionId: "a", from: "active", to: "archived" },
        { versionId: "b", from: "in_review", to: "active" },
      ],
    });
    expect(planReviewPublish(versions, "c")).toEqual({ ok: false, from: "draft", to: "active" });
    expect(planReviewPublish(versions, "a")).toEqual({ ok: false, from: "active", to: "active" });
  });

  test("rollback: archived → active and the current active archived", () => {
    const versions = [v("a", 1, "archived"), v("b", 2, "active")];
    expect(planRollback(versions, "a")).toEqual({
      ok: true,
      changes: [
        { versionId: "b", from: "active", to: "archived" },
        { versionId: "a", from: "archived", to: "active" },
      ],
    });
    expect(planRollback(versions, "b")).toEqual({ ok: false, from: "active", to: "active" });
  });

  // Exhaustive: every step from every state either follows the model's transitions or is refused.
  const steps = [
    { name: "submit", plan: planSubmit, to: "in_review" as const },
    { name: "request changes", plan: planRequestChanges, to: "draft" as const },
    { name: "publish", plan: planReviewPublish, to: "active" as const },
    { name: "rollback", plan: planRollback, to: "active" as const },
  ];
  const allowedFrom: Record<string, VersionState> = { submit: "draft", "request changes": "in_review", publish: "in_review", rollback: "archived" };
  for (const step of steps) {
    for (const state of VERSION_STATES) {
      test(`${step.name} from ${state}`, () => {
        const plan = step.plan([v("x", 1, state), v("y", 2, "active")].filter((x, i) => i === 0 || state !== "active"), "x");
        expect(plan.ok).toBe(allowedFrom[step.name] === state);
        if (plan.ok) {
          for (const c of plan.changes) expect(canTransition(c.from, c.to)).toBe(true);
          expect(plan.changes.at(-1)).toEqual({ versionId: "x", from: state, to: step.to });
        }
      });
    }
  }

  test("an unknown version is a programming error", () => {
    expect(() => planSubmit([], "x")).toThrow();
  });
});

test("displayName falls back to the e-mail", () => {
  expect(displayName({ email: "a@b.se", firstName: "Anna", lastName: "Berg" })).toBe("Anna Berg");
  expect(displayName({ email: "a@b.se", firstName: "", lastName: "" })).toBe("a@b.se");
});
