import { describe, expect, test } from "bun:test";
import {
  checkPassword,
  checkRegistration,
  checkSession,
  describePasswordProblem,
  generatePassword,
  isLocked,
  isValidEmail,
  lockAfterFailure,
  normalizeEmail,
  PASSWORD_MAX_LENGTH,
  sessionExpiresAt,
  shouldTouchSession,
} from "./identity.rules";

const at = (iso: string) => new Date(iso);

describe("e-mail", () => {
  test("normalization trims and lower-cases", () => {
    expect(normalizeEmail("  Anna.Svensson@Skola.SE ")).toBe("anna.svensson@skola.se");
  });

  test.each([
    ["anna@skola.se", true],
    ["a.b+tag@elev.skola.se", true],
    ["x@localhost", false],
    ["no-at-sign.se", false],
    ["two@@skola.se", false],
    ["space in@skola.se", false],
    ["anna@-skola.se", false],
    ["anna@skola-.se", false],
    ["anna@skola..se", false],
    [`${"a".repeat(250)}@b.se`, false],
  ])("%s valid = %p", (email, valid) => {
    expect(isValidEmail(email)).toBe(valid);
  });
});

describe("password policy", () => {
  const opts = { minLength: 10, email: "anna.svensson@skola.se" };

  test.each([
    ["kort", "too_short"],
    ["nio tecken", null], // exactly 10 characters with a space
    ["Anna.Svensson@Skola.se", "same_as_email"],
    ["anna.svensson", "same_as_email"],
    ["Password123", "too_common"],
    ["lösenord123", "too_common"],
    ["  qwertyuiop  ", "too_common"],
    ["Vår katt heter Måns", null],
  ])("%p → %p", (pw, expected) => {
    expect(checkPassword(pw, opts)).toBe(expected as ReturnType<typeof checkPassword>);
  });

  test("length counts characters, not bytes", () => {
    expect(checkPassword("åäöåäöåäöå", { minLength: 10 })).toBeNull();
    expect(checkPassword("åäöåäöåäö", { minLength: 10 })).toBe("too_short");
  });

  test("minimum length comes from the caller (config) and a maximum stops abuse", () => {
    expect(checkPassword("abcdefghijkl", { minLength: 14 })).toBe("too_short");
    expect(checkPassword("x".repeat(PASSWORD_MAX_LENGTH + 1), { minLength: 10 })).toBe("too_long");
  });

  test("every problem has a sentence that names the fix", () => {
    expect(describePasswordProblem("too_short", 12)).toContain("12");
    expect(describePasswordProblem("too_common", 12)).toContain("Choose another");
  });

  test("generated passwords have the asked length, no look-alikes, and pass the policy", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword(16);
      expect(pw).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
      expect(checkPassword(pw, opts)).toBeNull();
      seen.add(pw);
    }
    expect(seen.size).toBe(50);
  });

  test("generation skips biased bytes (rejection sampling)", () => {
    // 255 is above the largest multiple of the alphabet size and must be skipped, 0 maps to "a".
    const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i % 2 === 0 ? 255 : 0));
    expect(generatePassword(4, bytes)).toBe("aaaa");
  });
});

describe("registration policy", () => {
  const domains = { mode: "domains" as const, allowedDomains: ["skola.se", "Kommun.se"] };

  test("closed refuses everyone, open accepts everyone", () => {
    expect(checkRegistration("a@skola.se", { mode: "closed", allowedDomains: ["skola.se"] })).toBe("closed");
    expect(checkRegistration("a@gmail.com", { mode: "open", allowedDomains: [] })).toBe("ok");
  });

  test.each([
    ["anna@skola.se", "ok"],
    ["ANNA@SKOLA.SE", "ok"],
    ["bo@kommun.se", "ok"],
    ["elev@elev.skola.se", "domain_not_allowed"], // subdomains must be listed explicitly
    ["x@notskola.se", "domain_not_allowed"],
    ["x@skola.se.evil.com", "domain_not_allowed"],
    ["x@gmail.com", "domain_not_allowed"],
  ])("domains: %s → %s", (email, verdict) => {
    expect(checkRegistration(email, domains)).toBe(verdict as "ok" | "domain_not_allowed");
  });
});

describe("lockout", () => {
  const policy = { attempts: 5, minutes: 15 };
  const now = at("2026-01-10T08:00:00Z");

  test("the fifth consecutive failure locks for the configured minutes", () => {
    for (let n = 1; n < 5; n++) expect(lockAfterFailure(n, policy, now)).toBeNull();
    expect(lockAfterFailure(5, policy, now)).toEqual(at("2026-01-10T08:15:00Z"));
    expect(lockAfterFailure(7, policy, now)).toEqual(at("2026-01-10T08:15:00Z"));
  });

  test("a lock holds until its end, not after", () => {
    const until = at("2026-01-10T08:15:00Z");
    expect(isLocked(until, at("2026-01-10T08:14:59Z"))).toBe(true);
    expect(isLocked(until, until)).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
});

describe("session expiry", () => {
  const policy = { idleMinutes: 120, absoluteHours: 24 };
  const created = at("2026-01-10T08:00:00Z");
  const expiresAt = sessionExpiresAt(created, policy);

  test("absolute expiry is creation + hours", () => {
    expect(expiresAt).toEqual(at("2026-01-11T08:00:00Z"));
  });

  test.each([
    ["active a minute ago", "2026-01-10T09:59:00Z", "2026-01-10T10:00:00Z", null, "valid"],
    ["idle exactly 120 minutes", "2026-01-10T08:00:00Z", "2026-01-10T10:00:00Z", null, "idle_expired"],
    ["active but past the absolute end", "2026-01-11T07:59:00Z", "2026-01-11T08:00:00Z", null, "absolute_expired"],
    ["revoked", "2026-01-10T09:59:00Z", "2026-01-10T10:00:00Z", "2026-01-10T09:59:30Z", "revoked"],
  ])("%s", (_name, lastSeen, now, revoked, verdict) => {
    const s = { lastSeenAt: at(lastSeen), expiresAt, revokedAt: revoked ? at(revoked) : null };
    expect(checkSession(s, policy, at(now))).toBe(verdict as ReturnType<typeof checkSession>);
  });

  test("last-seen is written at most once a minute", () => {
    expect(shouldTouchSession(created, at("2026-01-10T08:00:59Z"))).toBe(false);
    expect(shouldTouchSession(created, at("2026-01-10T08:01:00Z"))).toBe(true);
  });
});
