// One error shape for every failure: {error:{code,message,details},request_id}. Features declare
// their errors with defineErrors(); messages exist in Swedish and English and say what to do.
export type Locale = "sv" | "en";
export type ErrorDef = { status: number; code: string; sv: string; en: string };

export class AppError extends Error {
  constructor(
    readonly def: ErrorDef,
    readonly details: unknown = null,
  ) {
    super(def.en);
    this.name = "AppError";
  }
  get status(): number {
    return this.def.status;
  }
  get code(): string {
    return this.def.code;
  }
}

/** `const E = defineErrors({ locked: {status: 423, code: "auth.locked", sv, en} }); throw E.locked(details)` */
export function defineErrors<K extends string>(defs: Record<K, ErrorDef>): Record<K, (details?: unknown) => AppError> & { defs: Record<K, ErrorDef> } {
  const out = { defs } as Record<K, (details?: unknown) => AppError> & { defs: Record<K, ErrorDef> };
  const factories = out as Record<K, (details?: unknown) => AppError>;
  for (const key of Object.keys(defs) as K[]) factories[key] = (details?: unknown) => new AppError(defs[key], details ?? null);
  return out;
}

/** Errors of the HTTP layer itself. */
export const HttpErrors = defineErrors({
  notFound: { status: 404, code: "not_found", sv: "Sidan eller resursen finns inte. Kontrollera adressen.", en: "Not found. Check the address." },
  validation: {
    status: 422,
    code: "validation.failed",
    sv: "Några fält är felaktiga. Rätta de markerade fälten och försök igen.",
    en: "Some fields are invalid. Correct the marked fields and try again.",
  },
  authRequired: { status: 401, code: "auth.required", sv: "Du behöver logga in.", en: "You need to log in." },
  keyInvalid: {
    status: 401,
    code: "auth.key_invalid",
    sv: "API-nyckeln är ogiltig, återkallad eller har gått ut. Skapa en ny nyckel eller logga in igen.",
    en: "The API key is invalid, revoked or expired. Create a new key or log in again.",
  },
  scopeMissing: {
    status: 403,
    code: "auth.scope_missing",
    sv: "API-nyckeln saknar behörighet (scope) för detta. Skapa en nyckel med rätt behörighet.",
    en: "The API key lacks the scope for this. Create a key with the right scope.",
  },
  forbidden: {
    status: 403,
    code: "auth.forbidden",
    sv: "Du har inte behörighet till detta. Be en administratör om hjälp.",
    en: "You do not have permission for this. Ask an administrator.",
  },
  keyRequired: {
    status: 403,
    code: "access.key_required",
    sv: "Den här adressen används med en API-nyckel (Authorization: Bearer), inte med inloggning i webbläsaren.",
    en: "This address is used with an API key (Authorization: Bearer), not with a browser login.",
  },
  csrf: {
    status: 403,
    code: "csrf.invalid",
    sv: "Säkerhetstoken saknas eller är ogiltig. Ladda om sidan och försök igen.",
    en: "The security token is missing or invalid. Reload the page and try again.",
  },
  rateLimited: {
    status: 429,
    code: "rate_limited",
    sv: "För många försök. Vänta en stund och försök igen.",
    en: "Too many attempts. Wait a while and try again.",
  },
  payloadTooLarge: {
    status: 413,
    code: "payload_too_large",
    sv: "Förfrågan är för stor. Skicka mindre filer.",
    en: "The request is too large. Send smaller files.",
  },
  internal: {
    status: 500,
    code: "internal",
    sv: "Ett oväntat fel inträffade. Försök igen; kvarstår felet, kontakta administratören och ange förfrågans id.",
    en: "An unexpected error occurred. Try again; if it persists, contact the administrator with the request id.",
  },
});

export type ErrorBody = { error: { code: string; message: string; details: unknown }; request_id: string };

export function errorBody(err: AppError, locale: Locale, requestId: string): ErrorBody {
  return { error: { code: err.code, message: err.def[locale], details: err.details }, request_id: requestId };
}

/** Picks sv or en from Accept-Language ("en-GB,en;q=0.9" → en); falls back to the site default. */
export function pickLocale(acceptLanguage: string | null | undefined, fallback: Locale): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((x) => x.lang === "sv" || x.lang === "en")
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale | undefined) ?? fallback;
}
