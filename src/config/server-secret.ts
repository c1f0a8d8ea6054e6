// The server secret keys hashes and signs short-lived tokens. When [server] secret is empty, one is
// generated at first start and kept in data_dir, so restarts and upgrades keep sessions and keys valid.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";

export const SECRET_FILE_NAME = "server-secret";

export function ensureServerSecret(configured: string, dataDir: string): string {
  if (configured) return configured;
  const dir = resolve(dataDir);
  const file = join(dir, SECRET_FILE_NAME);
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
