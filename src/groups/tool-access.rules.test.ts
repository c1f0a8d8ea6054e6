import { describe, expect, test } from "bun:test";
import { buildAccessIndex, canSeeTool, hiddenToolIds } from "./tool-access.rules";

const index = buildAccessIndex({
  limits: [
    { toolId: "t-math", groupId: "g-math" },
    { toolId: "t-both", groupId: "g-math" },
    { toolId: "t-both", groupId: "g-sv" },
  ],
  memberships: [
    { userId: "anna", groupId: "g-math" },
    { userId: "bo", groupId: "g-sv" },
  ],
});

describe("tool access rules", () => {
  test("a tool without limits is for everyone", () => {
    expect(canSeeTool(index, { id: "nobody", role: "user" }, "t-open")).toBe(true);
  });
  test("a limited tool is for members of any of its groups", () => {
    expect(canSeeTool(index, { id: "anna", role: "user" }, "t-math")).toBe(true);
    expect(canSeeTool(index, { id: "bo", role: "user" }, "t-math")).toBe(false);
    expect(canSeeTool(index, { id: "bo", role: "user" }, "t-both")).toBe(true);
  });
  test("contributors are not exempt, admins and superusers are", () => {
    expect(canSeeTool(index, { id: "x", role: "contributor" }, "t-math")).toBe(false);
    expect(canSeeTool(index, { id: "x", role: "admin" }, "t-math")).toBe(true);
    expect(canSeeTool(index, { id: "x", role: "superuser" }, "t-both")).toBe(true);
  });
  test("hiddenToolIds lists exactly the tools the viewer may not see, null when none", () => {
    expect([...(hiddenToolIds(index, { id: "nobody", role: "user" }) ?? [])].sort()).toEqual(["t-both", "t-math"]);
    expect([...(hiddenToolIds(index, { id: "bo", role: "user" }) ?? [])]).toEqual(["t-math"]);
    expect(hiddenToolIds(index, { id: "anna", role: "user" })).toBeNull();
    expect(hiddenToolIds(index, { id: "nobody", role: "admin" })).toBeNull();
    expect(hiddenToolIds(buildAccessIndex({ limits: [], memberships: [] }), { id: "x", role: "user" })).toBeNull();
  });
});
