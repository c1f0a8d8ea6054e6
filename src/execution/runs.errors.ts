// Errors of the run and settings API. Messages say what happened and what to do, in Swedish and
// English; the UI maps the codes to its own texts where it wants to. Messages with {placeholders}
// are filled by `withValues` (the limits come from the site's config).
import { AppError, defineErrors, type ErrorDef } from "../http/errors";
import { ACTION_TEXT } from "./actions.rules";

export const RunErrors = defineErrors({
  toolNotFound: {
    status: 404,
    code: "runs.tool_not_found",
    sv: "Verktyget finns inte eller är inte publicerat. Kontrollera adressen eller välj ett verktyg i katalogen.",
    en: "The tool does not exist or is not published. Check the address or choose a tool from the catalog.",
  },
  runNotFound: {
    status: 404,
    code: "runs.not_found",
    sv: "Körningen finns inte. Den kan ha tagits bort, eller så tillhör den någon annan.",
    en: "The run does not exist. It may have been removed, or it belongs to someone else.",
  },
  artifactNotFound: {
    status: 404,
    code: "runs.artifact_not_found",
    sv: "Filen finns inte längre. Kör verktyget igen för att skapa den på nytt.",
    en: "The file no longer exists. Run the tool again to create it anew.",
  },
  runStillActive: {
    status: 409,
    code: "runs.still_active",
    sv: "Körningen pågår fortfarande. Avbryt den eller vänta tills den är klar innan du tar bort den.",
    en: "The run is still going on. Cancel it or wait until it has finished before you delete it.",
  },
  rerunNotPossible: {
    status: 409,
    code: "runs.rerun_not_possible",
    sv: "Den här körningen kan inte köras igen: bara avslutade körningar som startades från verktygets formulär kan det. Öppna verktyget och starta en ny körning.",
    en: "This run cannot be run again: only finished runs started from the tool's form can. Open the tool and start a new run.",
  },
  rerunInputsChanged: {
    status: 409,
    code: "runs.rerun_inputs_changed",
    sv: "Verktyget har ändrats sedan körningen, så samma värden eller filer passar inte längre. Öppna verktyget och fyll i formuläret igen.",
    en: "The tool has changed since this run, so the same values or files no longer fit. Open the tool and fill in the form again.",
  },
  rerunFilesMissing: {
    status: 409,
    code: "runs.rerun_files_missing",
    sv: "Filerna som körningen använde finns inte längre. Öppna verktyget och ladda upp dem igen.",
    en: "The files this run used no longer exist. Open the tool and upload them again.",
  },
  sessionFilesMissing: {
    status: 409,
    code: "runs.session_files_missing",
    sv: "Filerna från förra körningen finns inte längre. Ladda upp dem igen.",
    en: "The files from the previous run no longer exist. Upload them again.",
  },
  outputNotFound: {
    status: 404,
    code: "runs.output_not_found",
    sv: "Körningen har ingen sådan tabell. Ladda om sidan.",
    en: "The run has no such table. Reload the page.",
  },
  noArtifacts: {
    status: 404,
    code: "runs.no_artifacts",
    sv: "Körningen skapade inga filer att ladda ner.",
    en: "The run did not create any files to download.",
  },
  invalidInputs: {
    status: 422,
    code: "runs.invalid_inputs",
    sv: "Några fält eller filer är felaktiga. Rätta de markerade fälten och försök igen.",
    en: "Some fields or files are invalid. Correct the marked fields and try again.",
  },
  tooManyFiles: {
    status: 422,
    code: "runs.too_many_files",
    sv: "För många filer: högst {max_files} filer får skickas på en gång. Välj färre filer och försök igen.",
    en: "Too many files: at most {max_files} files can be sent at once. Choose fewer files and try again.",
  },
  uploadTooLarge: {
    status: 413,
    code: "runs.upload_too_large",
    sv: "Filerna är för stora: högst {max_mb} MB får skickas sammanlagt. Skicka mindre eller färre filer.",
    en: "The files are too large: at most {max_mb} MB can be sent in total. Send smaller or fewer files.",
  },
  stateConflict: { status: 409, code: "runs.state_conflict", ...ACTION_TEXT.staleState },
  actionNotOffered: { status: 409, code: "runs.action_not_offered", ...ACTION_TEXT.notFound },
  settingsUnavailable: {
    status: 404,
    code: "settings.not_available",
    sv: "Verktyget har inga inställningar att spara.",
    en: "The tool has no settings to save.",
  },
  invalidSettings: {
    status: 422,
    code: "settings.invalid",
    sv: "Några inställningar är felaktiga. Rätta de markerade fälten och spara igen.",
    en: "Some settings are invalid. Correct the marked fields and save again.",
  },
  settingsConflict: {
    status: 409,
    code: "settings.conflict",
    sv: "Inställningarna har ändrats någon annanstans sedan sidan laddades. Ladda om sidan och gör ändringen igen.",
    en: "The settings were changed elsewhere since this page was loaded. Reload the page and make the change again.",
  },
});

/** An error whose message has {name} placeholders filled with `values` (also put in details). */
export function withValues(def: ErrorDef, values: Record<string, string | number>, details: unknown = values): AppError {
  const fill = (text: string) => text.replace(/\{([a-z_]+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
  return new AppError({ ...def, sv: fill(def.sv), en: fill(def.en) }, details);
}
