// The documents feature's errors, and the translated reasons a document's pipeline failed. Each
// message says what to do.
import { AiErrors } from "../ai/ai.errors";
import { defineErrors, type ErrorDef, type Locale } from "../http/errors";

export const DocumentErrors = defineErrors({
  notFound: {
    status: 404,
    code: "documents.not_found",
    sv: "Dokumentet finns inte (längre). Ladda om listan.",
    en: "The document does not exist (any more). Reload the list.",
  },
  categoryNotFound: {
    status: 404,
    code: "documents.category_not_found",
    sv: "Kategorin finns inte (längre). Ladda om listan.",
    en: "The category does not exist (any more). Reload the list.",
  },
  categoryNameTaken: {
    status: 409,
    code: "documents.category_name_taken",
    sv: "Du har redan en kategori med det namnet. Välj ett annat namn.",
    en: "You already have a category with this name. Choose another name.",
  },
  invalidPattern: {
    status: 422,
    code: "documents.invalid_pattern",
    sv: "Ett sökmönster (reguljärt uttryck) eller nyckelord går inte att använda (se details). Rätta det och spara igen.",
    en: "A pattern (regular expression) or keyword cannot be used (see details). Correct it and save again.",
  },
  invalidName: {
    status: 422,
    code: "validation.failed",
    sv: "Namnet måste vara 1–80 tecken. Ändra namnet och försök igen.",
    en: "The name must be 1–80 characters. Change the name and try again.",
  },
  tooLarge: {
    status: 413,
    code: "documents.too_large",
    sv: "Filerna är för stora tillsammans. Ladda upp färre eller mindre filer åt gången.",
    en: "The files are too large together. Upload fewer or smaller files at a time.",
  },
  tooMany: {
    status: 422,
    code: "validation.failed",
    sv: "För många filer på en gång (se details). Ladda upp dem i flera omgångar.",
    en: "Too many files at once (see details). Upload them in several batches.",
  },
  noFile: {
    status: 422,
    code: "validation.failed",
    sv: "Välj minst en PDF-fil att ladda upp.",
    en: "Choose at least one PDF file to upload.",
  },
  notPdf: {
    status: 415,
    code: "documents.not_pdf",
    sv: "Filen är ingen PDF, oavsett vad den heter. Spara dokumentet som PDF och ladda upp det igen.",
    en: "The file is not a PDF, whatever its name says. Save the document as PDF and upload it again.",
  },
  nothingToReview: {
    status: 409,
    code: "documents.nothing_to_review",
    sv: "Dokumentet väntar inte på granskning (längre). Ladda om sidan.",
    en: "The document is not waiting for review (any more). Reload the page.",
  },
  fileMissing: {
    status: 409,
    code: "documents.file_missing",
    sv: "Originalfilen saknas i lagringen. Be administratören återställa den från säkerhetskopian, eller ladda upp dokumentet igen.",
    en: "The original file is missing from storage. Ask the administrator to restore it from the backup, or upload the document again.",
  },
});

/** Why a pipeline stopped, shown on the document (failure.code); the AI's own reasons come from AiErrors. */
export const DocumentFailures = defineErrors({
  extractFailed: {
    status: 422,
    code: "documents.extract_failed",
    sv: "Texten gick inte att läsa ur PDF-filen (den kan vara skadad eller lösenordsskyddad). Spara om den som PDF utan lösenord och ladda upp den igen.",
    en: "The text could not be read from the PDF (it may be damaged or password protected). Save it again as a PDF without a password and upload it again.",
  },
  noText: {
    status: 422,
    code: "documents.no_text",
    sv: "PDF-filen innehåller ingen text, bara bilder (t.ex. en inskannad sida). Kör den genom textigenkänning (OCR) och ladda upp den igen.",
    en: "The PDF contains no text, only images (e.g. a scanned page). Run it through text recognition (OCR) and upload it again.",
  },
  interrupted: {
    status: 500,
    code: "documents.interrupted",
    sv: "Bearbetningen avbröts flera gånger (servern startades om eller stannade). Försök igen med ”Bearbeta igen”.",
    en: "Processing was interrupted several times (the server restarted or stopped). Try again with “Process again”.",
  },
  fileMissing: {
    status: 409,
    code: "documents.file_missing",
    sv: "Originalfilen saknas i lagringen. Ladda upp dokumentet igen.",
    en: "The original file is missing from storage. Upload the document again.",
  },
  failed: {
    status: 500,
    code: "documents.failed",
    sv: "Bearbetningen misslyckades av ett oväntat skäl. Försök igen; kvarstår felet, kontakta administratören.",
    en: "Processing failed for an unexpected reason. Try again; if it persists, contact the administrator.",
  },
});

const FAILURE_DEFS: Map<string, ErrorDef> = new Map([...Object.values<ErrorDef>(DocumentFailures.defs), ...Object.values<ErrorDef>(AiErrors.defs)].map((d) => [d.code, d]));

/** The translated message of a stored failure code (unknown codes read as a general failure). */
export function failureMessage(code: string, locale: Locale): string {
  return (FAILURE_DEFS.get(code) ?? DocumentFailures.defs.failed)[locale];
}
