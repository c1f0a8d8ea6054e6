// --help text for one command, the same layout everywhere.
import type { CliIO, Command } from "./command";

export function wantsHelp(args: string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}

export function printHelp(cmd: Pick<Command, "name" | "summary" | "usage" | "examples">, io: CliIO): number {
  io.out(`skriptoteket ${cmd.name} — ${cmd.summary}`);
  io.out("");
  io.out(cmd.usage);
  if (cmd.examples.length) {
    io.out("");
    io.out("Examples:");
    for (const e of cmd.examples) io.out(`  ${e}`);
  }
  return 0;
}
