// The access feature's errors (API keys, device flow, webhooks). Each message says what to do.
import { defineErrors } from "../http/errors";

export const AccessErrors = defineErrors({
  scopesEmpty: {
    status: 422,
    code: "access.scopes_empty",
    sv: "Välj minst en behörighet (scope) för nyckeln.",
    en: "Choose at least one scope for the key.",
  },
  scopeInvalid: {
    status: 422,
    code: "access.scope_invalid",
    sv: "Okänd behörighet (scope). Välj bland de tillåtna behörigheterna.",
    en: "Unknown scope. Choose among the allowed scopes.",
  },
  adminScopeExclusive: {
    status: 422,
    code: "access.admin_scope_exclusive",
    sv: "Behörigheten admin kan inte kombineras med andra. Välj antingen admin eller de andra behörigheterna.",
    en: "The admin scope cannot be combined with others. Choose either admin or the other scopes.",
  },
  scopeNotAllowed: {
    status: 403,
    code: "access.scope_not_allowed",
    sv: "Ditt konto får inte ge ut de här behörigheterna. Välj bland de tillåtna.",
    en: "Your account may not hand out these scopes. Choose among the allowed ones.",
  },
  expiryInPast: {
    status: 422,
    code: "access.expiry_in_past",
    sv: "Utgångsdatumet har redan passerat. Välj ett datum i framtiden eller inget datum.",
    en: "The expiry date has already passed. Choose a future date or none.",
  },
  webhookUrlInvalid: {
    status: 422,
    code: "access.webhook_url_invalid",
    sv: "Webhook-adressen måste vara en http- eller https-adress utan användarnamn och lösenord.",
    en: "The webhook address must be an http or https address without user name and password.",
  },
  keyNotFound: {
    status: 404,
    code: "access.key_not_found",
    sv: "Nyckeln finns inte. Ladda om listan.",
    en: "The key does not exist. Reload the list.",
  },
  deviceCodeNotFound: {
    status: 404,
    code: "device.code_not_found",
    sv: "Koden finns inte eller har gått ut. Starta inloggningen i kommandoraden igen och skriv den nya koden.",
    en: "The code does not exist or has expired. Start the login in the command line again and enter the new code.",
  },
  deviceAlreadyDecided: {
    status: 409,
    code: "device.already_decided",
    sv: "Den här koden är redan godkänd eller nekad. Starta en ny inloggning i kommandoraden om det behövs.",
    en: "This code has already been approved or denied. Start a new login in the command line if needed.",
  },
  deviceCodeExpired: {
    status: 410,
    code: "device.code_expired",
    sv: "Inloggningen har gått ut eller redan använts. Kör skriptoteket login igen.",
    en: "The login has expired or was already used. Run skriptoteket login again.",
  },
  deviceDenied: {
    status: 403,
    code: "device.denied",
    sv: "Inloggningen nekades i webbläsaren.",
    en: "The login was denied in the browser.",
  },
  deviceSlowDown: {
    status: 429,
    code: "device.slow_down",
    sv: "Frågar för ofta. Vänta det angivna intervallet mellan försöken.",
    en: "Polling too often. Wait the given interval between attempts.",
  },
});
