// Device authorization (RFC 8628 style) for the CLI: codes, their expiry and the polling verdict.
// Pure rules, no I/O.
import { randomBytes } from "node:crypto";

/** No vowels (no words), no 0/O/1/I look-alikes. */
const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const DEVICE_CODE_TTL_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 5;
export const DEVICE_TOKEN_MINUTES = 60;

export function generateUserCode(): string {
  return [...randomBytes(8)].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join("");
}

/** "bcdf-ghjk", "BCDFGHJK" and " bcdf ghjk " are all the same code; null when it cannot be one. */
export function normalizeUserCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  return code.length === 8 && [...code].every((c) => USER_CODE_ALPHABET.includes(c)) ? code : null;
}

export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export type GrantState = { status: "pending" | "approved" | "denied" | "consumed"; expiresAt: Date; lastPolledAt: Date | null };

export type PollVerdict = "expired" | "slow_down" | "pending" | "denied" | "approved";

/** What a poll gets. Polling faster than the interval is answered with slow_down (and not counted). */
export function pollVerdict(g: GrantState, now: Date, intervalSeconds = POLL_INTERVAL_SECONDS): PollVerdict {
  if (g.status === "consumed" || g.expiresAt.getTime() <= now.getTime()) return "expired";
  // some slack (up to a second): a client sleeping exactly `interval` between polls must not be told to slow down
  const minGapMs = intervalSeconds * 1000 - Math.min(1000, intervalSeconds * 500);
  if (g.lastPolledAt && now.getTime() - g.lastPolledAt.getTime() < minGapMs) return "slow_down";
  if (g.status === "denied") return "denied";
  return g.status === "approved" ? "approved" : "pending";
}
