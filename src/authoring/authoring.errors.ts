// Errors of authoring and governance. Each message says what to do; details carry what the UI needs
// (the lock holder, the current head, the failing transition).
import { defineErrors } from "../http/errors";

export const AuthoringErrors = defineErrors({
  toolNotFound: {
    status: 404,
    code: "authoring.tool_not_found",
    sv: "Verktyget finns inte (längre). Ladda om verktygslistan.",
    en: "The tool does not exist (any more). Reload the list of tools.",
  },
  versionNotFound: {
    status: 404,
    code: "authoring.version_not_found",
    sv: "Verktyget har ingen sådan version. Ladda om versionslistan.",
    en: "The tool has no such version. Reload the list of versions.",
  },
  notMaintainer: {
    status: 403,
    code: "authoring.not_maintainer",
    sv: "Du är inte förvaltare av det här verktyget. Be en administratör att lägga till dig.",
    en: "You are not a maintainer of this tool. Ask an administrator to add you.",
  },
  slugTaken: {
    status: 409,
    code: "authoring.slug_taken",
    sv: "Ett annat verktyg har redan den kortadressen. Välj en annan.",
    en: "Another tool already has this slug. Choose another one.",
  },
  slugFrozen: {
    status: 409,
    code: "authoring.slug_frozen",
    sv: "Kortadressen kan inte ändras medan verktyget är publicerat: den används i länkar och historik. Avpublicera verktyget först.",
    en: "The slug cannot change while the tool is published: it is used in links and history. Unpublish the tool first.",
  },
  noActiveVersion: {
    status: 409,
    code: "authoring.no_active_version",
    sv: "Verktyget har ingen publicerad version ännu. Granska och publicera en version först.",
    en: "The tool has no published version yet. Review and publish a version first.",
  },
  userNotFound: {
    status: 404,
    code: "authoring.user_not_found",
    sv: "Det finns inget konto med den e-postadressen. Kontrollera stavningen eller skapa kontot först.",
    en: "There is no account with this e-mail address. Check the spelling or create the account first.",
  },
  maintainerRole: {
    status: 422,
    code: "authoring.maintainer_role",
    sv: "Bara bidragsgivare och administratörer kan förvalta verktyg. Ge kontot rollen bidragsgivare först.",
    en: "Only contributors and administrators can maintain tools. Give the account the contributor role first.",
  },
  headMoved: {
    status: 409,
    code: "authoring.head_moved",
    sv: "Någon har sparat en nyare version sedan du öppnade verktyget. Ladda den senaste versionen och för över dina ändringar.",
    en: "Someone saved a newer version since you opened the tool. Load the latest version and carry your changes over.",
  },
  locked: {
    status: 423,
    code: "authoring.locked",
    sv: "Någon annan redigerar verktyget just nu (se details.holder). Vänta tills låset släpps, eller be en administratör ta över.",
    en: "Someone else is editing this tool right now (see details.holder). Wait until the lock is released, or ask an administrator to take over.",
  },
  lockLost: {
    status: 423,
    code: "authoring.lock_lost",
    sv: "Du har inte längre redigeringslåset: någon annan har tagit över. Spara din text lokalt och ladda om.",
    en: "You no longer hold the editing lock: someone else took over. Keep a local copy of your text and reload.",
  },
  takeOverForbidden: {
    status: 403,
    code: "authoring.take_over_forbidden",
    sv: "Bara administratörer kan ta över någon annans redigeringslås.",
    en: "Only administrators can take over someone else's editing lock.",
  },
  snapshotNotFound: {
    status: 404,
    code: "authoring.snapshot_not_found",
    sv: "Testkörningens ögonblicksbild finns inte. Starta testkörningen igen från redigeraren.",
    en: "The sandbox snapshot does not exist. Start the sandbox run again from the editor.",
  },
  invalidTransition: {
    status: 409,
    code: "authoring.invalid_transition",
    sv: "Versionen är inte i rätt läge för det här steget (se details.from). Ladda om versionslistan.",
    en: "The version is not in the right state for this step (see details.from). Reload the list of versions.",
  },
  suggestionNotFound: {
    status: 404,
    code: "authoring.suggestion_not_found",
    sv: "Förslaget finns inte. Ladda om listan med förslag.",
    en: "The suggestion does not exist. Reload the list of suggestions.",
  },
  suggestionDecided: {
    status: 409,
    code: "authoring.suggestion_decided",
    sv: "Förslaget är redan beslutat. Ladda om listan för att se beslutet.",
    en: "The suggestion has already been decided. Reload the list to see the decision.",
  },
});
