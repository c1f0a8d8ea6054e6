import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import {
  canonicalJson,
  canTransition,
  contentHash,
  describeSlugProblem,
  isValidSlug,
  planPublish,
  slugChangeProblem,
  suggestSlug,
  VERSION_STATES,
  type VersionContent,
  type VersionState,
} from "./tools.rules";

describe("slugs", () => {
  test.each(["a", "betyg", "betyg-csv", "elevlista2", "9a-klasslista", "a-b-c", "x".repeat(64)])("%p is valid", (slug) => {
    expect(isValidSlug(slug)).toBe(true);
    expect(describeSlugProblem(slug)).toBeNull();
  });

  test.each([
    ["", "is empty"],
    ["x".repeat(65), "is 65 characters long. Shorten it to at most 64."],
    ["Betyg", '"Betyg" is not a valid slug'],
    ["betyg--csv", "single hyphens"],
    ["-betyg", "no hyphen first or last"],
    ["betyg-", "no hyphen first or last"],
    ["betyg_csv", "not a valid slug"],
    ["betyg csv", "not a valid slug"],
    ["närvaro", "not a valid slug"],
  ])("%p is invalid: %s", (slug, fragment) => {
    expect(isValidSlug(slug)).toBe(false);
    expect(describeSlugProblem(slug)).toContain(fragment);
  });

  test("the problem suggests a valid slug made from the text", () => {
    expect(describeSlugProblem("Betyg & Närvaro")).toContain('(for example "betyg-narvaro")');
    expect(suggestSlug("  Åk 9: Elevlista  ")).toBe("ak-9-elevlista");
    expect(suggestSlug("???")).toBe("");
    expect(isValidSlug(suggestSlug(`${"a".repeat(63)} b`))).toBe(true);
  });

  test("a slug changes freely while unpublished and is frozen once published", () => {
    expect(slugChangeProblem({ slug: "gammal", isPublished: false }, "ny")).toBeNull();
    expect(slugChangeProblem({ slug: "gammal", isPublished: false }, "Ny Slug")).toStartWith('The new slug "Ny Slug" is not a valid slug');
    expect(slugChangeProblem({ slug: "gammal", isPublished: true }, "ny")).toBe(
      'The slug "gammal" cannot change: the tool is published and its address is in use. Unpublish it first.',
    );
    expect(slugChangeProblem({ slug: "gammal", isPublished: true }, "gammal")).toBeNull();
  });
});

describe("version state transitions", () => {
  const allowed: [VersionState, VersionState][] = [
    ["draft", "in_review"],
    ["in_review", "draft"],
    ["in_review", "active"],
    ["active", "archived"],
    ["archived", "active"],
  ];

  test("exactly the documented moves are allowed", () => {
    for (const from of VERSION_STATES) {
      for (const to of VERSION_STATES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect({ from, to, ok: canTransition(from, to) }).toEqual({ from, to, ok: expected });
      }
    }
  });

  test("bypassing review adds only draft → active", () => {
    expect(canTransition("draft", "active", { bypassReview: true })).toBe(true);
    expect(canTransition("draft", "archived", { bypassReview: true })).toBe(false);
    expect(canTransition("active", "draft", { bypassReview: true })).toBe(false);
  });
});

describe("planPublish", () => {
  const v = (id: string, number: number, state: VersionState) => ({ id, number, state });

  test("publishing a reviewed version archives the active one", () => {
    const plan = planPublish([v("a", 1, "active"), v("b", 2, "in_review")], "b");
    expect(plan).toEqual({
      ok: true,
      alreadyActive: false,
      changes: [
        { versionId: "a", from: "active", to: "archived" },
        { versionId: "b", from: "in_review", to: "active" },
      ],
    });
  });

  test("a rollback re-activates an archived version", () => {
    const plan = planPublish([v("a", 1, "archived"), v("b", 2, "active")], "a");
    expect(plan).toEqual({
      ok: true,
      alreadyActive: false,
      changes: [
        { versionId: "b", from: "active", to: "archived" },
        { versionId: "a", from: "archived", to: "active" },
      ],
    });
  });

  test("a draft needs review unless review is bypassed", () => {
    expect(planPublish([v("a", 1, "draft")], "a")).toEqual({ ok: false, problem: "Version 1 is draft and cannot be published. Submit it for review first." });
    expect(planPublish([v("a", 1, "draft")], "a", { bypassReview: true })).toEqual({
      ok: true,
      alreadyActive: false,
      changes: [{ versionId: "a", from: "draft", to: "active" }],
    });
  });

  test("the active version is already published: no changes", () => {
    expect(planPublish([v("a", 1, "archived"), v("b", 2, "active")], "b")).toEqual({ ok: true, alreadyActive: true, changes: [] });
  });

  test("an unknown version is refused", () => {
    expect(planPublish([v("a", 1, "active")], "zzz")).toEqual({ ok: false, problem: "Version zzz does not belong to this tool." });
  });
});

describe("content hash", () => {
  const content: VersionContent = {
    source: "def run_tool(input_dir, output_dir):\n    return 'hej'\n",
    entrypoint: "run_tool",
    input_schema: [{ kind: "file", name: "fil", label: "Fil", min: 1, max: 1 }],
    settings_schema: null,
    usage_instructions: "Ladda upp en fil.",
  };

  test("canonical JSON sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson("å\n")).toBe('"å\\n"');
  });

  test("is sha256 of the canonical JSON of the five content fields", () => {
    const expected = createHash("sha256")
      .update('{"entrypoint":"run_tool","input_schema":[],"settings_schema":null,"source":"x","usage_instructions":""}')
      .digest("hex");
    expect(contentHash({ source: "x", entrypoint: "run_tool", input_schema: [], settings_schema: null, usage_instructions: "" })).toBe(expected);
  });

  test("does not depend on key order inside the schemas, nor on extra fields", () => {
    const reordered = { ...content, input_schema: [{ max: 1, min: 1, label: "Fil", name: "fil", kind: "file" }] };
    const withExtra = { ...content, title: "Ignored", slug: "ignored" } as VersionContent;
    expect(contentHash(reordered)).toBe(contentHash(content));
    expect(contentHash(withExtra)).toBe(contentHash(content));
  });

  test("changes when any of the five fields changes", () => {
    const base = contentHash(content);
    const variants: VersionContent[] = [
      { ...content, source: content.source + "\n" },
      { ...content, entrypoint: "main" },
      { ...content, input_schema: [] },
      { ...content, settings_schema: [] },
      { ...content, usage_instructions: "Ladda upp en fil!" },
    ];
    const hashes = variants.map(contentHash);
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(variants.length);
  });
});
