// The groups feature's errors. Each message says what to do.
import { defineErrors } from "../http/errors";

export const GroupErrors = defineErrors({
  notFound: {
    status: 404,
    code: "groups.not_found",
    sv: "Gruppen finns inte (längre). Ladda om listan.",
    en: "The group does not exist (any more). Reload the list.",
  },
  nameTaken: {
    status: 409,
    code: "groups.name_taken",
    sv: "Det finns redan en grupp med det namnet. Välj ett annat namn.",
    en: "A group with this name already exists. Choose another name.",
  },
  userNotFound: {
    status: 404,
    code: "groups.user_not_found",
    sv: "Det finns inget konto med den e-postadressen. Personen behöver logga in en gång (eller få ett konto av en administratör) först.",
    en: "There is no account with this e-mail address. The person needs to log in once (or get an account from an administrator) first.",
  },
  memberNotFound: {
    status: 404,
    code: "groups.member_not_found",
    sv: "Personen är inte medlem i gruppen. Ladda om sidan.",
    en: "This person is not a member of the group. Reload the page.",
  },
  toolNotFound: {
    status: 404,
    code: "groups.tool_not_found",
    sv: "Verktyget finns inte. Kontrollera kortadressen (slug).",
    en: "The tool does not exist. Check its slug.",
  },
  unknownGroups: {
    status: 422,
    code: "groups.unknown_groups",
    sv: "En eller flera av de valda grupperna finns inte längre. Ladda om sidan och välj igen.",
    en: "One or more of the chosen groups no longer exist. Reload the page and choose again.",
  },
});
