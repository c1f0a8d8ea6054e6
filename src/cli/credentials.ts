// Where the CLI keeps its server login: $XDG_CONFIG_HOME/skriptoteket/credentials.json (default
// ~/.config/…), readable by the owner only (0600, folder 0700). One entry per server plus the one used
// last, so `skriptoteket run` needs no --server after `login`.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CliIO } from "./command";
import { CliError } from "./cli-error";

export type ServerCredential = { token: string; expires_at: string; scopes: string[]; user_email: string | null };
export type CredentialsFile = { current: string | null; servers: Record<string, ServerCredential> };

export function credentialsPath(env: CliIO["env"]): string {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, ".config") : null);
  if (!base) throw new CliError("Cannot find your home folder (HOME is not set) to keep the login in.", 2);
  return join(base, "skriptoteket", "credentials.json");
}

/** "https://skript.skola.se/" and "https://skript.skola.se" are the same server. */
export function normalizeServer(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new CliError(`"${url}" is not a server address. Use e.g. --server https://skriptoteket.skola.se`, 2);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new CliError(`The server address must start with https:// (or http://), got "${url}".`, 2);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
}

export function readCredentials(env: CliIO["env"]): CredentialsFile {
  const path = credentialsPath(env);
  if (!existsSync(path)) return { current: null, servers: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<CredentialsFile>;
    return { current: parsed.current ?? null, servers: parsed.servers ?? {} };
  } catch {
    throw new CliError(`${path} is not valid JSON. Delete it and run "skriptoteket login" again.`, 2);
  }
}

export function saveCredential(env: CliIO["env"], server: string, credential: ServerCredential): string {
  const path = credentialsPath(env);
  const file = readCredentials(env);
  file.servers[server] = credential;
  file.current = server;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  // mode only applies when the file is created; an existing file is tightened too
  chmodSync(path, 0o600);
  return path;
}

/** The server and token to use: --server (or $SKRIPTOTEKET_SERVER), else the last login. */
export function requireLogin(env: CliIO["env"], server: string | undefined, now = new Date()): { server: string; token: string } {
  const file = readCredentials(env);
  const chosen = server ? normalizeServer(server) : env.SKRIPTOTEKET_SERVER ? normalizeServer(env.SKRIPTOTEKET_SERVER) : file.current;
  if (!chosen) throw new CliError('Not logged in. Run "skriptoteket login --server URL" first.', 2);
  const cred = file.servers[chosen];
  if (!cred) throw new CliError(`Not logged in to ${chosen}. Run "skriptoteket login --server ${chosen}" first.`, 2);
  if (new Date(cred.expires_at).getTime() <= now.getTime()) throw new CliError(`Your login to ${chosen} has expired. Run "skriptoteket login --server ${chosen}" again.`, 2);
  return { server: chosen, token: cred.token };
}
