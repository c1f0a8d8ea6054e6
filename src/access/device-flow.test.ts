// The CLI's device login over HTTP on both stores: start, poll, confirm in the "browser", receive a
// scoped short-lived token once, use it like a key; denial, slow-down and expiry.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import { Browser } from "../identity/test-app";
import { createAccessTestApp, type AccessTestApp } from "./access.test-app";

const codeOf = (body: Record<string, unknown>) => (body as { error?: { code?: string } }).error?.code;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of testStoreKinds()) {
  describe(`device flow on ${kind}`, () => {
    let t: AccessTestApp;
    beforeAll(async () => {
      t = await createAccessTestApp(kind);
    });
    afterAll(async () => t?.close());

    async function start(cli = new Browser(t.app)) {
      const res = await cli.post("/api/v1/auth/device/start", { client_name: "skriptoteket CLI on laptop" });
      expect(res.status).toBe(200);
      return { cli, ...(res.body as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; interval: number; expires_in: number }) };
    }

    test("start → pending → confirm with scopes → token once → works like a key", async () => {
      const flow = await start();
      expect(flow.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
      expect(flow.verification_uri).toBe("https://skriptoteket.skola.se/device");
      expect(flow.verification_uri_complete).toBe(`https://skriptoteket.skola.se/device?code=${flow.user_code}`);
      expect(flow.interval).toBe(1);

      const pending = await flow.cli.post("/api/v1/auth/device/poll", { device_code: flow.device_code });
      expect([pending.status, pending.body.status]).toEqual([202, "pending"]);
      // polling again at once is too fast
      const fast = await flow.cli.post("/api/v1/auth/device/poll", { device_code: flow.device_code });
      expect([fast.status, codeOf(fast.body)]).toEqual([429, "device.slow_down"]);

      const teacher = await t.loggedIn("contributor");
      const view = await teacher.get(`/api/v1/auth/device/${flow.user_code.toLowerCase().replace("-", "")}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ user_code: flow.user_code, client_name: "skriptoteket CLI on laptop", status: "pending" });
      expect(view.body.allowed_scopes).toContain("tools:write");
      const refused = await teacher.post("/api/v1/auth/device/confirm", { user_code: flow.user_code, scopes: ["admin"] });
      expect(codeOf(refused.body)).toBe("access.scope_not_allowed");
      const ok = await teacher.post("/api/v1/auth/device/confirm", { user_code: flow.user_code, scopes: ["runs:read", "runs:write"] });
      expect(ok.body).toEqual({ status: "approved" });
      const again = await teacher.post("/api/v1/auth/device/deny", { user_code: flow.user_code });
      expect(codeOf(again.body)).toBe("device.already_decided");

      await sleep(1000);
      const approved = await flow.cli.post("/api/v1/auth/device/poll", { device_code: flow.device_code });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: "approved", token_type: "Bearer", scopes: ["runs:read", "runs:write"], expires_in: 3600 });
      const token = approved.body.access_token as string;

      const me = await t.bearer(token, "GET", "/api/v1/access/whoami");
      expect(me.body).toMatchObject({ user: { email: "contributor@skola.se" }, key: { kind: "device_token", scopes: ["runs:read", "runs:write"] } });
      expect((await t.bearer(token, "GET", "/api/v1/runs")).status).toBe(200);
      expect(codeOf((await t.bearer(token, "GET", "/api/v1/catalog/tools")).body)).toBe("auth.scope_missing");

      await sleep(1000);
      const twice = await flow.cli.post("/api/v1/auth/device/poll", { device_code: flow.device_code });
      expect([twice.status, codeOf(twice.body)]).toEqual([410, "device.code_expired"]);
      // the user code is used up as well
      expect(codeOf((await teacher.get(`/api/v1/auth/device/${flow.user_code}`)).body)).toBe("device.code_not_found");

      // a token with a tampered payload or signature is refused
      const [h, p, s] = token.split(".");
      expect(codeOf((await t.bearer(`${h}.${p}.${s!.slice(0, -2)}xx`, "GET", "/api/v1/runs")).body)).toBe("auth.key_invalid");

      const actions = await t.auditActions();
      expect(actions).toEqual(expect.arrayContaining(["device.approved", "device.access_issued"]));

      // the token expires with its grant, checked against the server's clock
      t.advance(61);
      expect(codeOf((await t.bearer(token, "GET", "/api/v1/runs")).body)).toBe("auth.key_invalid");
    });

    test("a denied login answers 403 to the CLI; an unknown or expired code 410/404", async () => {
      const flow = await start();
      const user = await t.loggedIn("user");
      expect((await user.post("/api/v1/auth/device/deny", { user_code: flow.user_code })).body).toEqual({ status: "denied" });
      const res = await flow.cli.post("/api/v1/auth/device/poll", { device_code: flow.device_code });
      expect([res.status, codeOf(res.body)]).toEqual([403, "device.denied"]);

      const unknown = await flow.cli.post("/api/v1/auth/device/poll", { device_code: "not-a-code" });
      expect([unknown.status, codeOf(unknown.body)]).toEqual([410, "device.code_expired"]);

      const late = await start();
      t.advance(11);
      expect(codeOf((await user.get(`/api/v1/auth/device/${late.user_code}`)).body)).toBe("device.code_not_found");
      expect(codeOf((await user.post("/api/v1/auth/device/confirm", { user_code: late.user_code, scopes: ["runs:read"] })).body)).toBe("device.code_not_found");
      expect(codeOf((await late.cli.post("/api/v1/auth/device/poll", { device_code: late.device_code })).body)).toBe("device.code_expired");
    });

    test("start needs the CSRF cookie like login; confirming needs a session", async () => {
      const res = await new Browser(t.app).post("/api/v1/auth/device/start", {}, { csrf: false });
      expect([res.status, codeOf(res.body)]).toEqual([403, "csrf.invalid"]);
      const flow = await start();
      const anon = await new Browser(t.app).post("/api/v1/auth/device/confirm", { user_code: flow.user_code, scopes: ["runs:read"] });
      expect([anon.status, codeOf(anon.body)]).toEqual([401, "auth.required"]);
    });
  });
}
