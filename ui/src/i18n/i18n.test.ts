import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ApiError, KNOWN_ERROR_CODES } from "../api/api-error";
import { en, type MessageId } from "./en";
import { sv } from "./sv";

// The few browser globals @lit/localize and locale.ts touch (events on window, <html lang>, storage).
// Bun runs all test files in one process: they are removed again after this file.
const storage = new Map<string, string>();
const BROWSER_GLOBALS = ["window", "document", "localStorage"] as const;
afterAll(() => {
  for (const name of BROWSER_GLOBALS) Reflect.deleteProperty(globalThis, name);
});
Object.assign(globalThis, {
  window: globalThis,
  document: { documentElement: { lang: "" } },
  localStorage: {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
  },
});

// Imported after the globals exist.
const { applyLocale, chooseLocale, currentLocale, rememberedLocale } = await import("./locale");
const { t, fillPlaceholders } = await import("./t");
const { errorText } = await import("./error-messages");

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message sets", () => {
  test("Swedish has exactly the English ids", () => {
    expect(Object.keys(sv).sort()).toEqual(Object.keys(en).sort());
  });

  test("every translation keeps the same {placeholders} and is not empty", () => {
    for (const id of Object.keys(en) as MessageId[]) {
      expect({ id, placeholders: placeholders(sv[id]) }).toEqual({ id, placeholders: placeholders(en[id]) });
      expect(sv[id].trim().length).toBeGreaterThan(0);
    }
  });

  test("every server error code the UI knows has its own text in both languages", () => {
    for (const code of KNOWN_ERROR_CODES) {
      const id = `error.${code}`;
      const alternatives = [id, `${id}_until`, `${id}_seconds`];
      expect({ code, found: alternatives.some((candidate) => candidate in en) }).toEqual({ code, found: true });
    }
  });
});

describe("t() and the locale switch", () => {
  beforeAll(async () => {
    await applyLocale("en", { remember: false });
  });

  test("English is the source; Swedish comes in on switch, with <html lang> and storage", async () => {
    expect(t("shell.log_out")).toBe("Log out");
    expect(t("home.greeting", { name: "Anna" })).toBe("Hello Anna!");

    await applyLocale("sv", { remember: true });
    expect(currentLocale()).toBe("sv");
    expect(document.documentElement.lang).toBe("sv");
    expect(rememberedLocale()).toBe("sv");
    expect(t("shell.log_out")).toBe("Logga ut");
    expect(t("home.greeting", { name: "Anna" })).toBe("Hej Anna!");

    await applyLocale("en", { remember: false });
    expect(t("shell.log_out")).toBe("Log out");
    expect(rememberedLocale()).toBe("sv");
  });

  test("fillPlaceholders leaves unknown names visible", () => {
    expect(fillPlaceholders("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });

  test("start-up language: the user's, else this browser's, else the site's", () => {
    expect(chooseLocale("en", "sv", "sv")).toBe("en");
    expect(chooseLocale(null, "en", "sv")).toBe("en");
    expect(chooseLocale(undefined, null, "en")).toBe("en");
    expect(chooseLocale(null, null, "sv")).toBe("sv");
  });
});

describe("errorText", () => {
  test("known codes get the UI's own text in the current language", async () => {
    await applyLocale("sv", { remember: false });
    expect(errorText(new ApiError(401, "auth.invalid_credentials", "server text"))).toBe("Fel e-postadress eller lösenord.");
    await applyLocale("en", { remember: false });
    expect(errorText(new ApiError(401, "auth.invalid_credentials", "server text"))).toBe("Wrong e-mail address or password.");
  });

  test("details fill in the lock time and the retry wait", async () => {
    await applyLocale("en", { remember: false });
    const locked = errorText(new ApiError(423, "auth.locked", "x", { locked_until: "2026-11-23T10:05:00Z" }));
    expect(locked).toStartWith("The account is temporarily locked after too many failed attempts. Try again after ");
    expect(locked).toContain("2026");
    expect(errorText(new ApiError(423, "auth.locked", "x", null))).toBe(en["error.auth.locked"]);
    expect(errorText(new ApiError(429, "rate_limited", "x", { retry_after_seconds: 29.2 }))).toBe(
      "Too many attempts. Wait 30 seconds and try again.",
    );
    expect(errorText(new ApiError(429, "rate_limited", "x", {}))).toBe(en["error.rate_limited"]);
  });

  test("an unknown code falls back to the server's message, anything else to a generic text", async () => {
    await applyLocale("en", { remember: false });
    expect(errorText(new ApiError(409, "tools.slug_taken", "The slug is taken."))).toBe("The slug is taken.");
    expect(errorText(new Error("boom"))).toBe(en["error.unknown"]);
    expect(errorText(ApiError.network(new TypeError("Failed to fetch")))).toBe(en["error.network"]);
  });
});

describe("formatting", () => {
  test("sizes and durations in the UI language", async () => {
    const { formatBytes, formatDuration } = await import("./format");
    await applyLocale("sv", { remember: false });
    expect(formatBytes(950)).toBe("950 B");
    expect(formatBytes(12_500)).toBe("12,5 kB");
    expect(formatDuration(300)).toBe("0 s");
    expect(formatDuration(125_000)).toBe("2 min, 5 s");
    expect(formatDuration(3_780_000)).toBe("1 tim, 3 min");
    await applyLocale("en", { remember: false });
    expect(formatBytes(3_250_000)).toBe("3.3 MB");
    expect(formatDuration(8_000)).toBe("8 secs");
  });
});
