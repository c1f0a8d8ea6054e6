// Pure rules of talking to a local model: token estimates and budgets, the truncation check, a small
// JSON-schema check for structured answers, and cosine similarity. No I/O.

/**
 * Rough token count: one token per 3 characters, rounded up. Real tokenizers give 3.5–4.5 characters
 * per token for Swedish and English prose and fewer for code, so this errs high on purpose: a prompt
 * budgeted with it fits the context window.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** Tokens a chat template adds around each message (role markers). */
export const MESSAGE_OVERHEAD_TOKENS = 8;

export function estimateMessagesTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((n, m) => n + estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0);
}

/** The largest prompt, in tokens, that leaves `outputTokens` of the window for the answer. */
export function promptBudget(numCtx: number, outputTokens: number): number {
  return Math.max(0, numCtx - outputTokens);
}

/**
 * Ollama shortens a prompt longer than num_ctx without saying so; the only trace is
 * prompt_eval_count reaching the window. Our prompts are budgeted to leave room for the answer, so a
 * count that (nearly) fills the window means the prompt did not fit. The slack covers the few tokens
 * Ollama keeps back when it cuts.
 */
export function promptWasTruncated(promptEvalCount: number, numCtx: number): boolean {
  const slack = Math.max(8, Math.floor(numCtx * 0.01));
  return promptEvalCount >= numCtx - slack;
}

/** The longest text (characters) that fits `tokens` by estimateTokens. */
export function charsForTokens(tokens: number): number {
  return Math.max(0, tokens * 3);
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeMatches(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case "object":
        return isRecord(value);
      case "array":
        return Array.isArray(value);
      case "string":
        return typeof value === "string";
      case "integer":
        return Number.isInteger(value);
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      case "boolean":
        return typeof value === "boolean";
      case "null":
        return value === null;
      default:
        return true;
    }
  });
}

/**
 * Problems of `value` against the subset of JSON Schema that structured output uses (type,
 * properties, required, additionalProperties: false, items, enum, minimum/maximum, minItems/maxItems,
 * minLength/maxLength). Ollama constrains generation with the schema, but models and Ollama versions
 * differ, so the answer is checked again. Empty = valid. Paths are JSON pointers.
 */
export function checkAgainstSchema(value: unknown, schema: unknown, path = ""): string[] {
  if (!isRecord(schema)) return [];
  const at = path || "/";
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return [`${at}: must be one of ${JSON.stringify(schema.enum)}`];
  if (schema.type !== undefined && !typeMatches(value, schema.type)) return [`${at}: must be of type ${JSON.stringify(schema.type)}`];
  const problems: string[] = [];
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) problems.push(`${at}: must be ≥ ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) problems.push(`${at}: must be ≤ ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) problems.push(`${at}: must have at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) problems.push(`${at}: must have at most ${schema.maxLength} characters`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) problems.push(`${at}: must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) problems.push(`${at}: must have at most ${schema.maxItems} items`);
    value.forEach((item, i) => problems.push(...checkAgainstSchema(item, schema.items, `${path}/${i}`)));
  }
  if (isRecord(value)) {
    const props = isRecord(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required)) for (const key of schema.required) if (typeof key === "string" && !(key in value)) problems.push(`${path}/${key}: is required`);
    for (const [key, v] of Object.entries(value)) {
      if (key in props) problems.push(...checkAgainstSchema(v, props[key], `${path}/${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}/${key}: is not allowed`);
    }
  }
  return problems;
}

/** Parses a model's JSON answer; models sometimes wrap it in a ```json fence despite `format`. */
export function parseModelJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  if (!body) return { ok: false, problem: "empty answer" };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    return { ok: false, problem: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
