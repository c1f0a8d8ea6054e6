// Test helper process for backup.live.test.ts: writes continuously into a running site until a stop
// file appears — directly into the store (users; finished runs with input files and artifacts, blobs
// first as the app does) and through the real server's HTTP API (failed logins, which the server
// records as login events and audit events). Every write is an insert, so a consistent backup's rows
// must each still exist unchanged at the end.
//
//   bun src/ops/test-load-writer.ts CONFIG_FILE BASE_URL STOP_FILE
import { existsSync } from "node:fs";
import { loadConfig } from "../config/config.load";
import { openStore } from "../store/db";
import { createFsBlobStore } from "../store/blob-store";
import { insertTestTool, insertTestUser } from "../execution/test-runs";
import { seedRun } from "./ops.test-data";

async function failedLogin(base: string, n: number): Promise<void> {
  const csrf = await fetch(`${base}/api/v1/auth/csrf`);
  const token = ((await csrf.json()) as { csrf_token: string }).csrf_token;
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": token, cookie },
    body: JSON.stringify({ email: `okand-${n}@skola.se`, password: "fel-lösenord-123" }),
  });
  if (res.status !== 401) throw new Error(`login: expected 401, got ${res.status} ${await res.text()}`);
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

if (import.meta.main) {
  const [configFile, base, stopFile] = process.argv.slice(2);
  if (!configFile || !base || !stopFile) throw new Error("usage: test-load-writer.ts CONFIG BASE_URL STOP_FILE");
  const { config } = loadConfig({ argv: ["--config", configFile], env: {}, cwd: process.cwd() });
  const store = await openStore({ databaseUrl: config.database.url, dataDir: config.storage.data_dir, maxPgConnections: 2 });
  const blobs = createFsBlobStore(config.storage.data_dir);
  const tool = await insertTestTool(store, { source: "def run_tool(input_dir, output_dir):\n    pass\n", slug: "last-verktyg" });
  let i = 0;
  while (!existsSync(stopFile)) {
    const userId = await insertTestUser(store, `skribent-${i}@skola.se`);
    await seedRun(store, blobs, {
      tool,
      userId,
      finishedAt: new Date(),
      inputs: [{ name: `indata-${i}.bin`, data: randomBytes(1_000 + ((i * 7919) % 20_000)) }],
      artifacts: [{ name: `utdata-${i}.bin`, data: randomBytes(500 + ((i * 104_729) % 30_000)) }],
      stdout: `körning ${i}`,
    });
    if (i % 5 === 0) await failedLogin(base, i);
    i++;
  }
  await store.close();
  process.stdout.write(JSON.stringify({ iterations: i }) + "\n");
}
