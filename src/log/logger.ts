// JSON-lines logger. Secrets never reach the log: values under secret-looking keys are replaced
// before a line is written, wherever they sit in the object.
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;
export type Logger = {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
};

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|cookie|authorization|csrf|api[_-]?key|session/i;
export const REDACTED = "[redacted]";

/** Deep copy with secret-looking keys replaced; keeps ids such as `session_id` readable. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && !/_id$|^request_id$/.test(k) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

export type LoggerOptions = {
  level?: LogLevel;
  format?: "json" | "pretty";
  write?: (line: string) => void;
  base?: LogFields;
};

export function createLogger({ level = "info", format = "json", write, base = {} }: LoggerOptions = {}): Logger {
  const sink = write ?? ((line: string) => process.stdout.write(line + "\n"));
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const rec = redact({ ...base, ...fields }) as LogFields;
    if (format === "pretty") {
      const extra = Object.keys(rec).length ? " " + JSON.stringify(rec) : "";
      sink(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${msg}${extra}`);
    } else sink(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...rec }));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger({ level, format, write: sink, base: { ...base, ...fields } }),
  };
}
