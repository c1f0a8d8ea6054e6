// The AI features' errors. Ollama's failures are translated into these so a teacher or admin reads
// what happened and what to do, never a raw client stack.
import { defineErrors } from "../http/errors";

export const AiErrors = defineErrors({
  disabled: {
    status: 404,
    code: "ai.disabled",
    sv: "AI-funktionerna är avstängda på den här webbplatsen. En administratör kan slå på dem ([ai] enabled = true).",
    en: "The AI features are turned off on this site. An administrator can turn them on ([ai] enabled = true).",
  },
  notConfigured: {
    status: 409,
    code: "ai.not_configured",
    sv: "Ingen modell är inställd för detta. Be administratören ange modellen under [ai] (t.ex. embed_model) och starta om.",
    en: "No model is configured for this. Ask the administrator to set the model in [ai] (e.g. embed_model) and restart.",
  },
  unreachable: {
    status: 503,
    code: "ai.unreachable",
    sv: "AI-servern (Ollama) svarar inte. Försök igen om en stund; kvarstår felet, be administratören kontrollera att Ollama körs och [ai] ollama_url.",
    en: "The AI server (Ollama) does not answer. Try again in a while; if it persists, ask the administrator to check that Ollama runs and [ai] ollama_url.",
  },
  timeout: {
    status: 504,
    code: "ai.timeout",
    sv: "AI-servern svarade inte i tid. Försök igen, gärna med en kortare text; kvarstår felet, be administratören höja [ai] timeout_seconds eller välja en mindre modell.",
    en: "The AI server did not answer in time. Try again, preferably with a shorter text; if it persists, ask the administrator to raise [ai] timeout_seconds or choose a smaller model.",
  },
  unknownModel: {
    status: 502,
    code: "ai.unknown_model",
    sv: "Modellen finns inte på AI-servern. Be administratören hämta den (ollama pull) eller välja en annan modell under [ai].",
    en: "The model is not on the AI server. Ask the administrator to pull it (ollama pull) or choose another model in [ai].",
  },
  invalidOutput: {
    status: 502,
    code: "ai.invalid_output",
    sv: "AI-modellen gav inget giltigt svar, inte ens efter nya försök. Försök igen senare eller be administratören välja en annan modell.",
    en: "The AI model gave no valid answer, not even after retrying. Try again later or ask the administrator to choose another model.",
  },
  tooLong: {
    status: 422,
    code: "ai.too_long",
    sv: "Texten är för lång för AI-modellens kontextfönster. Korta texten, eller be administratören höja [ai] num_ctx.",
    en: "The text is too long for the AI model's context window. Shorten it, or ask the administrator to raise [ai] num_ctx.",
  },
  failed: {
    status: 502,
    code: "ai.failed",
    sv: "AI-servern svarade med ett fel. Försök igen; kvarstår felet, be administratören titta i Ollamas logg.",
    en: "The AI server answered with an error. Try again; if it persists, ask the administrator to check Ollama's log.",
  },
  aborted: {
    status: 499,
    code: "ai.aborted",
    sv: "Förfrågan avbröts.",
    en: "The request was cancelled.",
  },
  busy: {
    status: 409,
    code: "ai.busy",
    sv: "Assistenten svarar redan på en fråga om det här verktyget. Vänta tills svaret är klart eller avbryt det.",
    en: "The assistant is already answering a question about this tool. Wait for the answer to finish or cancel it.",
  },
});
