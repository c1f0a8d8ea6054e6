// Progress of a long operation (backup, verify, restore): a bar redrawn in place on a terminal, a
// few plain lines otherwise (systemd journal, cron mail, tests), so logs are not flooded with bars.
import { formatBytes } from "./backup.rules";

export type Progress = {
  /** A step with a known amount of bytes to go through (0 for a step without a measure). */
  start(label: string, totalBytes: number): void;
  advance(bytes: number): void;
  /** Ends the step with a summary ("412 files, 1.2 GiB"). */
  finish(summary: string): void;
};

export type ProgressOptions = {
  /** true when stdout is a terminal: draw a bar */
  tty: boolean;
  /** a complete line (plain mode, and the end of each step in bar mode) */
  line: (text: string) => void;
  /** raw output without a newline (bar mode) */
  raw?: (text: string) => void;
  /** terminal width for the bar; 80 when unknown */
  columns?: number;
  now?: () => number;
};

const BAR_WIDTH = 30;
const REDRAW_MS = 100;
const PLAIN_STEPS = 4;

/** "label [#########.....]  45%  1.2 MiB / 2.7 MiB" cut to the terminal width. */
export function renderBar(label: string, done: number, total: number, columns = 80): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * BAR_WIDTH);
  const text = `${label} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${formatBytes(done)} / ${formatBytes(total)}`;
  return text.slice(0, Math.max(20, columns - 1));
}

export function createProgress({ tty, line, raw, columns = 80, now = () => performance.now() }: ProgressOptions): Progress {
  let label = "";
  let total = 0;
  let done = 0;
  let lastDraw = 0;
  let nextPlainStep = 1;
  const draw = () => raw?.(`\r${renderBar(label, done, total, columns)}\u001b[K`);
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      nextPlainStep = 1;
      lastDraw = 0;
      if (tty && raw) draw();
      else line(`${label}: ${total > 0 ? formatBytes(total) : "starting"}`);
    },
    advance(n) {
      done += n;
      if (tty && raw) {
        if (now() - lastDraw >= REDRAW_MS) {
          lastDraw = now();
          draw();
        }
        return;
      }
      // plain: at most a line per quarter passed, not one per chunk (the last quarter is finish's line)
      const step = total > 0 ? Math.floor((PLAIN_STEPS * Math.min(done, total)) / total) : 0;
      if (step >= nextPlainStep && step < PLAIN_STEPS) {
        line(`${label}: ${Math.floor((100 * done) / total)}% (${formatBytes(done)} of ${formatBytes(total)})`);
        nextPlainStep = step + 1;
      }
    },
    finish(summary) {
      if (tty && raw) {
        done = total;
        draw();
        raw("\n");
      }
      line(`${label}: done, ${summary}`);
    },
  };
}

/** For callers that want no output (services used from HTTP, tests). */
export const silentProgress: Progress = { start() {}, advance() {}, finish() {} };
