import type { ApiError } from "../api/api-error";

/**
 * A form's field problems from an authoring error: 422 details by top-level field ("/professions/0" →
 * "professions"), and 409 authoring.slug_taken / slug_frozen on the slug field.
 */
export function fieldProblems(error: ApiError): Record<string, string> {
  if (error.code === "authoring.slug_taken" || error.code === "authoring.slug_frozen") return { slug: error.message };
  const out: Record<string, string> = {};
  if (!Array.isArray(error.details)) return out;
  for (const issue of error.details as unknown[]) {
    if (typeof issue !== "object" || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== "string" || typeof message !== "string") continue;
    const field = path.replace(/^\//, "").split("/")[0] ?? "";
    if (field && !(field in out)) out[field] = message;
  }
  return out;
}
