// The identity feature's errors (codes as in the API contract). Each message says what to do.
import { defineErrors } from "../http/errors";

export const IdentityErrors = defineErrors({
  invalidCredentials: {
    status: 401,
    code: "auth.invalid_credentials",
    sv: "Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen, eller välj ”Glömt lösenord”.",
    en: "Wrong e-mail address or password. Check the spelling and try again, or choose “Forgot password”.",
  },
  emailNotVerified: {
    status: 403,
    code: "auth.email_not_verified",
    sv: "Din e-postadress är inte bekräftad. Öppna länken i e-postmeddelandet vi skickade, eller be om ett nytt.",
    en: "Your e-mail address is not confirmed yet. Open the link in the e-mail we sent, or ask for a new one.",
  },
  accountInactive: {
    status: 403,
    code: "auth.account_inactive",
    sv: "Kontot är avstängt. Kontakta en administratör om du behöver det igen.",
    en: "This account is deactivated. Contact an administrator if you need it again.",
  },
  registrationClosed: {
    status: 403,
    code: "auth.registration_closed",
    sv: "Det går inte att skapa konto själv här. Be en administratör att skapa ett åt dig.",
    en: "You cannot create an account yourself here. Ask an administrator to create one for you.",
  },
  domainNotAllowed: {
    status: 403,
    code: "auth.domain_not_allowed",
    sv: "Konton kan bara skapas med en e-postadress från de tillåtna domänerna. Använd din skol- eller jobbadress.",
    en: "Accounts can only be created with an e-mail address from the allowed domains. Use your school or work address.",
  },
  emailTaken: {
    status: 409,
    code: "auth.email_taken",
    sv: "Det finns redan ett konto med den e-postadressen. Logga in, eller välj ”Glömt lösenord”.",
    en: "An account with this e-mail address already exists. Log in, or choose “Forgot password”.",
  },
  locked: {
    status: 423,
    code: "auth.locked",
    sv: "Kontot är tillfälligt låst efter för många misslyckade inloggningar. Vänta en stund och försök igen, eller välj ”Glömt lösenord”.",
    en: "The account is locked for a while after too many failed logins. Wait and try again, or choose “Forgot password”.",
  },
  tokenInvalid: {
    status: 400,
    code: "auth.token_invalid",
    sv: "Länken är ogiltig, har redan använts eller har gått ut. Be om en ny länk.",
    en: "The link is invalid, already used or expired. Ask for a new link.",
  },
  weakPassword: {
    status: 422,
    code: "auth.weak_password",
    sv: "Lösenordet är för svagt. Välj ett längre lösenord som inte är din e-postadress eller ett vanligt lösenord.",
    en: "The password is too weak. Choose a longer password that is not your e-mail address or a common password.",
  },
  selfChange: {
    status: 409,
    code: "users.self_change",
    sv: "Du kan inte sänka din egen roll eller stänga av ditt eget konto. Be en annan superanvändare.",
    en: "You cannot lower your own role or deactivate your own account. Ask another superuser.",
  },
});
