// Starts the BUILT binary (dist/skriptoteket serve) for browser tests: a free 127.0.0.1 port, a fresh
// temporary data_dir, a TOML file with e-mail going to the log, and users created through the CLI
// exactly as an operator would (`skriptoteket user create …`). The store is SQLite in data_dir, or with
// SKRIPTOTEKET_TEST_STORE=postgres (scripts/test.ts's second pass) a fresh PostgreSQL database of its
// own ([database] url), dropped by stop().
//
//   const server = await startServer({ auth: { registration: "open" } });
//   await server.createUser({ email: "a@skola.se", role: "superuser", password: "…" });
//   … server.url …
//   await server.stop();
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createEmptyPgDatabase, processTestStoreKind, type TestStoreKind } from "../../src/store/test-db";

/** The binary under test: dist/skriptoteket, or $SKRIPTOTEKET_BINARY (e.g. a build kept elsewhere). */
export const BINARY = process.env.SKRIPTOTEKET_BINARY || resolve(import.meta.dir, "..", "..", "dist", "skriptoteket");

type TomlValue = string | number | boolean | string[];

export interface ServerOptions {
  /** Extra [section] keys, e.g. { auth: { registration: "open" } }. */
  [section: string]: Record<string, TomlValue>;
}

export interface RunningServer {
  url: string;
  configPath: string;
  dataDir: string;
  store: TestStoreKind;
  createUser(user: { email: string; role: "user" | "contributor" | "admin" | "superuser"; password: string }): Promise<void>;
  /** The server's output so far (JSON log lines; e-mails with provider "log" are there too). */
  log(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it; closed again before the server binds it). */
async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

function toml(sections: Record<string, Record<string, TomlValue>>): string {
  return Object.entries(sections)
    .map(([name, keys]) => `[${name}]\n${Object.entries(keys).map(([key, value]) => `${key} = ${JSON.stringify(value)}`).join("\n")}\n`)
    .join("\n");
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: build it first with scripts/build.sh`);
  const store = processTestStoreKind();
  const pg = store === "postgres" ? await createEmptyPgDatabase() : null;
  const dataDir = await mkdtemp(join(tmpdir(), "skriptoteket-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configPath = join(dataDir, "skriptoteket.toml");
  const sections: Record<string, Record<string, TomlValue>> = {
    server: { listen: `127.0.0.1:${port}`, public_url: url },
    storage: { data_dir: join(dataDir, "data") },
    email: { provider: "log" },
    ...(pg ? { database: { url: pg.url } } : {}),
  };
  for (const [section, keys] of Object.entries(options)) sections[section] = { ...sections[section], ...keys };
  await writeFile(configPath, toml(sections));

  let output = "";
  const child = Bun.spawn([BINARY, "serve", "--config", configPath], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  void collect(child.stdout);
  void collect(child.stderr);

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await pg?.drop();
      throw new Error(`skriptoteket serve exited with ${child.exitCode}:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      await pg?.drop();
      throw new Error(`skriptoteket serve did not answer /healthz within 15 s:\n${output}`);
    }
    await Bun.sleep(50);
  }

  return {
    url,
    configPath,
    dataDir,
    store,
    async createUser({ email, role, password }) {
      const cli = Bun.spawn([BINARY, "user", "create", "--email", email, "--role", role, "--password", password, "--config", configPath], {
        stdout: "pipe",
        stderr: "pipe",
        stdin: "ignore",
      });
      const [code, out, err] = await Promise.all([cli.exited, new Response(cli.stdout).text(), new Response(cli.stderr).text()]);
      if (code !== 0) throw new Error(`user create ${email} failed (${code}): ${out}${err}`);
    },
    log: () => output,
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
