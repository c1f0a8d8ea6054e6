import { describe, expect, test } from "bun:test";
import { utf8Length } from "./contract.types";
import { sanitizeUploadName, sanitizeUploadNames } from "./upload-names.rules";

const nameOf = (raw: string) => {
  const checked = sanitizeUploadName(raw);
  if (!checked.ok) throw new Error(`expected a name for ${JSON.stringify(raw)}`);
  return checked.name;
};

describe("sanitizeUploadName", () => {
  test.each([
    ["plain", "rapport.pdf", "rapport.pdf"],
    ["Swedish letters and spaces", "Elevlista åk 7 (höst).xlsx", "Elevlista åk 7 (höst).xlsx"],
    ["decomposed å (macOS) becomes composed", "a\u030angstr\u00f6m.txt", "\u00e5ngstr\u00f6m.txt"],
    ["Unix path", "/etc/passwd", "passwd"],
    ["traversal", "../../etc/passwd", "passwd"],
    ["Windows path (old browsers send it)", "C:\\Users\\anna\\Documents\\prov.docx", "prov.docx"],
    ["mixed separators", "a/b\\c/d.txt", "d.txt"],
    ["trailing slash leaves nothing after it", "mapp/", null],
    ["dot", ".", null],
    ["dot dot", "..", null],
    ["dots only", "....", null],
    ["traversal ending in dots", "../..", null],
    ["empty", "", null],
    ["spaces only", "   ", null],
    ["hidden file", ".bashrc", "bashrc"],
    ["leading dots", "...pdf", "pdf"],
    ["trailing dots and spaces (Windows drops them)", "report.pdf. . ", "report.pdf"],
    ["double dots inside", "a..b.pdf", "a.b.pdf"],
    ["many dots inside", "v1...2....pdf", "v1.2.pdf"],
    ["surrounding whitespace, tabs and line breaks", "  notes.txt\t\n", "notes.txt"],
    ["NUL", "a\u0000b.txt", "a_b.txt"],
    ["NUL before an extension trick", "evil.pdf\u0000.exe", "evil.pdf_.exe"],
    ["newline and carriage return", "a\r\nb.txt", "a__b.txt"],
    ["tab inside", "a\tb.txt", "a_b.txt"],
    ["DEL and C1", "a\u007f\u0085b.txt", "a__b.txt"],
    ["right-to-left override", "invoice\u202efdp.exe", "invoice_fdp.exe"],
    ["bidi isolates and marks", "a\u2066b\u2069\u200ec\u200f.txt", "a_b__c_.txt"],
    ["lone surrogate", "a\ud800.txt", "a\ufffd.txt"],
    ["emoji stays", "😀 glad.png", "😀 glad.png"],
    ["shell characters are harmless here", "$(rm -rf) `x` ; | & > < * ?.txt", "$(rm -rf) `x` ; | & > < * ?.txt"],
    ["a name that is only a control character", "\u0000", "_"],
  ])("%s", (_name, raw, expected) => {
    const checked = sanitizeUploadName(raw);
    if (expected === null) expect(checked.ok).toBe(false);
    else expect(checked).toEqual({ ok: true, name: expected });
  });

  test("results never contain a separator, NUL, control character or '..', and never start or end with a dot", () => {
    const hostile = ["../a", "a/../b", "..\\..\\b", "x\u0000/..", "....//....//", " . a . ", "a\\..", "\u202e..\u202e", ".../...", "b\u0001\u0002c"];
    for (const raw of hostile) {
      const checked = sanitizeUploadName(raw);
      if (!checked.ok) continue;
      expect(checked.name).not.toMatch(/[/\\\u0000-\u001f\u007f]|\.\./);
      expect(checked.name).not.toMatch(/^\.|\.$/);
    }
  });

  test("the error for an unusable name, both languages", () => {
    expect(sanitizeUploadName("..")).toEqual({
      ok: false,
      code: "name_empty",
      en: 'The file name ".." has no usable characters. Rename the file and try again.',
      sv: 'Filnamnet ".." har inga användbara tecken. Byt namn på filen och försök igen.',
    });
  });

  describe("255 bytes of UTF-8", () => {
    test("exactly 255 bytes is kept", () => {
      const raw = `${"a".repeat(251)}.pdf`;
      expect(nameOf(raw)).toBe(raw);
    });

    test("a long name keeps its extension", () => {
      const name = nameOf(`${"a".repeat(300)}.pdf`);
      expect(name).toBe(`${"a".repeat(251)}.pdf`);
      expect(utf8Length(name)).toBe(255);
    });

    test("multi-byte characters are never split", () => {
      const name = nameOf(`${"ö".repeat(200)}.docx`); // 400 bytes of ö
      expect(name).toBe(`${"ö".repeat(125)}.docx`); // 250 + 5 = 255
      const emoji = nameOf(`${"😀".repeat(100)}.txt`);
      expect(emoji).toBe(`${"😀".repeat(62)}.txt`); // 62 × 4 + 4 = 252; a 63rd emoji would make 256
    });

    test("an over-long extension is not kept apart", () => {
      const name = nameOf(`a.${"x".repeat(300)}`);
      expect(name).toBe(`a.${"x".repeat(253)}`);
    });

    test("no extension: cut, and a dot or space left at the end is trimmed", () => {
      expect(nameOf("b".repeat(400))).toBe("b".repeat(255));
      expect(nameOf(`${"c".repeat(254)} d.${"e".repeat(40)}`)).toBe("c".repeat(254));
    });
  });
});

describe("sanitizeUploadNames", () => {
  test("distinct names pass in order", () => {
    expect(sanitizeUploadNames(["a.pdf", "dir/b.pdf", "A.pdf"])).toEqual({ ok: true, names: ["a.pdf", "b.pdf", "A.pdf"] });
    expect(sanitizeUploadNames([])).toEqual({ ok: true, names: [] });
  });

  test("two uploads that sanitize to one name are refused, naming both", () => {
    expect(sanitizeUploadNames(["x/rapport.pdf", "y\\rapport.pdf"])).toEqual({
      ok: false,
      errors: [
        {
          path: "/1",
          code: "name_collision",
          en: 'The files "x/rapport.pdf" and "y\\\\rapport.pdf" would both be called "rapport.pdf". Rename one of them and try again.',
          sv: 'Filerna "x/rapport.pdf" och "y\\\\rapport.pdf" skulle båda heta "rapport.pdf". Byt namn på en av dem och försök igen.',
        },
      ],
    });
  });

  test.each([
    ["NFC and NFD spellings", "a\u030a.txt", "\u00e5.txt"],
    ["trailing dot", "notes.txt.", "notes.txt"],
    ["control character vs underscore", "a\u0000b", "a_b"],
    ["hidden vs plain", ".env", "env"],
    ["double dot vs single", "a..txt", "a.txt"],
  ])("collision: %s", (_name, first, second) => {
    const checked = sanitizeUploadNames([first, second]);
    expect(!checked.ok && checked.errors.map((e) => [e.path, e.code])).toEqual([["/1", "name_collision"]]);
  });

  test("every problem is reported, each at its upload's index", () => {
    const checked = sanitizeUploadNames(["..", "a.txt", "b/a.txt", "c/a.txt", "ok.txt"]);
    expect(!checked.ok && checked.errors.map((e) => [e.path, e.code])).toEqual([
      ["/0", "name_empty"],
      ["/2", "name_collision"],
      ["/3", "name_collision"],
    ]);
  });

  test("long original names are shortened in the message", () => {
    const long = `${"z".repeat(300)}.txt`;
    const checked = sanitizeUploadNames([long, `dir/${long}`]);
    expect(!checked.ok && checked.errors[0]!.en).toBe(
      `The files "${"z".repeat(100)}…" and "dir/${"z".repeat(96)}…" would both be called "${"z".repeat(100)}…". Rename one of them and try again.`,
    );
  });
});
