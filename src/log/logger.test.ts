import { expect, test } from "bun:test";
import { createLogger, REDACTED } from "./logger";

test("secrets are redacted at any depth, ids are kept", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l) });
  log.info("login", {
    email: "a@b.se",
    password: "hunter22",
    request_id: "r1",
    session_id: "s1",
    nested: { csrf_token: "abc", headers: { authorization: "Bearer x", cookie: "skriptoteket_session=zzz" } },
  });
  const rec = JSON.parse(lines[0]!);
  expect(rec).toMatchObject({ level: "info", msg: "login", email: "a@b.se", request_id: "r1", session_id: "s1" });
  expect(rec.password).toBe(REDACTED);
  expect(rec.nested.csrf_token).toBe(REDACTED);
  expect(rec.nested.headers).toEqual({ authorization: REDACTED, cookie: REDACTED });
  expect(lines[0]).not.toContain("hunter22");
  expect(lines[0]).not.toContain("zzz");
});

test("level filter and child fields", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", write: (l) => lines.push(l) }).child({ component: "x" });
  log.info("hidden");
  log.warn("shown");
  expect(lines.length).toBe(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ msg: "shown", component: "x" });
});
