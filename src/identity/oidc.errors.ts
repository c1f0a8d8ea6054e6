// Errors of single sign-on. The callback turns them into /login?sso_error=<code>, where the login page
// shows the translated text (ui i18n "access.sso_error.*"); the API answers with these messages too.
import { defineErrors } from "../http/errors";

export const OidcErrors = defineErrors({
  providerNotFound: {
    status: 404,
    code: "sso.provider_not_found",
    sv: "Inloggningstjänsten finns inte. Välj en av knapparna på inloggningssidan.",
    en: "This sign-in service does not exist. Choose one of the buttons on the login page.",
  },
  providerUnavailable: {
    status: 502,
    code: "sso.provider_unavailable",
    sv: "Inloggningstjänsten svarar inte just nu. Försök igen om en stund, eller kontakta administratören.",
    en: "The sign-in service does not answer right now. Try again in a while, or contact the administrator.",
  },
  failed: {
    status: 400,
    code: "sso.failed",
    sv: "Inloggningen kunde inte slutföras (den kan ha tagit för lång tid). Försök igen från inloggningssidan.",
    en: "The login could not be completed (it may have taken too long). Try again from the login page.",
  },
  emailMissing: {
    status: 403,
    code: "sso.email_missing",
    sv: "Inloggningstjänsten lämnade ingen e-postadress. Be administratören kontrollera inställningarna för inloggning.",
    en: "The sign-in service did not provide an e-mail address. Ask the administrator to check the sign-in settings.",
  },
  emailUnverified: {
    status: 403,
    code: "sso.email_unverified",
    sv: "Din e-postadress är inte bekräftad hos inloggningstjänsten. Bekräfta den där och försök igen.",
    en: "Your e-mail address is not confirmed at the sign-in service. Confirm it there and try again.",
  },
  domainNotAllowed: {
    status: 403,
    code: "sso.domain_not_allowed",
    sv: "Konton med den e-postdomänen får inte logga in här. Logga in med ditt skol- eller jobbkonto.",
    en: "Accounts with this e-mail domain may not log in here. Log in with your school or work account.",
  },
  noAccount: {
    status: 403,
    code: "sso.no_account",
    sv: "Det finns inget konto för din e-postadress här. Be en administratör att skapa ett.",
    en: "There is no account for your e-mail address here. Ask an administrator to create one.",
  },
  accountInactive: {
    status: 403,
    code: "sso.account_inactive",
    sv: "Kontot är avstängt. Kontakta en administratör om du behöver det igen.",
    en: "This account is deactivated. Contact an administrator if you need it again.",
  },
  localLoginDisabled: {
    status: 403,
    code: "auth.local_login_disabled",
    sv: "Logga in med knappen för skolans konto (enkel inloggning). Lösenord används bara av administratörer här.",
    en: "Log in with the button for your school account (single sign-on). Passwords are only for administrators here.",
  },
});

/** The codes the callback may put in /login?sso_error=… (the login page knows each). */
export const SSO_ERROR_CODES = [
  "sso.provider_not_found",
  "sso.provider_unavailable",
  "sso.failed",
  "sso.email_missing",
  "sso.email_unverified",
  "sso.domain_not_allowed",
  "sso.no_account",
  "sso.account_inactive",
] as const;
