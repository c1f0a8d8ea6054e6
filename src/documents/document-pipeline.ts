// One document through the pipeline: text per page (unpdf) → category rules → the model (when [ai]
// is on) → a suggestion to review. Every step is idempotent, so a job that is retried after a crash
// simply starts over at "extracting"; each status change is guarded by the status before it, so a
// document deleted or reprocessed meanwhile is left alone.
import { AiError, type AiClient } from "../ai/ai-client";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { BlobStore } from "../store/blob-store";
import { DocumentFailures } from "./documents.errors";
import type { DocumentsRepository } from "./documents.repository";
import {
  buildSuggestion,
  chunkPages,
  classificationSchema,
  combineChunkResults,
  matchCategoryRules,
  statusAfterPipeline,
  validateClassification,
  type Classification,
  type ClassificationSetup,
} from "./documents.rules";
import { PdfReadError } from "./pdf-text";
import { sharedPdfTextPool } from "./pdf-text-pool";

export type PipelineDeps = {
  documents: DocumentsRepository;
  blobStore: BlobStore;
  /** null when [ai] enabled = false: the pipeline stops after the rules and nothing connects anywhere. */
  ai: AiClient | null;
  config: Pick<Config, "documents">;
  log: Logger;
  now: () => Date;
};

export type PipelineOutcome = "gone" | "skipped" | "done" | "needs_review" | "failed";

/** Room left for the model's answer (summary, fields, categories as JSON). */
const OUTPUT_TOKENS = 1_024;

const SYSTEM_PROMPT = [
  "Du klassificerar dokument åt en svensk skola. Svara endast med JSON enligt schemat.",
  "doc_type: dokumentets typ, ett av de tillåtna värdena. summary: en saklig sammanfattning på svenska, högst fyra meningar.",
  "categories: de av användarens kategorier som passar (tom lista om ingen passar). fields: värden ur texten, null när de saknas.",
  "confidence: hur säker du är på klassningen, från 0 till 1.",
].join("\n");

const IN_PROGRESS = ["uploaded", "extracting", "classifying"] as const;

/** Runs the pipeline for one document; failures end as a failed document with a reason, never a throw. */
export async function processDocument(deps: PipelineDeps, documentId: string, signal: AbortSignal): Promise<PipelineOutcome> {
  const { documents, log } = deps;
  const doc = await documents.get(null, documentId);
  if (!doc) return "gone";
  // a duplicate or late job: the document is no longer the pipeline's
  if (!(await documents.transition(documentId, IN_PROGRESS, "extracting", deps.now()))) return "skipped";
  const fail = async (code: string, detail: string | null): Promise<PipelineOutcome> => {
    log.warn("document pipeline failed", { document_id: documentId, code, detail });
    await documents.fail(documentId, { code, detail }, deps.now());
    return "failed";
  };

  const blob = await deps.blobStore.get(doc.storageKey);
  if (!blob) return fail(DocumentFailures.defs.fileMissing.code, doc.storageKey);
  let pages: string[];
  try {
    pages = (await sharedPdfTextPool().extract(new Uint8Array(await blob.arrayBuffer()), { maxPages: deps.config.documents.max_pages, signal })).pages;
  } catch (e) {
    if (signal.aborted) throw e;
    return fail(DocumentFailures.defs.extractFailed.code, e instanceof PdfReadError ? e.message : String(e));
  }
  await documents.savePages(documentId, pages, deps.now());
  if (!pages.some((p) => p.trim())) return fail(DocumentFailures.defs.noText.code, `${pages.length} pages without text`);
  signal.throwIfAborted();
  if (!(await documents.transition(documentId, ["extracting"], "classifying", deps.now()))) return "skipped";

  const categories = await documents.listCategories(doc.userId);
  const ruleMatches = matchCategoryRules(pages.join("\n"), categories);
  let ai: { value: Classification; model: string } | null = null;
  if (deps.ai) {
    try {
      ai = await classify(deps.ai, pages, { types: deps.config.documents.types, fields: deps.config.documents.fields, categories: categories.map((c) => c.name) }, signal);
    } catch (e) {
      if (signal.aborted) throw e;
      if (e instanceof AiError) return fail(e.toAppError().code, e.message);
      throw e;
    }
  }
  const suggestion = buildSuggestion({ ruleMatches, ai, categories, accepted: doc.categories.map((c) => c.id) });
  const status = statusAfterPipeline(suggestion);
  if (!(await documents.finishPipeline(documentId, { suggestion, status, aiModel: ai?.model ?? null, now: deps.now() }))) return "skipped";
  log.info("document processed", { document_id: documentId, status, pages: pages.length, ai_model: ai?.model ?? null, rule_matches: ruleMatches.length });
  return status === "needs_review" ? "needs_review" : "done";
}

/**
 * The model's classification. Chunks are sized from the model's context ([ai] num_ctx, explicit on
 * every call) minus the system prompt and the answer; a text of several chunks is classified per chunk
 * and then once more over what each chunk yielded. The client checks the prompt token count Ollama
 * reports (truncation is an error, not a silent cut) and retries answers that do not fit the schema.
 */
async function classify(ai: AiClient, pages: readonly string[], setup: ClassificationSetup, signal: AbortSignal): Promise<{ value: Classification; model: string }> {
  const schema = classificationSchema(setup);
  const overhead = ai.estimateTokens(SYSTEM_PROMPT + JSON.stringify(schema)) + 64;
  const budgetTokens = ai.promptBudget(OUTPUT_TOKENS) - overhead;
  // estimateTokens counts about 3 characters a token (high on purpose), so this stays inside the budget
  const maxChars = Math.max(500, budgetTokens * 3);
  const call = (prompt: string) =>
    ai.structured<Classification>({
      system: SYSTEM_PROMPT,
      prompt,
      schema,
      validate: (v) => validateClassification(v, setup),
      outputTokens: OUTPUT_TOKENS,
      temperature: 0,
      signal,
    });
  const chunks = chunkPages(pages, maxChars);
  if (chunks.length === 1) {
    const r = await call(`Dokumentets text:\n\n${chunks[0]}`);
    return { value: r.value, model: r.model };
  }
  const parts: Classification[] = [];
  for (const [i, chunk] of chunks.entries()) parts.push((await call(`Del ${i + 1} av ${chunks.length} av ett längre dokument:\n\n${chunk}`)).value);
  const combined = combineChunkResults(parts);
  const final = await call(`Ett långt dokument har lästs i ${chunks.length} delar. Klassificera hela dokumentet utifrån vad varje del innehöll:\n\n${combined.slice(0, maxChars)}`);
  return { value: final.value, model: final.model };
}
