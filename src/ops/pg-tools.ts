// Runs PostgreSQL's own client programs (pg_dump, pg_restore): they know every object type the
// schema uses (text search configurations, functions, triggers, extensions), which a home-made dump
// would not. They must be on PATH; the password goes through the environment, never the command line
// (where `ps` would show it to every user of the machine).

export class PgToolMissingError extends Error {
  constructor(readonly tool: "pg_dump" | "pg_restore") {
    super(
      `${tool} was not found on PATH. Install the PostgreSQL client programs (Debian/Ubuntu: apt-get install postgresql-client), ` +
        "at least the server's major version, and run the command again.",
    );
    this.name = "PgToolMissingError";
  }
}

export function findPgTool(tool: "pg_dump" | "pg_restore", env: Record<string, string | undefined> = process.env): string {
  const path = Bun.which(tool, { PATH: env.PATH ?? "" });
  if (!path) throw new PgToolMissingError(tool);
  return path;
}

/** `--dbname` without the password, and the environment carrying it. */
export function pgConnectionArgs(url: string, env: Record<string, string | undefined> = process.env): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  if (password) out.PGPASSWORD = password;
  return { dbname: u.toString(), env: out };
}

export type ToolResult = { exitCode: number; stdout: string; stderr: string };

export async function runPgTool(tool: "pg_dump" | "pg_restore", args: string[], url: string | null, env: Record<string, string | undefined> = process.env): Promise<ToolResult> {
  const bin = findPgTool(tool, env);
  const conn = url ? pgConnectionArgs(url, env) : { dbname: null, env: pgConnectionArgs("postgres://x/x", env).env };
  const argv = conn.dbname ? [bin, ...args, `--dbname=${conn.dbname}`] : [bin, ...args];
  const proc = Bun.spawn(argv, { env: conn.env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}

/** The useful part of a failed tool's stderr for an error message. */
export function toolFailure(tool: string, r: ToolResult): Error {
  const detail = r.stderr.trim().split("\n").slice(-5).join("\n") || `exit code ${r.exitCode}`;
  return new Error(`${tool} failed: ${detail}`);
}
