import { describe, expect, test } from "bun:test";
import { resolveConfig, type Env } from "./config.resolve";
import { ConfigError, type ConfigProblem } from "./config.errors";
import { defaultConfig, type Config } from "./config.keys";

const FILE = "skriptoteket.toml";

function resolve(text: string | null, env: Env = {}) {
  return resolveConfig({ text, file: text === null ? null : FILE, env });
}

/** The problems resolveConfig throws; fails the test when it does not throw. */
function problemsOf(text: string | null, env: Env = {}): ConfigProblem[] {
  try {
    resolve(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function formatted(text: string | null, env: Env = {}): string[] {
  try {
    resolve(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.format().split("\n");
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("defaults", () => {
  test("no file and no environment gives exactly the defaults", () => {
    const { config, sources } = resolve(null);
    expect(config).toEqual(defaultConfig());
    expect(config.server.listen).toBe("0.0.0.0:8080");
    expect(config.server.session_absolute_hours).toBe(168);
    expect(config.auth.registration).toBe("closed");
    expect(config.auth.allowed_domains).toEqual([]);
    expect(config.database.url).toBe("");
    expect(sources["server.listen"]).toEqual({ kind: "default" });
  });

  test("an empty or comment-only file also gives the defaults", () => {
    expect(resolve("").config).toEqual(defaultConfig());
    expect(resolve("# nothing set\n\n[server]\n").config).toEqual(defaultConfig());
  });

  test("defaultConfig returns independent copies", () => {
    const a = defaultConfig();
    a.auth.allowed_domains.push("x.se");
    expect(defaultConfig().auth.allowed_domains).toEqual([]);
  });
});

describe("file values", () => {
  test("values of every type are read and sources record their line", () => {
    const text = [
      "[server]",
      'listen = "127.0.0.1:9000"',
      "cookie_secure = true",
      'default_locale = "en"',
      "session_idle_minutes = 30",
      "[auth]",
      'registration = "domains"',
      'allowed_domains = ["Skola.se", "kommun.se"]',
    ].join("\n");
    const { config, sources } = resolve(text);
    expect(config.server.listen).toBe("127.0.0.1:9000");
    expect(config.server.cookie_secure).toBe(true);
    expect(config.server.default_locale).toBe("en");
    expect(config.server.session_idle_minutes).toBe(30);
    expect(config.auth.registration).toBe("domains");
    expect(config.auth.allowed_domains).toEqual(["skola.se", "kommun.se"]); // lower-cased
    expect(sources["server.cookie_secure"]).toEqual({ kind: "file", file: FILE, line: 3 });
    expect(sources["server.public_url"]).toEqual({ kind: "default" });
  });

  test("a trailing slash is removed from public_url", () => {
    expect(resolve('[server]\npublic_url = "https://skript.skola.se/"').config.server.public_url).toBe(
      "https://skript.skola.se",
    );
  });

  test("dotted keys and inline tables are understood", () => {
    const { config } = resolve('server.listen = "1.2.3.4:80"\nlog = { level = "debug" }\n');
    expect(config.server.listen).toBe("1.2.3.4:80");
    expect(config.log.level).toBe("debug");
  });
});

describe("problems in the file", () => {
  test("a wrong type names file, line and key (the issue's example, verbatim)", () => {
    const text = "# comment\n\n\n\n\n[server]\nlisten = 8080\n";
    expect(formatted(text)).toEqual([
      'skriptoteket.toml:7: [server] listen: expected a string like "0.0.0.0:8080", got 8080 (integer). Fix the value or remove the line to use the default.',
    ]);
    expect(problemsOf(text)).toEqual([
      { file: FILE, line: 7, key: "server.listen", message: expect.stringContaining("[server] listen:") },
    ]);
  });

  test("an unknown key names its line and suggests the near miss", () => {
    expect(formatted('[server]\nlisten = "0.0.0.0:1"\nlissten = "x"\n')).toEqual([
      'skriptoteket.toml:3: [server] lissten: unknown key. Did you mean "listen"? Fix the name or remove the line.',
    ]);
  });

  test("an unknown key without a near miss lists the section's keys; one from another section says where it belongs", () => {
    const [unknown, misplaced] = formatted('[log]\ncolour = true\ndata_dir = "/x"\n');
    expect(unknown).toBe(
      "skriptoteket.toml:2: [log] colour: unknown key. Fix the name or remove the line; [log] has level, format.",
    );
    expect(misplaced).toBe(
      "skriptoteket.toml:3: [log] data_dir: unknown key here; it belongs in [storage]. Move the line there.",
    );
  });

  test("an unknown section names the header line", () => {
    expect(formatted('[sever]\nlisten = "x"\n')).toEqual([
      "skriptoteket.toml:1: [sever]: unknown section. Did you mean [server]? Fix the name or remove the section.",
    ]);
  });

  test("a key outside any section is told where it belongs", () => {
    expect(formatted('listen = "0.0.0.0:1"\n')).toEqual([
      "skriptoteket.toml:1: listen: this key belongs in [server]. Move the line below the [server] header.",
    ]);
  });

  test("a section written as a plain value is a type error", () => {
    expect(problemsOf('server = "yes"\n')[0]?.message).toBe(
      'server: expected a section [server] with keys below it, got "yes" (string). Write it as a [server] header.',
    );
  });

  test("a bad enum value lists the allowed values", () => {
    expect(formatted('\n[auth]\nregistration = "Open"\n')).toEqual([
      'skriptoteket.toml:3: [auth] registration: expected one of "closed", "open" or "domains", got "Open" (string). Fix the value or remove the line to use the default.',
    ]);
  });

  test("an integer out of range and a float say the range", () => {
    const lines = formatted("[email]\nsmtp_port = 70000\n[runner]\ncpus = 1.5\n");
    expect(lines).toEqual([
      "skriptoteket.toml:2: [email] smtp_port: expected a whole number from 1 to 65535, got 70000 (integer). Fix the value or remove the line to use the default.",
      "skriptoteket.toml:4: [runner] cpus: expected a whole number from 1 to 256, got 1.5 (float). Fix the value or remove the line to use the default.",
    ]);
  });

  test("a quoted number or boolean gets the hint to drop the quotes", () => {
    const [port, secure] = formatted('[email]\nsmtp_port = "25"\n[server]\ncookie_secure = "true"\n');
    expect(port).toBe(
      'skriptoteket.toml:2: [email] smtp_port: expected a whole number from 1 to 65535, got "25" (string). Write it without quotes: 25.',
    );
    expect(secure).toBe(
      'skriptoteket.toml:4: [server] cookie_secure: expected true or false, got "true" (string). Write it without quotes: true.',
    );
  });

  test("string checks explain the expected form", () => {
    const lines = formatted(
      '[server]\nlisten = "localhost"\npublic_url = "skola.se"\n[database]\nurl = "mysql://u:pw@h/db"\n',
    );
    expect(lines).toEqual([
      'skriptoteket.toml:2: [server] listen: expected "host:port" with a port from 0 to 65535, like "0.0.0.0:8080", got "localhost" (string). Fix the value or remove the line to use the default.',
      'skriptoteket.toml:3: [server] public_url: expected an http:// or https:// URL without user, query or #fragment, like "https://skriptoteket.skola.se", got "skola.se" (string). Fix the value or remove the line to use the default.',
      // the password inside a bad database URL is not echoed
      'skriptoteket.toml:5: [database] url: expected "" for SQLite, or a URL starting with postgres:// or postgresql://, like "postgres://skriptoteket:password@localhost:5432/skriptoteket", got "mysql://u:********@h/db" (string). Fix the value or remove the line to use the default.',
    ]);
  });

  test("a wrong type for a secret shows only the type, never the value", () => {
    const [line] = formatted("[email]\nsmtp_password = 12345678\n");
    expect(line).toBe(
      "skriptoteket.toml:2: [email] smtp_password: expected a string, got a value of type integer. Fix the value or remove the line to use the default.",
    );
    expect(line).not.toContain("12345678");
  });

  test("a bad list item names its position", () => {
    expect(formatted('[auth]\nallowed_domains = ["skola.se", "@kommun.se"]\n')).toEqual([
      'skriptoteket.toml:2: [auth] allowed_domains: expected a domain name like "skola.se" (without "@"), got "@kommun.se" (item 2). Fix the value or remove the line to use the default.',
    ]);
    expect(problemsOf("[auth]\nallowed_domains = [1]\n")[0]?.message).toContain(
      "expected a list of strings like [\"skola.se\", \"kommun.se\"], got [1] (array)",
    );
  });

  test("all problems are reported at once, in line order", () => {
    const text = [
      "[log]",
      'level = "loud"', // 2
      "[server]",
      "trust_proxy = 1", // 4
      "bogus = 1", // 5
      "[runner]",
      "memory_mb = 10", // 7
    ].join("\n");
    expect(problemsOf(text).map((p) => [p.line, p.key])).toEqual([
      [2, "log.level"],
      [4, "server.trust_proxy"],
      [5, "server.bogus"],
      [7, "runner.memory_mb"],
    ]);
  });

  test("a TOML syntax error gives its line and column and the offending text", () => {
    const problems = problemsOf('[server]\nlisten = "0.0.0.0:8080"\n\npublic_url = \n');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(4);
    const lines = problems[0]?.message.split("\n") ?? [];
    expect(lines[0]).toBe(
      'TOML syntax error at column 14: invalid value. Check quotes, brackets and "=" on this line.',
    );
    expect(lines.some((l) => l.includes("public_url ="))).toBe(true);
  });

  test("a duplicated key is a syntax error on the second line", () => {
    expect(problemsOf('[log]\nlevel = "info"\nlevel = "debug"\n')[0]?.line).toBe(3);
  });

  test("an unclosed table header is a syntax error on its line", () => {
    expect(problemsOf('[log]\nlevel = "info"\n[server\n')[0]?.line).toBe(3);
  });
});

describe("cross-key rules", () => {
  test('registration = "domains" without domains is reported at the line of registration', () => {
    expect(formatted('[auth]\nrequire_email_verification = true\nregistration = "domains"\n')).toEqual([
      'skriptoteket.toml:3: [auth] registration: "domains" needs at least one entry in allowed_domains. Add allowed_domains = ["skola.se"] to [auth] or choose another registration.',
    ]);
  });

  test("the rule is met with a domain from the file or the environment", () => {
    expect(resolve('[auth]\nregistration = "domains"\nallowed_domains = ["skola.se"]\n').config.auth.registration).toBe(
      "domains",
    );
    const { config } = resolve('[auth]\nregistration = "domains"\n', {
      SKRIPTOTEKET_AUTH_ALLOWED_DOMAINS: "skola.se",
    });
    expect(config.auth.allowed_domains).toEqual(["skola.se"]);
  });

  test("a rule is skipped when one of its keys is already wrong (one mistake, one message)", () => {
    const problems = problemsOf('[auth]\nregistration = "domains"\nallowed_domains = "skola.se"\n');
    expect(problems.map((p) => p.key)).toEqual(["auth.allowed_domains"]);
  });

  test('provider = "smtp" needs smtp_host; a rule broken by the environment names the variable', () => {
    expect(formatted('[email]\nprovider = "smtp"\n')).toEqual([
      'skriptoteket.toml:2: [email] provider: "smtp" needs smtp_host. Add smtp_host = "smtp.skola.se" to [email] or use provider = "log".',
    ]);
    expect(formatted(null, { SKRIPTOTEKET_EMAIL_PROVIDER: "smtp" })).toEqual([
      'environment: SKRIPTOTEKET_EMAIL_PROVIDER: "smtp" needs smtp_host. Add smtp_host = "smtp.skola.se" to [email] or use provider = "log".',
    ]);
  });

  test("AI enabled needs a chat model", () => {
    expect(problemsOf("[ai]\nenabled = true\n")[0]).toMatchObject({ line: 2, key: "ai.enabled" });
    expect(resolve('[ai]\nenabled = true\nchat_model = "qwen2.5:7b"\n').config.ai.enabled).toBe(true);
  });
});

describe("environment overrides", () => {
  test("each type is parsed from its string and wins over the file", () => {
    const text = '[server]\nlisten = "127.0.0.1:1"\n[log]\nlevel = "warn"\n';
    const { config, sources } = resolve(text, {
      SKRIPTOTEKET_SERVER_LISTEN: "0.0.0.0:9999", // string
      SKRIPTOTEKET_SERVER_TRUST_PROXY: "yes", // bool
      SKRIPTOTEKET_SERVER_COOKIE_SECURE: "1",
      SKRIPTOTEKET_AUTH_REQUIRE_EMAIL_VERIFICATION: "False",
      SKRIPTOTEKET_RUNNER_CONCURRENCY: " 4 ", // int
      SKRIPTOTEKET_LOG_LEVEL: "debug", // enum
      SKRIPTOTEKET_AUTH_ALLOWED_DOMAINS: "skola.se, Kommun.se,,", // list
      SKRIPTOTEKET_DATABASE_URL: "postgres://app:pw@db:5432/skript",
      SKRIPTOTEKET_RUNNER_DOCKER_HOST: "",
      UNRELATED: "ignored",
    });
    expect(config.server.listen).toBe("0.0.0.0:9999");
    expect(config.server.trust_proxy).toBe(true);
    expect(config.server.cookie_secure).toBe(true);
    expect(config.auth.require_email_verification).toBe(false);
    expect(config.runner.concurrency).toBe(4);
    expect(config.log.level).toBe("debug");
    expect(config.auth.allowed_domains).toEqual(["skola.se", "kommun.se"]);
    expect(config.database.url).toBe("postgres://app:pw@db:5432/skript");
    expect(sources["server.listen"]).toEqual({ kind: "env", name: "SKRIPTOTEKET_SERVER_LISTEN" });
  });

  test("an empty list variable gives an empty list", () => {
    const { config } = resolve('[auth]\nallowed_domains = ["skola.se"]\n', { SKRIPTOTEKET_AUTH_ALLOWED_DOMAINS: "" });
    expect(config.auth.allowed_domains).toEqual([]);
  });

  test("bad values are errors naming the variable, all of them", () => {
    expect(
      formatted(null, {
        SKRIPTOTEKET_SERVER_TRUST_PROXY: "maybe",
        SKRIPTOTEKET_RUNNER_CONCURRENCY: "two",
        SKRIPTOTEKET_RUNNER_CPUS: "0",
        SKRIPTOTEKET_LOG_FORMAT: "xml",
        SKRIPTOTEKET_AUTH_ALLOWED_DOMAINS: "skola.se,not a domain",
        SKRIPTOTEKET_SERVER_LISTEN: "8080",
      }),
    ).toEqual([
      'environment: SKRIPTOTEKET_AUTH_ALLOWED_DOMAINS: expected a domain name like "skola.se" (without "@"), got "not a domain" (item 2). Fix the variable or unset it.',
      'environment: SKRIPTOTEKET_LOG_FORMAT: expected one of "json" or "pretty", got "xml". Fix the variable or unset it.',
      'environment: SKRIPTOTEKET_RUNNER_CONCURRENCY: expected a whole number from 1 to 256, got "two". Fix the variable or unset it.',
      'environment: SKRIPTOTEKET_RUNNER_CPUS: expected a whole number from 1 to 256, got "0". Fix the variable or unset it.',
      'environment: SKRIPTOTEKET_SERVER_LISTEN: expected "host:port" with a port from 0 to 65535, like "0.0.0.0:8080", got "8080". Fix the variable or unset it.',
      'environment: SKRIPTOTEKET_SERVER_TRUST_PROXY: expected true, false, 1, 0, yes or no, got "maybe". Fix the variable or unset it.',
    ]);
  });

  test("a bad secret in the environment is not echoed", () => {
    const [line] = formatted(null, { SKRIPTOTEKET_SERVER_SECRET: "short-secret" });
    expect(line).toBe(
      'environment: SKRIPTOTEKET_SERVER_SECRET: expected "" (generated) or at least 32 characters, got a hidden value. Fix the variable or unset it.',
    );
  });

  test("a misspelt variable under a section prefix is an error with a suggestion; other names are ignored", () => {
    expect(formatted(null, { SKRIPTOTEKET_AUTH_REGISTRATON: "open", SKRIPTOTEKET_CONFIG: "/x", SKRIPTOTEKET_TEST: "1" })).toEqual([
      "environment: SKRIPTOTEKET_AUTH_REGISTRATON: no such setting. Did you mean SKRIPTOTEKET_AUTH_REGISTRATION? Fix the variable or unset it.",
    ]);
  });

  test("file problems come first, then the environment's", () => {
    const problems = problemsOf("[log]\nlevel = 1\n", { SKRIPTOTEKET_LOG_FORMAT: "xml" });
    expect(problems.map((p) => p.file)).toEqual([FILE, "environment"]);
  });
});

// Compile-time checks (bun check): the Config type is derived from the spec with precise value types.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const derivedTypes: [
  Equal<Config["server"]["listen"], string>,
  Equal<Config["server"]["cookie_secure"], boolean>,
  Equal<Config["server"]["session_idle_minutes"], number>,
  Equal<Config["auth"]["registration"], "closed" | "open" | "domains">,
  Equal<Config["auth"]["allowed_domains"], string[]>,
  Equal<Config["log"]["level"], "debug" | "info" | "warn" | "error">,
  Equal<keyof Config, "server" | "storage" | "database" | "auth" | "email" | "runner" | "ai" | "documents" | "retention" | "log" | "documents" | "sso" | "oidc_1" | "oidc_2" | "oidc_3">,
] = [true, true, true, true, true, true, true];

test("the derived Config type has the spec's keys (checked by bun check)", () => {
  expect(derivedTypes.every(Boolean)).toBe(true);
});
