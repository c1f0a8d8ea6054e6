// The error that stops start-up on a bad configuration. It carries every problem found, not only the
// first, so an admin fixes the file in one go.

/** Where problems not tied to the file are reported. */
export const ENVIRONMENT = "environment";
export const COMMAND_LINE = "command line";
/** Used for rule problems about a default value when no file was read. */
export const DEFAULTS = "defaults";

export type ConfigProblem = {
  /** The config file's path, or "environment" / "command line" / "defaults". */
  file: string;
  line?: number;
  /** Dotted key ("server.listen") or section ("server") the problem is about. */
  key?: string;
  /** The text after "file:line: ", naming the key and saying how to fix it. */
  message: string;
};

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.message}`;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }

  /** One line per problem (a syntax error adds the offending lines below its own). */
  format(): string {
    return this.message;
  }
}
