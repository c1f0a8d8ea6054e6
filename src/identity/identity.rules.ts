// Pure identity rules: password policy, e-mail handling, registration policy, lockout and session
// expiry. No I/O and no clock of their own — callers pass `now` — so every rule is tested alone.

// ---------- e-mail ----------

/** E-mail addresses are compared and stored lower-cased and trimmed: "Anna@Skola.SE " = "anna@skola.se". */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

// Deliberately simple: one "@", a non-empty local part, a dotted domain of letters, digits and
// hyphens, no spaces. The real proof of an address is the verification e-mail, not a regex.
const EMAIL_SHAPE = /^[^\s@]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Expects a normalized address. 254 characters is the longest address SMTP can carry. */
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_SHAPE.test(email);
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

// ---------- passwords ----------

export type PasswordProblem = "too_short" | "too_long" | "same_as_email" | "too_common";

/** Longest password accepted: argon2 hashes any length, but a megabyte "password" is only load. */
export const PASSWORD_MAX_LENGTH = 256;

// The most common passwords of the public breach lists, plus the local favourites a Swedish school
// would see. Only entries that pass the minimum length matter; the short ones fail on length anyway.
const COMMON_PASSWORDS = new Set([
  "1234567890",
  "12345678910",
  "123456789a",
  "0123456789",
  "1q2w3e4r5t",
  "1qaz2wsx3edc",
  "qwertyuiop",
  "qwerty1234",
  "qwerty12345",
  "asdfghjkl",
  "asdfghjkl1",
  "password1",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "iloveyou123",
  "abcdefghij",
  "abc1234567",
  "1111111111",
  "0000000000",
  "aaaaaaaaaa",
  "lösenord",
  "lösenord1",
  "lösenord12",
  "lösenord123",
  "losenord123",
  "sommar2024",
  "sommar2025",
  "sommar2026",
  "vinter2025",
  "välkommen1",
  "valkommen123",
  "välkommen123",
  "skriptoteket",
  "skriptoteket1",
  "skriptoteket123",
]);

/**
 * Returns what is wrong with a password, or null when it is acceptable.
 * Length counts characters (code points), so "åäö" is three, as a person would count.
 */
export function checkPassword(password: string, opts: { minLength: number; email?: string }): PasswordProblem | null {
  const length = [...password].length;
  if (length < opts.minLength) return "too_short";
  if (length > PASSWORD_MAX_LENGTH) return "too_long";
  const lowered = password.trim().toLowerCase();
  if (opts.email !== undefined) {
    const email = normalizeEmail(opts.email);
    if (lowered === email || lowered === email.slice(0, email.lastIndexOf("@"))) return "same_as_email";
  }
  if (COMMON_PASSWORDS.has(lowered)) return "too_common";
  return null;
}

/** An English sentence for a password problem (validation details); the UI may localize by `reason`. */
export function describePasswordProblem(problem: PasswordProblem, minLength: number): string {
  switch (problem) {
    case "too_short":
      return `Use at least ${minLength} characters.`;
    case "too_long":
      return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
    case "same_as_email":
      return "Do not use your e-mail address as password.";
    case "too_common":
      return "This password is too common. Choose another one.";
  }
}

// Letters and digits without look-alikes (0/O, 1/l/I), so a password read aloud or copied from a
// terminal survives. 55 symbols × 16 characters ≈ 92 bits.
const GENERATED_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A random password for admin resets and the CLI; `randomBytes` is injectable for tests. */
export function generatePassword(length = 16, randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const n = GENERATED_ALPHABET.length;
  // Rejection sampling: bytes ≥ the largest multiple of n would bias the first letters.
  const limit = 256 - (256 % n);
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b >= limit) continue;
      out += GENERATED_ALPHABET[b % n];
      if (out.length === length) break;
    }
  }
  return out;
}

// ---------- registration ----------

export type RegistrationMode = "closed" | "open" | "domains";
export type RegistrationVerdict = "ok" | "closed" | "domain_not_allowed";

/**
 * Who may self-register. With "domains" only the listed domains themselves match, not their
 * subdomains: schools typically give pupils addresses under a subdomain (elev.skola.se) of the
 * staff domain (skola.se), and letting pupils in should be an explicit entry, never a side effect.
 */
export function checkRegistration(email: string, policy: { mode: RegistrationMode; allowedDomains: readonly string[] }): RegistrationVerdict {
  if (policy.mode === "closed") return "closed";
  if (policy.mode === "open") return "ok";
  const domain = emailDomain(normalizeEmail(email));
  return policy.allowedDomains.some((d) => d.toLowerCase() === domain) ? "ok" : "domain_not_allowed";
}

// ---------- lockout ----------

export type LockoutPolicy = { attempts: number; minutes: number };

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/**
 * After a failed login: given the consecutive failures so far (this one included), lock until when?
 * With attempts = 5 the fifth failure locks, so the sixth attempt is refused even with the right password.
 */
export function lockAfterFailure(consecutiveFailures: number, policy: LockoutPolicy, now: Date): Date | null {
  if (consecutiveFailures < policy.attempts) return null;
  return new Date(now.getTime() + policy.minutes * 60_000);
}

// ---------- sessions ----------

export type SessionTimes = { lastSeenAt: Date; expiresAt: Date; revokedAt: Date | null };
export type SessionPolicy = { idleMinutes: number; absoluteHours: number };
export type SessionVerdict = "valid" | "revoked" | "idle_expired" | "absolute_expired";

export function sessionExpiresAt(createdAt: Date, policy: SessionPolicy): Date {
  return new Date(createdAt.getTime() + policy.absoluteHours * 3_600_000);
}

/** A session ends when revoked, after `idleMinutes` without a request, or at its absolute expiry. */
export function checkSession(s: SessionTimes, policy: SessionPolicy, now: Date): SessionVerdict {
  if (s.revokedAt !== null) return "revoked";
  if (now.getTime() >= s.expiresAt.getTime()) return "absolute_expired";
  if (now.getTime() - s.lastSeenAt.getTime() >= policy.idleMinutes * 60_000) return "idle_expired";
  return "valid";
}

/** lastSeenAt is written at most once a minute: enough for idle expiry, not a write per request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

export function shouldTouchSession(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS;
}

// ---------- e-mailed tokens ----------

export type EmailTokenPurpose = "verify_email" | "reset_password";

/** A verification link may wait in an inbox over a weekend; a reset link is short-lived. */
export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 72 * 3_600_000,
  reset_password: 60 * 60_000,
};
