/**
 * The editor's buffer and what the editor decides from it: the text of every editor (schemas kept as
 * text, because they are often invalid JSON mid-edit), turning it into the content the server takes,
 * and whether a working copy found in the browser should be offered for restore. Pure: no I/O.
 */
import type { Version, VersionContent } from "../api/authoring.api";
import type { StarterTemplate } from "./starter-template";

export interface EditorBuffer {
  source: string;
  entrypoint: string;
  /** JSON text of the input schema. */
  inputSchema: string;
  /** JSON text of the settings schema; "" means no settings. */
  settingsSchema: string;
  usageInstructions: string;
}

/** A buffer kept in the browser (IndexedDB) between visits, per tool and user. */
export interface WorkingCopy {
  key: string;
  toolId: string;
  userId: string;
  /** The version the buffer was based on (null: a tool with no versions yet). */
  baseVersionId: string | null;
  baseNumber: number | null;
  buffer: EditorBuffer;
  /** ISO time of the last autosave. */
  savedAt: string;
}

export function workingCopyKey(toolId: string, userId: string): string {
  return `${toolId}:${userId}`;
}

export function jsonText(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
}

export function bufferFromVersion(version: Pick<Version, "source" | "entrypoint" | "input_schema" | "settings_schema" | "usage_instructions">): EditorBuffer {
  return {
    source: version.source,
    entrypoint: version.entrypoint,
    inputSchema: jsonText(version.input_schema),
    settingsSchema: jsonText(version.settings_schema),
    usageInstructions: version.usage_instructions,
  };
}

export function bufferFromTemplate(template: StarterTemplate): EditorBuffer {
  return bufferFromVersion(template);
}

export function sameBuffer(a: EditorBuffer, b: EditorBuffer): boolean {
  return (
    a.source === b.source &&
    a.entrypoint === b.entrypoint &&
    a.inputSchema === b.inputSchema &&
    a.settingsSchema === b.settingsSchema &&
    a.usageInstructions === b.usageInstructions
  );
}

export type ContentResult =
  | { ok: true; content: VersionContent }
  /** The JSON text of a schema does not parse: the server cannot check it, so nothing is sent. */
  | { ok: false; field: "input_schema" | "settings_schema"; message: string };

/** The content to send: schemas parsed from their text ("" settings → null, "" input → []). */
export function contentFromBuffer(buffer: EditorBuffer): ContentResult {
  const input = parseJson(buffer.inputSchema, []);
  if (!input.ok) return { ok: false, field: "input_schema", message: input.message };
  const settings = parseJson(buffer.settingsSchema, null);
  if (!settings.ok) return { ok: false, field: "settings_schema", message: settings.message };
  return {
    ok: true,
    content: {
      source: buffer.source,
      entrypoint: buffer.entrypoint.trim() || "run_tool",
      input_schema: input.value,
      settings_schema: settings.value,
      usage_instructions: buffer.usageInstructions,
    },
  };
}

function parseJson(text: string, empty: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, value: empty };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Top-level function names of a source, for the entrypoint choice (the current entrypoint stays listed). */
export function entrypointCandidates(source: string, current: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/^def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/gm)) names.add(match[1]!);
  if (current) names.add(current);
  return [...names].sort((a, b) => (a === current ? -1 : b === current ? 1 : a.localeCompare(b)));
}

export type RestoreOffer =
  /** Nothing kept, or it equals what the editor opens: forget it quietly. */
  | { kind: "none" }
  /** Unsaved changes on top of the version the editor opens. */
  | { kind: "offer"; copy: WorkingCopy }
  /** Unsaved changes on top of an OLDER version: saving them will meet a newer head (compare first). */
  | { kind: "offer_stale"; copy: WorkingCopy };

/** Whether to offer a kept working copy when the editor opens `headVersionId` with `headBuffer`. */
export function restoreOffer(copy: WorkingCopy | null, headVersionId: string | null, headBuffer: EditorBuffer): RestoreOffer {
  if (!copy) return { kind: "none" };
  if (sameBuffer(copy.buffer, headBuffer)) return { kind: "none" };
  return copy.baseVersionId === headVersionId ? { kind: "offer", copy } : { kind: "offer_stale", copy };
}
