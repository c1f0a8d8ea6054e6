// `skriptoteket run SLUG`: runs a published tool through the server's HTTP API with the login from
// `skriptoteket login`: uploads files, sends form values, optionally waits (printing each status
// change) and downloads what the tool produced.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, normalize, resolve, sep } from "node:path";
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { CliError } from "./cli-error";
import { requireLogin } from "./credentials";
import { cliLocale, createServerClient, failure, type ServerClient } from "./server-client";

export type RunArgs = { slug: string; files: string[]; inputs: Record<string, string | string[]>; wait: boolean; out: string | null; server: string | undefined };

const FINAL = new Set(["succeeded", "failed", "timed_out", "cancelled"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `--input k=v` may repeat a name: a multi-choice field then gets a list. */
export function parseRunArgs(args: string[]): RunArgs {
  const out: RunArgs = { slug: "", files: [], inputs: {}, wait: false, out: null, server: undefined };
  const value = (i: number, flag: string) => {
    const v = args[i];
    if (v === undefined) throw new CliError(`${flag} needs a value.`, 2);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--file") out.files.push(value(++i, a));
    else if (a === "--input") {
      const pair = value(++i, a);
      const eq = pair.indexOf("=");
      if (eq < 1) throw new CliError(`--input takes name=value, got "${pair}".`, 2);
      const [k, v] = [pair.slice(0, eq), pair.slice(eq + 1)];
      const prev = out.inputs[k];
      out.inputs[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    } else if (a === "--wait") out.wait = true;
    else if (a === "--out") out.out = value(++i, a);
    else if (a === "--server") out.server = value(++i, a);
    else if (a.startsWith("-")) throw new CliError(`Unknown option "${a}". Run "skriptoteket run --help" for the usage.`, 2);
    else if (!out.slug) out.slug = a;
    else throw new CliError(`Unexpected argument "${a}": give one tool slug.`, 2);
  }
  if (!out.slug) throw new CliError("Which tool? Give its slug, e.g. skriptoteket run betyg-csv --file elever.csv.", 2);
  return out;
}

/** The artifact's path below the tool's output folder ("output/ut/svar.txt" → "ut/svar.txt"). */
export function artifactRelativePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\/+/, "").replace(/^output\//, "");
}

/** Where an artifact goes under `dir`; null for a path that would leave it. */
export function artifactTarget(dir: string, path: string): string | null {
  const rel = normalize(artifactRelativePath(path));
  if (!rel || rel === "." || rel.startsWith("..")) return null;
  const target = resolve(dir, rel);
  return target.startsWith(resolve(dir) + sep) ? target : null;
}

type RunView = { run_id: string; status: string; error_summary: string | null; artifacts: { artifact_id: string; path: string; bytes: number; download_url: string }[] };

async function waitForRun(client: ServerClient, runId: string, say: (line: string) => void): Promise<RunView> {
  let last = "";
  for (;;) {
    const res = await client.json<RunView>("GET", `/api/v1/runs/${runId}`);
    if (!res.ok) throw failure(res.error, "Could not follow the run");
    if (res.body.status !== last) say(`status: ${(last = res.body.status)}`);
    if (FINAL.has(res.body.status)) return res.body;
    await sleep(1000);
  }
}

export const runCommand: Command = {
  name: "run",
  summary: "Run a published tool on the server and download its files",
  usage: [
    "Usage: skriptoteket run SLUG [--file FILE …] [--input NAME=VALUE …] [--wait] [--out DIR] [--server URL]",
    "",
    "  Needs a login with runs:write (and runs:read for --wait): skriptoteket login --server URL.",
    "  --file    a file for the tool's file field (repeat for several)",
    "  --input   a form value; repeat a name for a multi-choice field",
    "  --wait    wait for the run, printing its status, then download the produced files",
    "  --out     where the files go (default: the current folder); paths inside it are kept",
    "  Exit 0 when the run was accepted (and, with --wait, succeeded), 1 otherwise.",
  ].join("\n"),
  examples: ["skriptoteket run betyg-csv --file elever.csv --input klass=9B --wait", "skriptoteket run ordlista --input ord=fotosyntes --wait --out ./resultat"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const parsed = parseRunArgs(args);
    const { server, token } = requireLogin(io.env, parsed.server);
    const client = createServerClient(server, { token, locale: cliLocale(io.env) });
    const form = new FormData();
    form.append("inputs", JSON.stringify(parsed.inputs));
    for (const f of parsed.files) {
      const path = resolve(io.cwd, f);
      const file = Bun.file(path);
      if (!(await file.exists())) throw new CliError(`No such file: ${f}`, 2);
      form.append("files", new File([await file.arrayBuffer()], basename(path)));
    }
    const submitted = await client.multipart<{ run_id: string }>(`/api/v1/tools/${encodeURIComponent(parsed.slug)}/run`, form);
    if (!submitted.ok) throw failure(submitted.error, `Could not start ${parsed.slug}`);
    const runId = submitted.body.run_id;
    io.out(`run ${runId} queued`);
    if (!parsed.wait) return 0;
    const run = await waitForRun(client, runId, io.out);
    if (run.error_summary) io.err(run.error_summary);
    const dir = resolve(io.cwd, parsed.out ?? ".");
    for (const a of run.artifacts) {
      const target = artifactTarget(dir, a.path);
      if (!target) {
        io.err(`skipped ${a.path}: not a path inside ${dir}`);
        continue;
      }
      const res = await client.download(`/api/v1/runs/${runId}/artifacts/${a.artifact_id}`);
      if (!res.ok) throw new CliError(`Could not download ${a.path}: HTTP ${res.status}`, 1);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, new Uint8Array(await res.arrayBuffer()));
      io.out(`saved ${join(parsed.out ?? ".", artifactRelativePath(a.path))} (${a.bytes} bytes)`);
    }
    return run.status === "succeeded" ? 0 : 1;
  },
};
