// A failure a command reports with a message and an exit code (2 = bad usage or config).
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}
