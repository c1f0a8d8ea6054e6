import { describe, expect, test } from "bun:test";
import type { LockView } from "../api/authoring.api";
import { editorAccess, holderFromDetails } from "./draft-lock.rules";

describe("the draft lock", () => {
  const holder = { id: "u2", name: "Bo Ek", email: "bo@skola.se" };
  const lock = (mine: boolean): LockView => ({ holder, acquired_at: "a", heartbeat_at: "h", expires_at: "e", mine });

  test("mine: editing; someone else's: locked, admins may take over", () => {
    expect(editorAccess(lock(true), "contributor", true)).toEqual({ kind: "editing" });
    expect(editorAccess(lock(false), "contributor", true)).toEqual({ kind: "locked", holder, expiresAt: "e", canTakeOver: false });
    expect(editorAccess(lock(false), "admin", true)).toMatchObject({ kind: "locked", canTakeOver: true });
    expect(editorAccess(lock(false), "superuser", true)).toMatchObject({ canTakeOver: true });
  });

  test("no right to edit or no lock: read-only", () => {
    expect(editorAccess(lock(true), "contributor", false)).toEqual({ kind: "read_only" });
    expect(editorAccess(null, "admin", true)).toEqual({ kind: "read_only" });
  });

  test("the holder from a 423 answer", () => {
    expect(holderFromDetails({ holder, expires_at: "x" })).toEqual({ holder, expiresAt: "x" });
    expect(holderFromDetails({ holder: null })).toBeNull();
    expect(holderFromDetails("nope")).toBeNull();
  });
});
