import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { doctorCommand } from "./doctor";
import { migrateCommand } from "./migrate";
import type { CliIO } from "./command";
import { dockerAvailability, TEST_IMAGE } from "../execution/test-worker";

function io(env: Record<string, string> = {}): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), env, cwd: process.cwd() };
}

test("doctor reports config, data dir, database, migrations, Docker and the runner image", async () => {
  const { skip } = await dockerAvailability("doctor.test.ts");
  const dir = mkdtempSync(join(tmpdir(), "skt-doctor-"));
  const config = join(dir, "skriptoteket.toml");
  writeFileSync(config, `[storage]\ndata_dir = ${JSON.stringify(join(dir, "data"))}\n[runner]\nimage = ${JSON.stringify(TEST_IMAGE)}\n`);

  const before = io();
  expect(await doctorCommand.run(["--config", config], before)).toBe(1);
  expect(before.lines.find((l) => l.includes("migrations"))).toContain("pending: run skriptoteket migrate");

  expect(await migrateCommand.run(["--config", config], io())).toBe(0);
  const after = io();
  const code = await doctorCommand.run(["--config", config], after);
  for (const name of ["config", "data_dir", "database", "migrations", "docker"]) expect(after.lines.some((l) => l.includes(name))).toBe(true);
  if (skip) return;
  expect(after.lines.find((l) => l.includes("runner"))).toContain(`image ${TEST_IMAGE} present`);
  expect(code).toBe(0);

  const missing = join(dir, "missing-image.toml");
  writeFileSync(missing, `[storage]\ndata_dir = ${JSON.stringify(join(dir, "data"))}\n[runner]\nimage = "skriptoteket-runner:does-not-exist"\n`);
  const noImage = io();
  expect(await doctorCommand.run(["--config", missing], noImage)).toBe(1);
  expect(noImage.lines.find((l) => l.startsWith("FAIL") && l.includes("runner"))).toContain("run runner/build-image.sh");
});
