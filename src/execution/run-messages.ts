// Texts the SERVER writes into a run's error_summary (never the tool's own messages). The worker does
// not know who will read the run, so a system message is stored in both languages, English line first
// and Swedish second — the same layout as the payload's system notices ("System notice: …\nSystemmeddelande: …").
import type { Bilingual } from "./contract.types";

export const RUN_TEXT = {
  cancelled: { en: "The run was cancelled.", sv: "Körningen avbröts." },
  interrupted: {
    en: "The run was interrupted: the server or worker running it stopped, and it could not be retried. Please try again.",
    sv: "Körningen avbröts: servern eller arbetsprocessen som körde den stannade, och den kunde inte göras om. Försök igen.",
  },
  timedOut: (seconds: number) => ({
    en: `The run took longer than ${seconds} seconds and was stopped. Try smaller input, or ask the tool's author to make it faster.`,
    sv: `Körningen tog längre tid än ${seconds} sekunder och stoppades. Prova med mindre indata, eller be verktygets författare göra det snabbare.`,
  }),
  outOfMemory: (megabytes: number) => ({
    en: `The run used more memory than allowed (${megabytes} MB) and was stopped. Try smaller input, or ask the tool's author to use less memory.`,
    sv: `Körningen använde mer minne än tillåtet (${megabytes} MB) och stoppades. Prova med mindre indata, eller be verktygets författare att minska minnesbehovet.`,
  }),
  imageMissing: (image: string) => ({
    en: `The runner image ${image} is missing on the Docker host, so no tool can run. An administrator must install it (see "skriptoteket doctor").`,
    sv: `Körmiljöns avbild ${image} saknas på Docker-värden, så inga verktyg kan köras. En administratör behöver installera den (se "skriptoteket doctor").`,
  }),
  runnerUnavailable: {
    en: "The runner (Docker) could not run the tool, also after retrying. Please try again later; if it keeps failing, tell an administrator.",
    sv: "Körmiljön (Docker) kunde inte köra verktyget, inte heller efter nya försök. Försök igen senare; om felet kvarstår, kontakta en administratör.",
  },
  inputFileMissing: (name: string) => ({
    en: `The uploaded file ${JSON.stringify(name)} is no longer stored, so the run cannot start. Upload it again.`,
    sv: `Den uppladdade filen ${JSON.stringify(name)} finns inte längre sparad, så körningen kan inte starta. Ladda upp den igen.`,
  }),
  versionMissing: {
    en: "The tool version of this run no longer exists.",
    sv: "Verktygsversionen för den här körningen finns inte längre.",
  },
  internalError: {
    en: "The run failed because of an internal error in Skriptoteket. Please try again; if it keeps failing, tell an administrator.",
    sv: "Körningen misslyckades på grund av ett internt fel i Skriptoteket. Försök igen; om felet kvarstår, kontakta en administratör.",
  },
  invalidSpec: (detail: string) => ({
    en: `The run could not be prepared: ${detail}`,
    sv: `Körningen kunde inte förberedas: ${detail}`,
  }),
} as const;

/** The stored form of a system message: English line, newline, Swedish line. */
export function systemSummary(text: Bilingual): string {
  return `${text.en}\n${text.sv}`;
}
