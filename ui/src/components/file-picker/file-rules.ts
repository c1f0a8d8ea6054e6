/**
 * What the file picker checks before anything is uploaded: the tool's accepted types, its file count
 * and the site's upload limits. Pure (no DOM): files are described by name, size and browser type.
 * The server checks again, and also looks inside each file (a renamed file is refused there).
 */

export interface PickedFile {
  name: string;
  size: number;
  /** The browser's guess from the name ("" when it has none). */
  type: string;
}

export interface FileLimits {
  /** The field's accept list: ".pdf", "application/pdf", "image/*". Empty: any type. */
  accept: readonly string[];
  /** The field's file count. */
  min: number;
  max: number;
  /** The site's limits for one run ([storage] max_upload_files / max_upload_mb). */
  maxFiles: number;
  maxMb: number;
}

export type FileProblem =
  | { code: "type"; name: string }
  | { code: "too_few"; limit: number }
  | { code: "too_many"; limit: number }
  | { code: "too_large"; limitMb: number };

const MIB = 1024 * 1024;

function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

/** The accept list as the server normalizes it: lower case, "pdf" → ".pdf", "*" → "*∕*". */
export function normalizeAccept(accept: readonly string[] | undefined): string[] {
  return (accept ?? [])
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== "")
    .map((a) => (a === "*" ? "*/*" : a.includes("/") || a.startsWith(".") ? a : `.${a}`));
}

/**
 * Whether the file's name or browser type fits the accept list. A media-type entry cannot be judged
 * when the browser gives no type: then the file passes here and the server decides.
 */
export function accepts(accept: readonly string[], file: PickedFile): boolean {
  if (accept.length === 0) return true;
  const ext = extension(file.name);
  const type = file.type.toLowerCase();
  return accept.some((entry) => {
    if (entry === "*/*") return true;
    if (entry.startsWith(".")) return ext === entry;
    if (type === "") return true;
    return entry.endsWith("/*") ? type.startsWith(entry.slice(0, -1)) : type === entry;
  });
}

/** The most files one run of this field may take: the field's max, within the site's limit. */
export function maxFileCount(limits: FileLimits): number {
  return Math.max(0, Math.min(limits.max, limits.maxFiles));
}

/**
 * Adds newly chosen files: a file with the same name as one already chosen replaces it (the server
 * refuses two uploads with one name). Returns the new list and the files refused for their type.
 */
export function addFiles<T extends PickedFile>(current: readonly T[], added: readonly T[], limits: FileLimits): { files: T[]; refused: T[] } {
  const accept = normalizeAccept(limits.accept);
  const files = [...current];
  const refused: T[] = [];
  for (const file of added) {
    if (!accepts(accept, file)) {
      refused.push(file);
      continue;
    }
    const same = files.findIndex((f) => f.name === file.name);
    if (same >= 0) files[same] = file;
    else files.push(file);
  }
  return { files, refused };
}

/** Problems with the chosen files as a whole; `submitting` also checks the least count. */
export function fileProblems(files: readonly PickedFile[], limits: FileLimits, { submitting }: { submitting: boolean }): FileProblem[] {
  const problems: FileProblem[] = [];
  const most = maxFileCount(limits);
  if (files.length > most) problems.push({ code: "too_many", limit: most });
  if (submitting && files.length < limits.min) problems.push({ code: "too_few", limit: limits.min });
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.maxMb * MIB) problems.push({ code: "too_large", limitMb: limits.maxMb });
  return problems;
}
