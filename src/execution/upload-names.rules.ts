// Names of uploaded files (tool contract §2): an upload lands in /work/input/<sanitized name>, and the
// name also appears in SKRIPTOTEKET_INPUT_MANIFEST, on the run page and in history. The browser's file
// name is untrusted text. sanitizeUploadName, in this order:
//   1. lone surrogates → U+FFFD (not encodable as UTF-8), then Unicode NFC (macOS sends "å" decomposed;
//      one spelling per name, so equal-looking names compare equal)
//   2. basename: everything up to the last "/" or "\" goes ("C:\Users\x\a.pdf", "../../etc/passwd"),
//      then surrounding whitespace (tabs and line breaks too) is trimmed
//   3. control characters (C0 including NUL, DEL, C1) and bidirectional overrides/marks (U+200E,
//      U+200F, U+202A–U+202E, U+2066–U+2069: "invoice‮fdp.exe" shows as "invoiceexe.pdf") → "_"
//   4. runs of dots → one dot ("a..b" → "a.b": no ".." anywhere), then leading and trailing dots and
//      whitespace are trimmed (".", "..", ".bashrc" → "bashrc", "report.pdf. " → "report.pdf")
//   5. nothing left → error name_empty
//   6. longer than 255 bytes of UTF-8 → the part before the extension is shortened (at a character
//      boundary) so the extension survives; an extension over 32 bytes is not kept apart
// Two uploads whose sanitized names are equal (exactly, after NFC; Linux names are case-sensitive)
// are refused with an error that names both, rather than renaming one behind the user's back.
import { CONTRACT_LIMITS, cutUtf8, utf8Length, type Bilingual, type RuleError } from "./contract.types";

const EXTENSION_MAX_BYTES = 32;
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const EDGE_DOTS_AND_SPACE = /^[\s.]+|[\s.]+$/g;
const TRAILING_DOTS_AND_SPACE = /[\s.]+$/;

/** An original name inside a message: JSON-quoted (control characters stay visible), at most 100 characters. */
function q(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

const TEXT = {
  name_empty: (raw: string) => ({
    en: `The file name ${q(raw)} has no usable characters. Rename the file and try again.`,
    sv: `Filnamnet ${q(raw)} har inga användbara tecken. Byt namn på filen och försök igen.`,
  }),
  name_collision: (first: string, second: string, name: string) => ({
    en: `The files ${q(first)} and ${q(second)} would both be called ${q(name)}. Rename one of them and try again.`,
    sv: `Filerna ${q(first)} och ${q(second)} skulle båda heta ${q(name)}. Byt namn på en av dem och försök igen.`,
  }),
} satisfies Record<string, (...args: never[]) => Bilingual>;

export type UploadNameCheck = { ok: true; name: string } | { ok: false; code: "name_empty"; en: string; sv: string };

function shorten(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot) : "";
  if (extension !== "" && utf8Length(extension) <= EXTENSION_MAX_BYTES) {
    const stem = cutUtf8(name.slice(0, dot), maxBytes - utf8Length(extension)).replace(TRAILING_DOTS_AND_SPACE, "");
    if (stem !== "") return stem + extension;
  }
  return cutUtf8(name, maxBytes).replace(TRAILING_DOTS_AND_SPACE, "");
}

/** The name an upload gets inside /work/input (see the file header for the exact steps). */
export function sanitizeUploadName(raw: string): UploadNameCheck {
  const text = raw.toWellFormed().normalize("NFC");
  const base = text.slice(Math.max(text.lastIndexOf("/"), text.lastIndexOf("\\")) + 1);
  const cleaned = base.trim().replace(UNSAFE_CHARACTERS, "_").replace(/\.{2,}/g, ".").replace(EDGE_DOTS_AND_SPACE, "");
  const name = shorten(cleaned, CONTRACT_LIMITS.uploadNameBytes);
  if (name === "") return { ok: false, code: "name_empty", ...TEXT.name_empty(raw) };
  return { ok: true, name };
}

/**
 * Sanitizes every upload of one run. Errors point at the upload's index ("/2"); a collision is
 * reported on the later upload and names both originals.
 */
export function sanitizeUploadNames(raws: readonly string[]): { ok: true; names: string[] } | { ok: false; errors: RuleError[] } {
  const names: string[] = [];
  const errors: RuleError[] = [];
  const firstByName = new Map<string, string>();
  raws.forEach((raw, i) => {
    const checked = sanitizeUploadName(raw);
    if (!checked.ok) {
      errors.push({ path: `/${i}`, code: checked.code, en: checked.en, sv: checked.sv });
      return;
    }
    const earlier = firstByName.get(checked.name);
    if (earlier !== undefined) {
      errors.push({ path: `/${i}`, code: "name_collision", ...TEXT.name_collision(earlier, raw, checked.name) });
      return;
    }
    firstByName.set(checked.name, raw);
    names.push(checked.name);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, names };
}
