// The pure rules of keys, webhooks and the device flow.
import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { generateApiKey, hashApiKey, keyPrefixOf, keyStatus, sameHash, shouldAuditUse, webhookSecretOf } from "./api-key.rules";
import { checkWebhookUrl, MAX_ATTEMPTS, nextAttemptAfter, signWebhook } from "./webhook.rules";
import { formatUserCode, generateUserCode, normalizeUserCode, pollVerdict } from "./device-flow.rules";

const at = (s: string) => new Date(`2026-03-02T${s}Z`);

describe("API key format and hashing", () => {
  test("a generated key carries its prefix and is recognised; others are not", () => {
    const { key, prefix } = generateApiKey();
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(prefix).toMatch(/^skt_[a-z0-9]{8}$/);
    expect(keyPrefixOf(key)).toBe(prefix);
    expect(keyPrefixOf(key.slice(0, -1))).toBeNull();
    expect(keyPrefixOf("Bearer x")).toBeNull();
    expect(generateApiKey().key).not.toBe(key);
  });
  test("the hash is keyed: another server secret gives another hash", () => {
    const { key } = generateApiKey();
    expect(hashApiKey("s1", key)).toBe(hashApiKey("s1", key));
    expect(hashApiKey("s1", key)).not.toBe(hashApiKey("s2", key));
    expect(sameHash(hashApiKey("s1", key), hashApiKey("s1", key))).toBe(true);
    expect(sameHash(hashApiKey("s1", key), hashApiKey("s1", key + "x"))).toBe(false);
  });
  test("status: revoked beats expired; expiry is exclusive of the instant", () => {
    expect(keyStatus({ revokedAt: null, expiresAt: null }, at("08:00:00"))).toBe("active");
    expect(keyStatus({ revokedAt: null, expiresAt: at("09:00:00") }, at("08:59:59"))).toBe("active");
    expect(keyStatus({ revokedAt: null, expiresAt: at("09:00:00") }, at("09:00:00"))).toBe("expired");
    expect(keyStatus({ revokedAt: at("07:00:00"), expiresAt: at("06:00:00") }, at("08:00:00"))).toBe("revoked");
  });
  test("the use audit is written at most once a minute", () => {
    expect(shouldAuditUse(null, at("08:00:00"))).toBe(true);
    expect(shouldAuditUse(at("08:00:00"), at("08:00:59"))).toBe(false);
    expect(shouldAuditUse(at("08:00:00"), at("08:01:00"))).toBe(true);
  });
  test("the webhook secret is derived from server secret and salt", () => {
    expect(webhookSecretOf("s", "salt")).toBe(webhookSecretOf("s", "salt"));
    expect(webhookSecretOf("s", "salt")).not.toBe(webhookSecretOf("s", "salt2"));
    expect(webhookSecretOf("s", "salt")).toMatch(/^whsec_/);
  });
});

describe("webhooks", () => {
  test.each([
    ["https://example.org/hook", true],
    ["http://127.0.0.1:8080/x?y=1", true],
    ["ftp://example.org/", false],
    ["javascript:alert(1)", false],
    ["file:///etc/passwd", false],
    ["https://user:pw@example.org/", false],
    ["not a url", false],
  ])("checkWebhookUrl(%p) ok=%p", (url, ok) => {
    expect(checkWebhookUrl(url).ok).toBe(ok);
  });
  test("the signature is HMAC-SHA256 over timestamp.body", () => {
    const body = '{"a":1}';
    const expected = createHmac("sha256", "whsec_x").update(`1700000000.${body}`).digest("hex");
    expect(signWebhook("whsec_x", 1700000000, body)).toBe(`sha256=${expected}`);
    expect(signWebhook("whsec_x", 1700000001, body)).not.toBe(`sha256=${expected}`);
  });
  test("backoff grows and ends", () => {
    const now = at("08:00:00");
    expect(nextAttemptAfter(1, now)).toEqual(at("08:00:30"));
    expect(nextAttemptAfter(2, now)).toEqual(at("08:02:00"));
    expect(nextAttemptAfter(MAX_ATTEMPTS - 1, now)!.getTime()).toBeGreaterThan(nextAttemptAfter(2, now)!.getTime());
    expect(nextAttemptAfter(MAX_ATTEMPTS, now)).toBeNull();
  });
});

describe("device flow", () => {
  test("user codes: 8 unambiguous letters, typed in any case, dash optional", () => {
    const code = generateUserCode();
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    expect(normalizeUserCode(formatUserCode(code).toLowerCase())).toBe(code);
    expect(normalizeUserCode(` ${code.slice(0, 4)} ${code.slice(4)} `)).toBe(code);
    expect(normalizeUserCode("ABCD-EFGH")).toBeNull(); // vowels are never in a code
    expect(normalizeUserCode("BCDF")).toBeNull();
    expect(formatUserCode("BCDFGHJK")).toBe("BCDF-GHJK");
  });
  test("poll verdicts", () => {
    const g = { status: "pending" as const, expiresAt: at("08:10:00"), lastPolledAt: null };
    expect(pollVerdict(g, at("08:00:00"), 5)).toBe("pending");
    expect(pollVerdict({ ...g, lastPolledAt: at("08:00:00") }, at("08:00:02"), 5)).toBe("slow_down");
    expect(pollVerdict({ ...g, lastPolledAt: at("08:00:00") }, at("08:00:04"), 5)).toBe("pending");
    expect(pollVerdict({ ...g, status: "approved" }, at("08:00:00"), 5)).toBe("approved");
    expect(pollVerdict({ ...g, status: "denied" }, at("08:00:00"), 5)).toBe("denied");
    expect(pollVerdict({ ...g, status: "consumed" }, at("08:00:00"), 5)).toBe("expired");
    expect(pollVerdict({ ...g, status: "approved" }, at("08:10:00"), 5)).toBe("expired");
  });
});
