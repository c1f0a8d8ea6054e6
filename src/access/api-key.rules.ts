// The shape of an API key and its life: "skt_" + 8 lookup characters + "_" + 43 secret characters.
// The prefix finds the row; the whole key is compared as an HMAC keyed with the server secret, so a
// leaked database (or backup) cannot be used to log in. Pure rules, no I/O.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const KEY_PREFIX = "skt_";
const KEY_PATTERN = /^skt_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const LOOKUP_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export type KeyStatus = "active" | "expired" | "revoked";

export function generateApiKey(): { key: string; prefix: string } {
  const bytes = randomBytes(8);
  const lookup = [...bytes].map((b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join("");
  const prefix = `${KEY_PREFIX}${lookup}`;
  return { key: `${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

/** The lookup prefix of a well-formed key, else null (then no database lookup is needed). */
export function keyPrefixOf(key: string): string | null {
  const m = KEY_PATTERN.exec(key);
  return m ? `${KEY_PREFIX}${m[1]}` : null;
}

export function hashApiKey(serverSecret: string, key: string): string {
  return createHmac("sha256", serverSecret).update(`api-key:${key}`).digest("hex");
}

export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function keyStatus(k: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): KeyStatus {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && k.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/** The "use" audit event is written at most once a minute per key; last_used_at is always kept. */
export const USE_AUDIT_INTERVAL_MS = 60_000;

export function shouldAuditUse(lastAuditedAt: Date | null, now: Date): boolean {
  return !lastAuditedAt || now.getTime() - lastAuditedAt.getTime() >= USE_AUDIT_INTERVAL_MS;
}

/** A webhook's signing secret, derived (not stored): HMAC of the server secret over the key's salt. */
export function webhookSecretOf(serverSecret: string, salt: string): string {
  return `whsec_${createHmac("sha256", serverSecret).update(`webhook:${salt}`).digest("base64url")}`;
}
