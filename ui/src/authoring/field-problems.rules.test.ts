import { describe, expect, test } from "bun:test";
import { ApiError } from "../api/api-error";
import { fieldProblems } from "./field-problems.rules";

describe("fieldProblems", () => {
  test("422 details by top-level field, first message each", () => {
    const error = new ApiError(422, "validation.failed", "x", [
      { path: "/slug", message: "Bad slug" },
      { path: "/professions/0", message: "Unknown profession" },
      { path: "/professions/1", message: "Second" },
      { nope: true },
    ]);
    expect(fieldProblems(error)).toEqual({ slug: "Bad slug", professions: "Unknown profession" });
  });

  test("a taken or frozen slug is the slug field's problem", () => {
    expect(fieldProblems(new ApiError(409, "authoring.slug_taken", "Taken"))).toEqual({ slug: "Taken" });
    expect(fieldProblems(new ApiError(409, "authoring.slug_frozen", "Frozen"))).toEqual({ slug: "Frozen" });
  });

  test("other errors name no field", () => {
    expect(fieldProblems(new ApiError(500, "internal", "x"))).toEqual({});
  });
});
