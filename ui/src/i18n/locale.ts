import { configureLocalization } from "@lit/localize";
import { templates as svTemplates } from "./sv";
import { LOCALES, type Locale } from "./locales";

/** The UI languages (locales.ts). Swedish is the default; English is the source language of the texts. */
export { LOCALES, type Locale };

/** Each language's name in that language: the switch shows them untranslated on purpose. */
export const LOCALE_NAMES: Record<Locale, string> = { sv: "Svenska", en: "English" };

/** BCP 47 tags for Intl formatting: Swedish dates and times for sv, British (day-month) for en. */
export const INTL_LOCALES: Record<Locale, string> = { sv: "sv-SE", en: "en-GB" };

const STORAGE_KEY = "skriptoteket.locale";

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: "en",
  targetLocales: ["sv"],
  // The Swedish module is tiny and always needed first (the default locale): bundle it, no extra chunk.
  loadLocale: async () => ({ templates: svTemplates }),
});

export function isLocale(value: unknown): value is Locale {
  return value === "sv" || value === "en";
}

export function currentLocale(): Locale {
  const locale = getLocale();
  return isLocale(locale) ? locale : "sv";
}

/**
 * Switches the UI language: texts re-render and `<html lang>` follows (Web Awesome components read it
 * for their own strings). With `remember`, a choice the user made is kept in this browser for the
 * next visit before login.
 */
export async function applyLocale(locale: Locale, { remember }: { remember: boolean }): Promise<void> {
  await setLocale(locale);
  document.documentElement.lang = locale;
  if (remember) rememberLocale(locale);
}

export function rememberedLocale(): Locale | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    // Storage can be disabled (privacy settings); the server default applies then.
    return null;
  }
}

function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered across visits when storage is disabled; nothing else depends on it.
  }
}

/**
 * Which language to start in: the logged-in user's saved choice, else this browser's last choice,
 * else the site default from /api/v1/meta.
 */
export function chooseLocale(userLocale: Locale | null | undefined, stored: Locale | null, siteDefault: Locale): Locale {
  return userLocale ?? stored ?? siteDefault;
}
