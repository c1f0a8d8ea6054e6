// The shape of every CLI command (src/cli/<command>.ts), listed once in src/main.ts.
export type CliIO = { out: (line: string) => void; err: (line: string) => void; env: Record<string, string | undefined>; cwd: string };
export type Command = { name: string; summary: string; usage: string; examples: string[]; run(args: string[], io: CliIO): Promise<number> };
