// Webhook rules: which URLs may be called, how a body is signed and when a failed delivery is tried
// again. Pure rules, no I/O.
import { createHmac } from "node:crypto";

/** Waits after the 1st, 2nd, … failed attempt; after the last one the delivery is marked failed. */
export const RETRY_DELAYS_SECONDS = [30, 120, 600, 1800, 3600, 10800] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

export function checkWebhookUrl(raw: string): { ok: true; url: string } | { ok: false } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false };
  // credentials in the URL would end up in logs and the key list
  if (url.username || url.password || raw.length > 2000) return { ok: false };
  return { ok: true, url: url.toString() };
}

/** `sha256=<hex>` over "<timestamp>.<body>": the timestamp is signed too, so an old body cannot be replayed as new. */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex")}`;
}

/** After `attempts` failed attempts: when to try next, or null when the delivery has failed for good. */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const delay = RETRY_DELAYS_SECONDS[Math.max(0, attempts - 1)] ?? RETRY_DELAYS_SECONDS[RETRY_DELAYS_SECONDS.length - 1]!;
  return new Date(now.getTime() + delay * 1000);
}

export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}
