// `skriptoteket doctor`: checks what a site needs and says how to fix what is missing.
import { accessSync, constants, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { loadCliConfig } from "./context";
import { openStore, pingStore } from "../store/db";
import { pendingMigrations } from "../store/migrate";
import { createDockerDriver } from "../execution/docker-driver";
import { createLogger } from "../log/logger";

type Check = { name: string; ok: boolean; detail: string };

export const doctorCommand: Command = {
  name: "doctor",
  summary: "Check configuration, data directory, database, Docker and the runner image",
  usage: "Usage: skriptoteket doctor [--config FILE]\n\nPrints one line per check; exits 1 when a check fails.",
  examples: ["skriptoteket doctor --config /etc/skriptoteket/skriptoteket.toml"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const { config, configPath } = loadCliConfig(args, io);
    const checks: Check[] = [{ name: "config", ok: true, detail: configPath ?? "built-in defaults (no file found)" }];
    const dataDir = resolve(config.storage.data_dir);
    try {
      mkdirSync(dataDir, { recursive: true });
      accessSync(dataDir, constants.W_OK);
      checks.push({ name: "data_dir", ok: true, detail: `${dataDir} is writable` });
    } catch (e) {
      checks.push({ name: "data_dir", ok: false, detail: `${dataDir} is not writable (${(e as Error).message}): create it and give the service user write access` });
    }
    const store = await openStore({ databaseUrl: config.database.url, dataDir: config.storage.data_dir });
    try {
      await pingStore(store);
      const pending = await pendingMigrations(store);
      checks.push({ name: "database", ok: true, detail: `${store.dialect} reachable` });
      checks.push({
        name: "migrations",
        ok: pending === 0,
        detail: pending === 0 ? "up to date" : `${pending} pending: run skriptoteket migrate`,
      });
    } catch (e) {
      checks.push({ name: "database", ok: false, detail: `${(e as Error).message}: check [database] url and that the server runs` });
    } finally {
      await store.close();
    }
    checks.push(...(await dockerChecks(config.runner.docker_host, config.runner.image)));
    for (const c of checks) io.out(`${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(11)} ${c.detail}`);
    return checks.every((c) => c.ok) ? 0 : 1;
  },
};

/** Tools run in containers of the runner image: both the daemon and the image must be there. */
async function dockerChecks(dockerHost: string, image: string): Promise<Check[]> {
  const driver = createDockerDriver({ dockerHost, log: createLogger({ level: "error", write: () => {} }) });
  try {
    await driver.ping();
  } catch (e) {
    return [{ name: "docker", ok: false, detail: `${(e as Error).message}: install and start Docker (apt-get install docker.io) or set [runner] docker_host` }];
  }
  const present = await driver.imageExists(image).catch(() => false);
  return [
    { name: "docker", ok: true, detail: dockerHost || "local socket" },
    { name: "runner", ok: present, detail: present ? `image ${image} present` : `image ${image} is missing: run runner/build-image.sh (or docker build runner/)` },
  ];
}
