// `skriptoteket login --server URL`: the device login. Prints where to confirm and the code, polls the
// server until the person approves (or denies) in the browser, and keeps the short-lived token in
// the credentials file (0600) for `run` and `tool push`.
import { hostname } from "node:os";
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { CliError } from "./cli-error";
import { normalizeServer, saveCredential } from "./credentials";
import { cliLocale, createServerClient, failure } from "./server-client";

type Start = { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number };
type Poll = { status: "pending"; interval: number } | { status: "approved"; access_token: string; expires_in: number; scopes: string[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function parseLoginArgs(args: string[], env: Record<string, string | undefined>): { server: string } {
  let server: string | undefined = env.SKRIPTOTEKET_SERVER;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--server") server = args[++i];
    else if (a.startsWith("--server=")) server = a.slice("--server=".length);
    else throw new CliError(`Unknown argument "${a}". Run "skriptoteket login --help" for the usage.`, 2);
  }
  if (!server) throw new CliError('Which server? Use "skriptoteket login --server https://skriptoteket.skola.se".', 2);
  return { server: normalizeServer(server) };
}

export const loginCommand: Command = {
  name: "login",
  summary: "Log the command line in to a Skriptoteket server (confirm in the browser)",
  usage: [
    "Usage: skriptoteket login --server URL",
    "",
    "  Prints an address and a code. Open the address, log in if needed, check the code and choose what",
    "  the command line may do (the scopes). The login lasts one hour and is kept, readable only by you, in",
    "  ~/.config/skriptoteket/credentials.json ($XDG_CONFIG_HOME is honoured). $SKRIPTOTEKET_SERVER can",
    "  stand in for --server. Exit 0 when logged in, 1 when denied or expired.",
  ].join("\n"),
  examples: ["skriptoteket login --server https://skriptoteket.skola.se"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const { server } = parseLoginArgs(args, io.env);
    const client = createServerClient(server, { locale: cliLocale(io.env) });
    const started = await client.json<Start>("POST", "/api/v1/auth/device/start", { client_name: `skriptoteket CLI on ${hostname()}`.slice(0, 100) });
    if (!started.ok) throw failure(started.error, "Could not start the login");
    const s = started.body;
    io.out(`Open ${s.verification_uri} in a browser and enter the code ${s.user_code}`);
    io.out(`(or open ${s.verification_uri_complete})`);
    io.out("Waiting for the confirmation …");
    let interval = s.interval;
    const deadline = Date.now() + s.expires_in * 1000;
    while (Date.now() < deadline) {
      await sleep(interval * 1000);
      const polled = await client.json<Poll>("POST", "/api/v1/auth/device/poll", { device_code: s.device_code });
      if (!polled.ok) {
        if (polled.error.code === "device.slow_down") {
          interval += 1;
          continue;
        }
        throw failure(polled.error, "Login failed");
      }
      if (polled.body.status === "pending") continue;
      const token = polled.body.access_token;
      const who = await createServerClient(server, { token, locale: cliLocale(io.env) }).json<{ user: { email: string } }>("GET", "/api/v1/access/whoami");
      const email = who.ok ? who.body.user.email : null;
      const path = saveCredential(io.env, server, {
        token,
        expires_at: new Date(Date.now() + polled.body.expires_in * 1000).toISOString(),
        scopes: polled.body.scopes,
        user_email: email,
      });
      io.out(`Logged in to ${server}${email ? ` as ${email}` : ""} with ${polled.body.scopes.join(", ")} (valid ${Math.round(polled.body.expires_in / 60)} minutes; kept in ${path}).`);
      return 0;
    }
    throw new CliError('The code expired before it was confirmed. Run "skriptoteket login" again.', 1);
  },
};
