// `skriptoteket tool push DIR`: a maintainer sends tool.py + tool.json from their own machine to the
// server as a new draft version (through the authoring API, with the login of `skriptoteket login`
// holding tools:write). The same content as the newest version saves nothing.
import { readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CliIO } from "./command";
import { CliError } from "./cli-error";
import { requireLogin } from "./credentials";
import { cliLocale, createServerClient, failure } from "./server-client";

export type PushArgs = { dir: string; note: string | null; server: string | undefined };

export function parsePushArgs(args: string[]): PushArgs {
  const out: PushArgs = { dir: "", note: null, server: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--note" || a === "--server") {
      const v = args[++i];
      if (v === undefined) throw new CliError(`${a} needs a value.`, 2);
      if (a === "--note") out.note = v;
      else out.server = v;
    } else if (a.startsWith("-")) throw new CliError(`Unknown option "${a}" for "tool push".`, 2);
    else if (!out.dir) out.dir = a;
    else throw new CliError(`Unexpected argument "${a}": give one tool folder.`, 2);
  }
  if (!out.dir) throw new CliError("Which folder? skriptoteket tool push DIR (DIR holds tool.json and tool.py).", 2);
  return out;
}

type Manifest = { slug?: unknown; entrypoint?: unknown; input_schema?: unknown; settings_schema?: unknown; usage_instructions?: unknown };

/** The draft content from a tool folder, as the authoring API takes it. */
export function readToolFolder(dir: string): { slug: string; content: Record<string, unknown> } {
  const manifestPath = join(dir, "tool.json");
  const sourcePath = join(dir, "tool.py");
  if (!existsSync(manifestPath) || !existsSync(sourcePath)) throw new CliError(`${dir} must hold tool.json and tool.py.`, 2);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  } catch (e) {
    throw new CliError(`${manifestPath} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  if (typeof manifest.slug !== "string" || !manifest.slug) throw new CliError(`${manifestPath} needs a "slug".`, 2);
  return {
    slug: manifest.slug,
    content: {
      source: readFileSync(sourcePath, "utf8"),
      entrypoint: typeof manifest.entrypoint === "string" ? manifest.entrypoint : "run_tool",
      input_schema: manifest.input_schema ?? [],
      settings_schema: manifest.settings_schema ?? null,
      usage_instructions: typeof manifest.usage_instructions === "string" ? manifest.usage_instructions : "",
    },
  };
}

type ToolDetail = { id: string; slug: string; head_version: { id: string; number: number } | null };
type Saved = { created: boolean; version: { id: string; number: number; state: string } };

export async function runToolPush(args: string[], io: CliIO): Promise<number> {
  const parsed = parsePushArgs(args);
  const { slug, content } = readToolFolder(resolve(io.cwd, parsed.dir));
  const { server, token } = requireLogin(io.env, parsed.server);
  const client = createServerClient(server, { token, locale: cliLocale(io.env) });
  const tool = await client.json<ToolDetail>("GET", `/api/v1/authoring/tools/by-slug/${encodeURIComponent(slug)}`);
  if (!tool.ok) throw failure(tool.error, `Could not open ${slug} on ${server}`);
  const saved = await client.json<Saved>("POST", `/api/v1/authoring/tools/${tool.body.id}/versions`, {
    ...content,
    parent_version_id: tool.body.head_version?.id ?? null,
    ...(parsed.note ? { note: parsed.note } : {}),
  });
  if (!saved.ok) throw failure(saved.error, `Could not save ${slug}`);
  const v = saved.body.version;
  io.out(saved.body.created ? `${slug}: saved version ${v.number} (${v.state}) on ${server}` : `${slug}: unchanged, the newest version ${v.number} has the same content`);
  return 0;
}
