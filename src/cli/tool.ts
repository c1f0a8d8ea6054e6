// `skriptoteket tool import|list`: bring tool folders (tool.json + tool.py) into the store, and see
// what is there. Import is idempotent, so a script bank can be imported again after every edit.
import { resolve } from "node:path";
import type { CliIO, Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { runToolPush } from "./tool-push";
import { openCliContext, splitConfigArg } from "./context";
import { formatManifestProblem } from "../tools/tool-manifest.rules";
import { createToolsDeps, findToolFolders, importTool, listTools, ToolImportError, type ImportReport, type ToolsDeps } from "../tools/tools.service";

const USAGE_ERROR = 2;

export const toolCommand: Command = {
  name: "tool",
  summary: "Import tool folders (tool.json + tool.py) and list tools",
  usage: [
    "Usage: skriptoteket tool import DIR [DIR …] [--publish] [--config FILE]",
    "       skriptoteket tool import --all ROOT [ROOT …] [--publish] [--config FILE]",
    "       skriptoteket tool list [--published] [--config FILE]",
    "       skriptoteket tool push DIR [--note TEXT] [--server URL]",
    "",
    "  import   Each DIR holds tool.json (slug, title, summary, entrypoint, input_schema, settings_schema,",
    "           usage_instructions, professions, categories) and tool.py. Tools are matched by slug:",
    "           the same content changes nothing, a changed script, schema or instruction text becomes a",
    "           new version, and title, summary and tags are updated on the tool.",
    "           --publish  make the imported version active (the previous one is archived) and publish",
    "                      the tool. Without it a new version is a draft and a new tool stays unpublished.",
    "           --all      every ROOT is a folder of tool folders; each subfolder with a tool.json is imported.",
    "           Exit 0 when every folder was imported, 1 when any failed (the others are still imported).",
    "  list     Every tool: slug, title, published, active version. --published shows only published ones.",
    "  push     For maintainers on their own machine: sends DIR's tool.py and tool.json to the server as a new",
    "           draft version (needs \"skriptoteket login\" with tools:write; same content saves nothing).",
  ].join("\n"),
  examples: [
    "skriptoteket tool import ./betyg-csv --publish",
    "skriptoteket tool import --all /srv/script-bank --publish --config /etc/skriptoteket/skriptoteket.toml",
    "skriptoteket tool list",
    "skriptoteket tool push ./betyg-csv --note \"Rättar decimalkomma\"",
  ],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const { configArgs, rest } = splitConfigArg(args);
    const [subcommand, ...options] = rest;
    if (subcommand === "import") {
      const parsed = parseImportArgs(options);
      if ("error" in parsed) return usageError(parsed.error, io);
      return withDeps(configArgs, io, (deps) => runImport(deps, parsed, io));
    }
    // push talks to a server over HTTP: no local config or database
    if (subcommand === "push") return runToolPush(options, io);
    if (subcommand === "list") {
      const unknown = options.find((o) => o !== "--published");
      if (unknown !== undefined) return usageError(`Unknown argument "${unknown}" for "tool list".`, io);
      return withDeps(configArgs, io, (deps) => runList(deps, options.includes("--published"), io));
    }
    const what = subcommand === undefined ? "Missing subcommand" : `Unknown subcommand "${subcommand}"`;
    return usageError(`${what}: use "tool import" or "tool list".`, io);
  },
};

function usageError(message: string, io: CliIO): number {
  io.err(message);
  io.err('Run "skriptoteket tool --help" for the usage.');
  return USAGE_ERROR;
}

async function withDeps(configArgs: string[], io: CliIO, body: (deps: ToolsDeps) => Promise<number>): Promise<number> {
  const ctx = await openCliContext(configArgs, io);
  try {
    return await body(createToolsDeps(ctx.store));
  } finally {
    await ctx.close();
  }
}

type ImportArgs = { dirs: string[]; publish: boolean; all: boolean };

function parseImportArgs(options: string[]): ImportArgs | { error: string } {
  const parsed: ImportArgs = { dirs: [], publish: false, all: false };
  for (const o of options) {
    if (o === "--publish") parsed.publish = true;
    else if (o === "--all") parsed.all = true;
    else if (o.startsWith("-")) return { error: `Unknown option "${o}" for "tool import".` };
    else parsed.dirs.push(o);
  }
  if (!parsed.dirs.length) return { error: parsed.all ? "--all needs a folder of tool folders, like: tool import --all tools/" : "Name at least one tool folder: tool import DIR" };
  return parsed;
}

async function runImport(deps: ToolsDeps, args: ImportArgs, io: CliIO): Promise<number> {
  let failed = 0;
  const dirs: string[] = [];
  for (const dir of args.dirs.map((d) => resolve(io.cwd, d))) {
    if (!args.all) {
      dirs.push(dir);
      continue;
    }
    try {
      const found = await findToolFolders(dir);
      if (!found.length) io.err(`${dir}: no subfolder holds a tool.json; nothing to import there.`);
      dirs.push(...found);
    } catch (e) {
      failed++;
      io.err(`${dir}: cannot be read as a folder (${(e as { code?: string }).code ?? String(e)}). Check the path.`);
    }
  }

  const counts = { created: 0, changed: 0, unchanged: 0 };
  for (const dir of dirs) {
    try {
      const report = await importTool(deps, { dir, publish: args.publish, actor: { kind: "cli" } });
      io.out(describeReport(report));
      counts[report.created ? "created" : report.changed ? "changed" : "unchanged"]++;
    } catch (e) {
      if (!(e instanceof ToolImportError)) throw e;
      failed++;
      io.err(`${dir}: not imported:`);
      for (const p of e.problems) io.err(`  ${formatManifestProblem(p)}`);
    }
  }
  const imported = counts.created + counts.changed + counts.unchanged;
  if (dirs.length > 1 || failed) {
    io.out(`${imported} imported (${counts.created} created, ${counts.changed} changed, ${counts.unchanged} unchanged), ${failed} failed.`);
  }
  return failed ? 1 : 0;
}

/** One line per tool: what happened, then where the tool stands now. */
export function describeReport(r: ImportReport): string {
  const { tool, version } = r;
  const did: string[] = [];
  if (r.created) did.push("created");
  else if (r.versionCreated) did.push(`new version ${version.number}`);
  if (r.fieldsChanged.length) did.push(`updated ${r.fieldsChanged.join(", ")}`);
  if (r.published) did.push(`published version ${version.number}${r.archivedVersion !== null ? ` (version ${r.archivedVersion} archived)` : ""}`);
  if (!r.changed) did.push("unchanged");
  const status = tool.isPublished ? "published" : "not published";
  return `${tool.slug}: ${did.join("; ")} — version ${version.number} is ${version.state}, the tool is ${status}`;
}

async function runList(deps: ToolsDeps, publishedOnly: boolean, io: CliIO): Promise<number> {
  const items = await listTools(deps, { publishedOnly });
  if (!items.length) {
    io.out(publishedOnly ? "No published tools." : "No tools yet. Import one with: skriptoteket tool import DIR --publish");
    return 0;
  }
  const rows = [["SLUG", "TITLE", "PUBLISHED", "ACTIVE"], ...items.map((t) => [t.slug, t.title, t.isPublished ? "yes" : "no", t.activeVersion === null ? "-" : String(t.activeVersion)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.out(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  "));
  return 0;
}
