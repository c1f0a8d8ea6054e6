/**
 * Splits an assistant answer (markdown) into prose and proposed changes: every fenced ```diff block
 * becomes its own part so the drawer can offer "Preview" for it. Pure, so it is tested without a DOM.
 */

export type AnswerPart =
  | { kind: "text"; text: string }
  /** `complete`: the closing fence has arrived (a streamed answer may still be inside the block). */
  | { kind: "diff"; diff: string; complete: boolean };

/** An opening fence of a diff block: ```diff or ~~~diff, optionally indented up to 3 spaces (CommonMark). */
const OPEN = /^ {0,3}(`{3,}|~{3,})[ \t]*(diff|patch)\b.*$/i;

/**
 * The parts of `answer` in order. Text between blocks is kept as written (empty text is dropped);
 * a diff's content has no fences and ends with a newline, as a unified diff file does.
 */
export function splitAnswer(answer: string): AnswerPart[] {
  const parts: AnswerPart[] = [];
  const lines = answer.split("\n");
  let text: string[] = [];
  let diff: string[] | null = null;
  let fence = "";

  const flushText = () => {
    const joined = text.join("\n");
    if (joined.trim() !== "") parts.push({ kind: "text", text: joined });
    text = [];
  };

  for (const line of lines) {
    if (diff === null) {
      const open = OPEN.exec(line);
      if (open) {
        flushText();
        diff = [];
        fence = open[1]!;
      } else text.push(line);
      continue;
    }
    // Closing fence: same character, at least as long, nothing else on the line (CommonMark).
    const trimmed = line.trim();
    if (trimmed.length >= fence.length && trimmed === fence[0]!.repeat(trimmed.length)) {
      parts.push({ kind: "diff", diff: withFinalNewline(diff.join("\n")), complete: true });
      diff = null;
    } else diff.push(line);
  }
  if (diff !== null) parts.push({ kind: "diff", diff: withFinalNewline(diff.join("\n")), complete: false });
  else flushText();
  return parts;
}

/** The complete diff blocks of an answer, in order: what "Preview" can offer. */
export function proposedDiffs(answer: string): string[] {
  return splitAnswer(answer).flatMap((part) => (part.kind === "diff" && part.complete ? [part.diff] : []));
}

function withFinalNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}
