import { expect, test } from "bun:test";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureServerSecret, SECRET_FILE_NAME } from "./server-secret";

test("a configured secret wins; otherwise one is generated once and kept private", () => {
  const dir = mkdtempSync(join(tmpdir(), "skt-secret-"));
  expect(ensureServerSecret("x".repeat(40), dir)).toBe("x".repeat(40));
  const first = ensureServerSecret("", dir);
  expect(first.length).toBeGreaterThanOrEqual(32);
  expect(ensureServerSecret("", dir)).toBe(first);
  expect(statSync(join(dir, SECRET_FILE_NAME)).mode & 0o777).toBe(0o600);
});
