import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../config/config.keys";
import {
  configuredProviders,
  decodeFlowState,
  emailDomainAllowed,
  emailFromClaims,
  encodeFlowState,
  groupsFromClaims,
  mappedRole,
  OIDC_FLOW_TTL_MS,
  passwordLoginAllowed,
  safeReturnPath,
} from "./oidc.rules";

describe("oidc rules", () => {
  test("only sections with an issuer are providers; the label falls back to the issuer's host", () => {
    const config = defaultConfig();
    expect(configuredProviders(config)).toEqual([]);
    Object.assign(config.oidc_2, { issuer: "https://login.microsoftonline.com/t/v2.0", client_id: "c" });
    Object.assign(config.oidc_3, { issuer: "https://accounts.google.com", client_id: "g", label: "Google" });
    expect(configuredProviders(config).map((p) => [p.id, p.label])).toEqual([["2", "login.microsoftonline.com"], ["3", "Google"]]);
  });

  test("the e-mail comes from email, else an address-like preferred_username or upn", () => {
    expect(emailFromClaims({ email: " Anna@Skola.se " })).toBe("anna@skola.se");
    expect(emailFromClaims({ preferred_username: "bo@skola.se" })).toBe("bo@skola.se");
    expect(emailFromClaims({ preferred_username: "bo", upn: "bo@kommun.se" })).toBe("bo@kommun.se");
    expect(emailFromClaims({ preferred_username: "bo" })).toBeNull();
  });

  test("domain allowlist: [] allows all, otherwise the exact domain", () => {
    expect(emailDomainAllowed("a@gmail.com", [])).toBe(true);
    expect(emailDomainAllowed("a@skola.se", ["skola.se"])).toBe(true);
    expect(emailDomainAllowed("a@evil-skola.se", ["skola.se"])).toBe(false);
    expect(emailDomainAllowed("a@sub.skola.se", ["skola.se"])).toBe(false);
  });

  test("groups claim: a list of strings, a single string, or nothing", () => {
    expect(groupsFromClaims({ groups: ["a", 1, "b"] }, "groups")).toEqual(["a", "b"]);
    expect(groupsFromClaims({ roles: "a" }, "roles")).toEqual(["a"]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
  });

  test("role mapping: admin wins over contributor, no group = user, superusers and unmapped setups unchanged", () => {
    const p = { groupsClaim: "groups", adminGroups: ["adm"], contributorGroups: ["con"] };
    expect(mappedRole("user", ["con", "adm"], p)).toBe("admin");
    expect(mappedRole("user", ["con"], p)).toBe("contributor");
    expect(mappedRole("admin", [], p)).toBe("user");
    expect(mappedRole("contributor", ["con"], p)).toBeNull();
    expect(mappedRole("superuser", [], p)).toBeNull();
    expect(mappedRole("admin", [], { ...p, groupsClaim: "" })).toBeNull();
    expect(mappedRole("admin", [], { groupsClaim: "groups", adminGroups: [], contributorGroups: [] })).toBeNull();
  });

  test("return paths stay on this site", () => {
    expect(safeReturnPath("/tools?q=a")).toBe("/tools?q=a");
    for (const bad of ["//evil.example", "https://evil.example", "/\\evil", "", null, "/api/v1/auth/me", "/login?next=/x", "/x\r\nSet-Cookie: a"]) expect(safeReturnPath(bad)).toBe("/");
  });

  test("password login under local_login", () => {
    expect(passwordLoginAllowed("user", "everyone")).toBe(true);
    expect(passwordLoginAllowed("contributor", "admins")).toBe(false);
    expect(passwordLoginAllowed("admin", "admins")).toBe(true);
    expect(passwordLoginAllowed("superuser", "admins")).toBe(true);
  });

  test("flow state round-trips, and is refused for another provider, when old or malformed", () => {
    const now = 1_000_000_000;
    const s = { provider: "1", state: "s", nonce: "n", verifier: "v", returnTo: "//evil", createdAt: now };
    const encoded = encodeFlowState(s);
    expect(decodeFlowState(encoded, "1", now + 1000)).toEqual({ ...s, returnTo: "/" });
    expect(decodeFlowState(encoded, "2", now)).toBeNull();
    expect(decodeFlowState(encoded, "1", now + OIDC_FLOW_TTL_MS + 1)).toBeNull();
    expect(decodeFlowState("not-json", "1", now)).toBeNull();
    expect(decodeFlowState(Buffer.from('{"provider":"1"}').toString("base64url"), "1", now)).toBeNull();
  });
});
