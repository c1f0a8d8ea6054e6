// `skriptoteket user`: accounts from the server's shell — create the first superuser, list, change
// roles, (de)activate, reset a forgotten password. Every change is audited with actor "cli".
import { createWriteStream, existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CliIO, Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext, splitConfigArg, type CliContext } from "./context";
import { CliError } from "./cli-error";
import { AppError } from "../http/errors";
import { createMetrics } from "../ops/metrics";
import type { AuditActor } from "../audit/audit.actions";
import { createIdentityDeps, type IdentityDeps } from "../identity/identity.deps";
import { isRole, ROLES, type Role } from "../identity/roles.rules";
import { changeAccount, createUser, findUserByEmail, listUsers, resetPasswordByAdmin, toUserJson } from "../identity/users.service";
import type { UserRecord } from "../identity/users.repository";
import { createPrivacyDeps, eraseUser, exportUser, planErasure, type ErasurePlan } from "../ops/privacy.service";
import { countOf, formatBytes } from "../ops/backup.rules";

const CLI: AuditActor = { kind: "cli" };

const OPTIONS = {
  email: { type: "string" },
  role: { type: "string" },
  password: { type: "string" },
  "first-name": { type: "string" },
  "last-name": { type: "string" },
  q: { type: "string" },
  json: { type: "boolean" },
  out: { type: "string" },
  yes: { type: "boolean" },
} as const;

type Options = { email?: string; role?: string; password?: string; "first-name"?: string; "last-name"?: string; q?: string; json?: boolean; out?: string; yes?: boolean };

/** How the command asks for a password on a terminal; replaceable in tests. */
export type PasswordPrompt = { interactive(): boolean; ask(question: string): Promise<string> };

type Run = (deps: IdentityDeps, opts: Options, io: CliIO, prompt: PasswordPrompt, cli: CliContext) => Promise<number>;

const USAGE = `Usage: skriptoteket user <subcommand> [options] [--config FILE]

Subcommands:
  create --email E --role R [--password P] [--first-name N] [--last-name N]
                  Create an active account with a verified e-mail address. Without --password
                  you are asked twice on a terminal; otherwise one is generated and printed once.
  list [--q TEXT] [--role R] [--json]
                  List accounts (a table, or one JSON object per line with --json).
  set-role --email E --role R
  deactivate --email E      Stop an account from logging in and end its sessions.
  activate --email E        Let a deactivated account log in again.
  reset-password --email E  Set a new generated password (printed once) and end the sessions.
  export --email E --out FILE
                  Write everything stored about the account to FILE (.tar.gz): export.json with
                  every row that refers to it, and its files (run files, uploaded documents). For
                  a request from the person (GDPR).
  erase --email E --yes
                  Delete the account and everything it owns (runs and documents with their files,
                  sessions, settings, API keys, login events, memberships). The audit log and the
                  person's tool suggestions are kept, with the e-mail address and name replaced by
                  a pseudonym. Without --yes it only shows what would be erased.

Roles: ${ROLES.join(", ")}.`;

function requireOption(opts: Options, name: "email" | "role" | "out"): string {
  const value = opts[name];
  if (!value) throw new CliError(`--${name} is required. Run "skriptoteket user --help" for the usage.`, 2);
  return value;
}

function requireRole(opts: Options): Role {
  const role = requireOption(opts, "role");
  if (!isRole(role)) throw new CliError(`--role must be one of ${ROLES.join(", ")}, not "${role}".`, 2);
  return role;
}

async function askTwice(prompt: PasswordPrompt): Promise<string> {
  const first = await prompt.ask("Password: ");
  const second = await prompt.ask("Repeat the password: ");
  if (first !== second) throw new CliError("The two passwords differ. Nothing was created; run the command again.", 1);
  return first;
}

const create: Run = async (deps, opts, io, prompt) => {
  const email = requireOption(opts, "email");
  const role = requireRole(opts);
  const password = opts.password ?? (prompt.interactive() ? await askTwice(prompt) : null);
  const { user, generatedPassword } = await createUser(deps, {
    email,
    role,
    password,
    firstName: opts["first-name"],
    lastName: opts["last-name"],
    actor: CLI,
  });
  io.out(`Created ${user.email} (${user.role}), id ${user.id}.`);
  if (generatedPassword) io.out(`password: ${generatedPassword}`);
  return 0;
};

function tableRow(u: UserRecord): string[] {
  const name = `${u.firstName} ${u.lastName}`.trim();
  return [u.email, u.role, u.active ? "yes" : "no", u.emailVerified ? "yes" : "no", name, u.createdAt.toISOString().slice(0, 10)];
}

function printTable(rows: string[][], io: CliIO): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.out(r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

const list: Run = async (deps, opts, io) => {
  const role = opts.role === undefined ? undefined : requireRole(opts);
  const all: UserRecord[] = [];
  for (let page = 1; ; page++) {
    const r = await listUsers(deps, { q: opts.q, role, page, pageSize: 100 });
    all.push(...r.items);
    if (all.length >= r.total || r.items.length === 0) break;
  }
  if (opts.json) {
    for (const u of all) io.out(JSON.stringify(toUserJson(u)));
    return 0;
  }
  printTable([["EMAIL", "ROLE", "ACTIVE", "VERIFIED", "NAME", "CREATED"], ...all.map(tableRow)], io);
  io.out(`${all.length} ${all.length === 1 ? "user" : "users"}`);
  return 0;
};

const setRole: Run = async (deps, opts, io) => {
  const user = await findUserByEmail(deps, requireOption(opts, "email"));
  const updated = await changeAccount(deps, { actor: CLI, id: user.id, role: requireRole(opts) });
  io.out(user.role === updated.role ? `${updated.email} already has role ${updated.role}.` : `${updated.email}: role ${user.role} → ${updated.role}.`);
  return 0;
};

const setActive =
  (active: boolean): Run =>
  async (deps, opts, io) => {
    const user = await findUserByEmail(deps, requireOption(opts, "email"));
    await changeAccount(deps, { actor: CLI, id: user.id, active });
    const what = active ? "active: it can log in" : "deactivated: it cannot log in and its sessions have ended";
    io.out(user.active === active ? `${user.email} was already ${active ? "active" : "deactivated"}.` : `${user.email} is now ${what}.`);
    return 0;
  };

const resetPassword: Run = async (deps, opts, io) => {
  const user = await findUserByEmail(deps, requireOption(opts, "email"));
  const { password } = await resetPasswordByAdmin(deps, { actor: CLI, id: user.id });
  io.out(`New password for ${user.email} (shown once; the account's sessions have ended):`);
  io.out(`password: ${password}`);
  return 0;
};

const exportData: Run = async (deps, opts, io, _prompt, cli) => {
  const user = await findUserByEmail(deps, requireOption(opts, "email"));
  const out = resolve(io.cwd, requireOption(opts, "out"));
  if (existsSync(out)) throw new CliError(`${out} exists already. Choose another --out file.`, 1);
  const privacy = createPrivacyDeps({ store: cli.store, config: cli.config, log: cli.log });
  const file = createWriteStream(out, { flags: "wx", mode: 0o600 });
  const r = await exportUser(privacy, { actor: CLI, userId: user.id, out: file });
  io.out(`Exported ${user.email}: ${r.tables.reduce((n, t) => n + t.rows, 0)} rows from ${countOf(r.tables.length, "table")} and ${countOf(r.files, "file")} (${formatBytes(r.bytes)}) to ${out}`);
  if (r.missingFiles.length) io.out(`Note: ${countOf(r.missingFiles.length, "file")} the rows refer to are missing from the data dir.`);
  return 0;
};

function planLines(p: ErasurePlan, done: boolean): string[] {
  const list = (counts: { table: string; rows: number }[]) => counts.map((c) => `${c.table} ${c.rows}`).join(", ");
  const total = (counts: { rows: number }[]) => counts.reduce((n, c) => n + c.rows, 0);
  const verb = (now: string, then: string) => (done ? now : then);
  const lines = [`${verb("Erased", "Erasing")} ${p.user.email} (id ${p.user.id})${done ? ":" : " would:"}`];
  lines.push(`  ${verb("deleted", "delete")} ${total(p.removed)} rows: ${list(p.removed)}`);
  lines.push(`  ${verb("deleted", "delete")} ${countOf(p.files, "file")} (${formatBytes(p.bytes)})`);
  if (p.unlinked.length) lines.push(`  ${verb("cleared", "clear")} the reference in ${total(p.unlinked)} kept rows: ${list(p.unlinked)}`);
  if (p.pseudonymised.length) lines.push(`  ${verb("wrote", "write")} ${p.pseudonym} into ${total(p.pseudonymised)} of them: ${list(p.pseudonymised)}`);
  lines.push(`  ${verb("replaced", "replace")} the e-mail address and name in ${p.auditEvents} audit events with ${p.pseudonym}`);
  return lines;
}

const erase: Run = async (deps, opts, io, _prompt, cli) => {
  const user = await findUserByEmail(deps, requireOption(opts, "email"));
  const privacy = createPrivacyDeps({ store: cli.store, config: cli.config, log: cli.log });
  if (!opts.yes) {
    for (const line of planLines(await planErasure(privacy, user.id), false)) io.out(line);
    throw new CliError("Nothing was erased. Run the command again with --yes to erase the account; this cannot be undone.", 2);
  }
  const r = await eraseUser(privacy, { actor: CLI, userId: user.id });
  for (const line of planLines(r, true)) io.out(line);
  for (const e of r.errors) io.out(`Warning: a file could not be removed: ${e}`);
  return 0;
};

const SUBCOMMANDS: Record<string, Run> = {
  create,
  list,
  "set-role": setRole,
  deactivate: setActive(false),
  activate: setActive(true),
  "reset-password": resetPassword,
  export: exportData,
  erase,
};

function parseOptions(args: string[]): Options {
  try {
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}. Run "skriptoteket user --help" for the usage.`, 2);
  }
}

/** Service errors (taken e-mail, weak password, unknown user…) become a message and exit code 1. */
function explain(e: AppError, opts: Options): CliError {
  if (e.code === "not_found") return new CliError(`No account has the e-mail address ${opts.email ?? ""}.`, 1);
  const details = Array.isArray(e.details)
    ? e.details.map((d: unknown) => (d && typeof d === "object" && "message" in d ? ` ${String(d.message)}` : "")).join("")
    : "";
  return new CliError(`${e.def.en}${details}`, 1);
}

/** Reads a line from a terminal without echoing it (raw mode: we see each key, the terminal shows none). */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let answer = "";
    const finish = (settle: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      settle();
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish(() => resolve(answer));
        if (ch === "\u0003") return finish(() => reject(new CliError("Cancelled.", 130)));
        if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

const terminalPrompt: PasswordPrompt = { interactive: () => process.stdin.isTTY === true, ask: askHidden };

export function createUserCommand(prompt: PasswordPrompt = terminalPrompt): Command {
  return {
    name: "user",
    summary: "Create, list and manage user accounts",
    usage: USAGE,
    examples: [
      "skriptoteket user create --email rektor@skola.se --role superuser",
      "skriptoteket user list --role admin",
      "skriptoteket user set-role --email anna@skola.se --role contributor",
      "skriptoteket user reset-password --email anna@skola.se",
      "skriptoteket user export --email anna@skola.se --out anna.tar.gz",
      "skriptoteket user erase --email anna@skola.se --yes",
    ],
    async run(args, io) {
      const [sub, ...rest] = args;
      if (!sub || wantsHelp([sub])) return printHelp(this, io);
      const run = SUBCOMMANDS[sub];
      if (!run) throw new CliError(`Unknown subcommand "${sub}". Choose one of: ${Object.keys(SUBCOMMANDS).join(", ")}.`, 2);
      if (wantsHelp(rest)) return printHelp(this, io);
      const opts = parseOptions(splitConfigArg(rest).rest);
      const cli = await openCliContext(rest, io);
      try {
        const deps = createIdentityDeps({ store: cli.store, config: cli.config, log: cli.log, metrics: createMetrics({ defaults: false }) });
        return await run(deps, opts, io, prompt, cli);
      } catch (e) {
        if (e instanceof AppError) throw explain(e, opts);
        throw e;
      } finally {
        await cli.close();
      }
    },
  };
}

export const userCommand = createUserCommand();
