import { api } from "../api/api";
import { getCurrentUser, getMeta } from "../api/auth.api";
import { applyLocale, chooseLocale, rememberedLocale } from "../i18n/locale";
import { session } from "./session";

/**
 * Start-up: site facts, the current user and a CSRF token, then the language to show
 * (user's choice, else this browser's, else the site default).
 */
export async function boot(): Promise<void> {
  // The loading screen already speaks the remembered language (Swedish by default).
  await applyLocale(rememberedLocale() ?? "sv", { remember: false });
  try {
    const [meta, user] = await Promise.all([getMeta(), getCurrentUser(), api.refreshCsrfToken().catch(noCsrfYet)]);
    await applyLocale(chooseLocale(user?.locale, rememberedLocale(), meta.default_locale), { remember: false });
    session.start(meta, user);
  } catch {
    session.fail();
  }
}

// Not fatal: the first mutating request fetches the token again.
function noCsrfYet(): void {}
