// Progress output: a bar redrawn in place on a terminal, a few plain lines elsewhere.
import { describe, expect, test } from "bun:test";
import { createProgress, renderBar } from "./progress";

describe("progress", () => {
  test("the bar shows the share done and the sizes, cut to the terminal width", () => {
    expect(renderBar("Writing archive", 512, 1024)).toBe(`Writing archive [${"#".repeat(15)}${".".repeat(15)}]  50%  512 B / 1.0 KiB`);
    expect(renderBar("Writing archive", 0, 0)).toContain("100%");
    expect(renderBar("x".repeat(100), 1, 2, 40)).toHaveLength(39);
  });

  test("plain mode: a start line, at most one line per quarter, and the summary", () => {
    const lines: string[] = [];
    const p = createProgress({ tty: false, line: (l) => lines.push(l) });
    p.start("Reading archive", 1000);
    for (let i = 0; i < 100; i++) p.advance(10);
    p.finish("12 entries");
    expect(lines).toEqual([
      "Reading archive: 1000 B",
      "Reading archive: 25% (250 B of 1000 B)",
      "Reading archive: 50% (500 B of 1000 B)",
      "Reading archive: 75% (750 B of 1000 B)",
      "Reading archive: done, 12 entries",
    ]);
  });

  test("plain mode: a jump past several quarters gives one line", () => {
    const lines: string[] = [];
    const p = createProgress({ tty: false, line: (l) => lines.push(l) });
    p.start("Copy", 100);
    p.advance(90);
    p.advance(10);
    expect(lines).toEqual(["Copy: 100 B", "Copy: 90% (90 B of 100 B)"]);
  });

  test("terminal mode: the bar is redrawn with \\r, at most every 100 ms, and ends with a newline", () => {
    const raw: string[] = [];
    const lines: string[] = [];
    let clock = 0;
    const p = createProgress({ tty: true, line: (l) => lines.push(l), raw: (s) => raw.push(s), now: () => clock });
    p.start("Copy", 100);
    clock = 150;
    p.advance(30);
    p.advance(30);
    clock = 300;
    p.advance(40);
    p.finish("done");
    expect(raw.filter((s) => s.startsWith("\r"))).toHaveLength(4);
    expect(raw[1]).toContain(" 30%");
    expect(raw.at(-1)).toBe("\n");
    expect(lines).toEqual(["Copy: done, done"]);
  });
});
