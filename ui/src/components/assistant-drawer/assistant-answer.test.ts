import { describe, expect, test } from "bun:test";
import { proposedDiffs, splitAnswer } from "./assistant-answer";

const DIFF = "--- a/tool.py\n+++ b/tool.py\n@@ -1,2 +1,2 @@\n-print('hej')\n+print('hej då')\n x = 1\n";

describe("splitAnswer", () => {
  test("prose, a diff block and more prose come back in order, fences removed", () => {
    const answer = `Byt texten så här:\n\n\`\`\`diff\n${DIFF}\`\`\`\n\nSedan kör du verktyget igen.`;
    expect(splitAnswer(answer)).toEqual([
      { kind: "text", text: "Byt texten så här:\n" },
      { kind: "diff", diff: DIFF, complete: true },
      { kind: "text", text: "\nSedan kör du verktyget igen." },
    ]);
  });

  test("two diff blocks give two proposals; other code blocks stay prose", () => {
    const answer = "```python\nprint(1)\n```\n```diff\n-a\n+b\n```\nand\n~~~~ diff\n-c\n+d\n~~~~\n";
    expect(proposedDiffs(answer)).toEqual(["-a\n+b\n", "-c\n+d\n"]);
    expect(splitAnswer(answer)[0]).toEqual({ kind: "text", text: "```python\nprint(1)\n```" });
  });

  test("a shorter or different fence inside the block does not close it", () => {
    const answer = "````diff\n-a\n```\n+b\n~~~~\n````\n";
    expect(proposedDiffs(answer)).toEqual(["-a\n```\n+b\n~~~~\n"]);
  });

  test("a block still streaming is a diff part, but not yet a proposal", () => {
    const answer = "Förslag:\n```diff\n-a\n+b";
    expect(splitAnswer(answer)).toEqual([
      { kind: "text", text: "Förslag:" },
      { kind: "diff", diff: "-a\n+b\n", complete: false },
    ]);
    expect(proposedDiffs(answer)).toEqual([]);
  });

  test("an answer without blocks is one text part; an empty answer has none", () => {
    expect(splitAnswer("Inga ändringar behövs.")).toEqual([{ kind: "text", text: "Inga ändringar behövs." }]);
    expect(splitAnswer("")).toEqual([]);
    expect(splitAnswer("```patch\n-x\n+y\n```")).toEqual([{ kind: "diff", diff: "-x\n+y\n", complete: true }]);
  });
});
