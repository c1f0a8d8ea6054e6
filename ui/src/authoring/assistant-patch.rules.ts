/**
 * Applying the AI assistant's proposal (a unified diff of the tool's source, see
 * components/assistant-drawer) to the editor's current source. Pure: the `diff` package only.
 */
import { applyPatch } from "diff";

/** The source with the diff applied; null when the diff does not fit the source or is malformed. */
export function patchedSource(source: string, diff: string): string | null {
  try {
    const result = applyPatch(source, diff);
    return typeof result === "string" ? result : null;
  } catch {
    return null;
  }
}
