import { expect, test } from "bun:test";
import { parse } from "smol-toml";
import { maskSecrets, maskUrlPassword, MASK } from "./config.mask";
import { renderConfigToml, tomlString } from "./config.render";
import { resolveConfig } from "./config.resolve";
import { defaultConfig } from "./config.keys";

function customConfig() {
  const config = defaultConfig();
  config.server.secret = "s".repeat(40);
  config.email.smtp_password = "hunter2hunter2";
  config.email.smtp_user = "mailer";
  config.database.url = "postgres://app:p%40ss@db.skola.se:5432/skript";
  config.auth.allowed_domains = ["skola.se", "kommun.se"];
  config.ai.chat_model = 'odd "name"\\ with\ttab';
  return config;
}

test("maskUrlPassword hides only the password", () => {
  expect(maskUrlPassword("postgres://app:secret@db:5432/x")).toBe(`postgres://app:${MASK}@db:5432/x`);
  expect(maskUrlPassword("postgresql://app:p@ss:w@db/x?ssl=true")).toBe(`postgresql://app:${MASK}@db/x?ssl=true`);
  expect(maskUrlPassword("postgres://app@db/x")).toBe("postgres://app@db/x");
  expect(maskUrlPassword("postgres://db/x")).toBe("postgres://db/x");
  expect(maskUrlPassword("")).toBe("");
});

test("maskSecrets masks every secret key, leaves empty secrets empty and does not touch the input", () => {
  const config = customConfig();
  const masked = maskSecrets(config);
  expect(masked.server.secret).toBe(MASK);
  expect(masked.email.smtp_password).toBe(MASK);
  expect(masked.database.url).toBe(`postgres://app:${MASK}@db.skola.se:5432/skript`);
  expect(masked.email.smtp_user).toBe("mailer"); // not a secret
  expect(maskSecrets(defaultConfig()).server.secret).toBe(""); // "not set" stays visible
  expect(config.server.secret).toBe("s".repeat(40));
  expect(config.email.smtp_password).toBe("hunter2hunter2");
});

test("renderConfigToml writes TOML that reads back to the same config", () => {
  const config = customConfig();
  const text = renderConfigToml(config);
  expect(text).toContain('[server]\nlisten = "0.0.0.0:8080"\n');
  expect(text).toContain('allowed_domains = ["skola.se", "kommun.se"]');
  expect(resolveConfig({ text, file: "printed.toml", env: {} }).config).toEqual(config);
});

test("renderConfigToml marks keys that come from the environment", () => {
  const { config, sources } = resolveConfig({ text: null, file: null, env: { SKRIPTOTEKET_LOG_LEVEL: "warn" } });
  const text = renderConfigToml(config, sources);
  expect(text).toContain('level = "warn"  # from SKRIPTOTEKET_LOG_LEVEL\n');
  expect(text).toContain('format = "json"\n');
  expect(parse(text)).toMatchObject({ log: { level: "warn" } });
});

test("tomlString escapes what TOML basic strings forbid", () => {
  const text = 'quote " backslash \\ newline \n del \u007f nul \u0000 lone \ud800';
  const parsed = parse(`x = ${tomlString(text)}`);
  expect(parsed.x).toBe(text.replace("\ud800", "\ufffd"));
});
