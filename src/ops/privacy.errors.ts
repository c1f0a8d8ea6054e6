// The privacy feature's errors (export and erasure of a user's data). Each message says what to do.
import { defineErrors } from "../http/errors";

export const PrivacyErrors = defineErrors({
  selfErase: {
    status: 409,
    code: "privacy.self_erase",
    sv: "Du kan inte radera ditt eget konto här. Be en annan superanvändare.",
    en: "You cannot erase your own account here. Ask another superuser.",
  },
  lastSuperuser: {
    status: 409,
    code: "privacy.last_superuser",
    sv: "Kontot är den enda aktiva superanvändaren. Gör någon annan till superanvändare först.",
    en: "This account is the only active superuser. Make someone else a superuser first.",
  },
  confirmMismatch: {
    status: 422,
    code: "privacy.confirm_mismatch",
    sv: "Bekräftelsen stämmer inte. Skriv användarens e-postadress exakt för att radera kontot.",
    en: "The confirmation does not match. Type the user's e-mail address exactly to erase the account.",
  },
});
