// HTTP scenarios of the settings API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import type { Browser } from "../identity/test-app";
import { createRunsTestApp, type RunsTestApp } from "./runs.test-app";

const SETTINGS_SCHEMA = [
  { kind: "enum", name: "sprak", label: "Språk", options: [{ value: "sv", label: "Svenska" }, { value: "en", label: "Engelska" }], default: "sv" },
  { kind: "integer", name: "max_rader", label: "Max rader", min: 1, max: 500 },
  { kind: "boolean", name: "visa_namn", label: "Visa namn" },
];

type ErrorJson = { error: { code: string; message: string; details: unknown } };
const err = (body: unknown) => (body as ErrorJson).error;

for (const kind of testStoreKinds()) {
  describe(`settings API on ${kind}`, () => {
    let t: RunsTestApp;
    let user: Browser;
    let other: Browser;

    beforeAll(async () => {
      t = await createRunsTestApp(kind);
      await t.addTool({ slug: "installningar", settingsSchema: SETTINGS_SCHEMA });
      await t.addTool({ slug: "utan", settingsSchema: null });
      await t.addTool({ slug: "dold", settingsSchema: SETTINGS_SCHEMA, publish: false });
      [user, other] = await Promise.all([t.as("user"), t.as("contributor")]);
    });
    afterAll(async () => t?.close());

    const url = (slug: string) => `/api/v1/tools/${slug}/settings`;
    const put = (b: Browser, slug: string, body: unknown) => b.call("PUT", url(slug), body);

    test("before saving: the schema, defaults and rev 0", async () => {
      const res = await user.get(url("installningar"));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ schema: expect.any(Array), values: { sprak: "sv" }, rev: 0 });
      expect((res.body.schema as { name: string }[]).map((f) => f.name)).toEqual(["sprak", "max_rader", "visa_namn"]);
    });

    test("a tool without settings: schema null; saving is 404 settings.not_available", async () => {
      expect((await user.get(url("utan"))).body).toEqual({ schema: null, values: {}, rev: 0 });
      const res = await put(user, "utan", { values: {}, expected_rev: 0 });
      expect(res.status).toBe(404);
      expect(err(res.body).code).toBe("settings.not_available");
    });

    test("save, read back, and a stale revision is 409 settings.conflict", async () => {
      const first = await put(user, "installningar", { values: { sprak: "en", max_rader: "50", visa_namn: "yes" }, expected_rev: 0 });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ values: { sprak: "en", max_rader: 50, visa_namn: true }, rev: 1 });
      expect((await user.get(url("installningar"))).body).toMatchObject({ values: { sprak: "en", max_rader: 50, visa_namn: true }, rev: 1 });

      const stale = await put(user, "installningar", { values: { sprak: "sv" }, expected_rev: 0 });
      expect(stale.status).toBe(409);
      expect(err(stale.body)).toMatchObject({ code: "settings.conflict", details: { expected_rev: 0, current_rev: 1 } });
      expect(err(stale.body).message).toContain("Ladda om sidan");

      const second = await put(user, "installningar", { values: { sprak: "sv" }, expected_rev: 1 });
      expect(second.body).toMatchObject({ values: { sprak: "sv" }, rev: 2 });
    });

    test("settings are per user", async () => {
      expect((await other.get(url("installningar"))).body).toMatchObject({ values: { sprak: "sv" }, rev: 0 });
    });

    const invalid = [
      { name: "a value that is no option", values: { sprak: "de" }, paths: ["/values/sprak"] },
      { name: "an out-of-range integer", values: { max_rader: 0 }, paths: ["/values/max_rader"] },
      { name: "an unknown key", values: { okand: 1 }, paths: ["/values/okand"] },
    ];
    for (const c of invalid) {
      test(`422 settings.invalid: ${c.name}`, async () => {
        const res = await put(other, "installningar", { values: c.values, expected_rev: 0 });
        expect(res.status).toBe(422);
        expect(err(res.body).code).toBe("settings.invalid");
        expect((err(res.body).details as { path: string }[]).map((d) => d.path)).toEqual(c.paths);
      });
    }

    test("a body without expected_rev is a validation error", async () => {
      const res = await put(other, "installningar", { values: {} });
      expect(res.status).toBe(422);
    });

    test("unpublished tools are 404; anonymous is 401; PUT without CSRF is 403", async () => {
      expect((await user.get(url("dold"))).status).toBe(404);
      expect((await t.browser().get(url("installningar"))).status).toBe(401);
      expect((await user.call("PUT", url("installningar"), { values: {}, expected_rev: 0 }, { csrf: false })).status).toBe(403);
    });
  });
}
