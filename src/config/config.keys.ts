// The configuration spec: every section and key of skriptoteket.toml with its type, default,
// documentation and checks. Everything else — the Config type, defaults, validation, environment
// overrides, masking, `config print` and skriptoteket.example.toml — is derived from this one table,
// so adding a key here is the whole job (the example-file test fails until the example is regenerated).
import {
  checkDockerHost,
  checkDomain,
  checkEmailSender,
  checkHostName,
  checkHttpUrl,
  checkImageName,
  checkListenAddress,
  checkPostgresUrl,
  checkSecret,
  checkNonEmpty,
  withoutTrailingSlash,
} from "./config.checks";

/** Where the file is looked for, after `--config FILE` and $SKRIPTOTEKET_CONFIG (see config.load.ts). */
export const CONFIG_ENV_VAR = "SKRIPTOTEKET_CONFIG";
export const LOCAL_CONFIG_NAME = "skriptoteket.toml";
export const SYSTEM_CONFIG_PATH = "/etc/skriptoteket/skriptoteket.toml";

/** A string check returns null when the value is fine, else what was expected ("a URL like …"). */
export type StringCheck = (value: string) => string | null;

export type StringKey = {
  type: "string";
  default: string;
  doc: string;
  /** An example value shown in type errors: `expected a string like "0.0.0.0:8080"`. */
  like?: string;
  check?: StringCheck;
  /** Applied after a successful check, e.g. dropping a trailing slash from a URL. */
  normalize?: (value: string) => string;
  /** true: print as "********"; "url-password": mask only the password inside a URL. */
  secret?: true | "url-password";
};
export type BoolKey = { type: "bool"; default: boolean; doc: string };
export type IntKey = { type: "int"; default: number; doc: string; min: number; max: number };
export type EnumKey<V extends string> = { type: "enum"; values: readonly V[]; default: V; doc: string };
export type ListKey = {
  type: "string[]";
  default: readonly string[];
  doc: string;
  like?: string;
  checkItem?: StringCheck;
  normalizeItem?: (value: string) => string;
};
export type KeySpec = StringKey | BoolKey | IntKey | EnumKey<string> | ListKey;
export type SectionSpec = { doc: string; keys: Record<string, KeySpec> };

// Small constructors keep each entry on a few lines and let TypeScript infer the enum literals.
const str = (o: Omit<StringKey, "type">): StringKey => ({ type: "string", ...o });
const bool = (o: Omit<BoolKey, "type">): BoolKey => ({ type: "bool", ...o });
const int = (o: Omit<IntKey, "type">): IntKey => ({ type: "int", ...o });
const list = (o: Omit<ListKey, "type">): ListKey => ({ type: "string[]", ...o });
function oneOf<const V extends string>(values: readonly V[], o: { default: NoInfer<V>; doc: string }): EnumKey<V> {
  return { type: "enum", values, ...o };
}

/** The OpenID Connect provider sections; the number is the provider's id in its URLs. */
export const OIDC_PROVIDER_SECTIONS = ["oidc_1", "oidc_2", "oidc_3"] as const;

function checkOptionalHttpUrl(value: string): string | null {
  return value === "" ? null : checkHttpUrl(value);
}

/** One OpenID Connect provider (Entra ID, Keycloak, Google Workspace, …); unused while issuer is "". */
function oidcProviderSection(n: number) {
  return {
    doc: `OpenID Connect provider ${n} (login button "label"). Register ${"<public_url>"}/api/v1/auth/oidc/${n}/callback as its redirect URI.`,
    keys: {
      issuer: str({
        default: "",
        like: "https://login.microsoftonline.com/<tenant-id>/v2.0",
        check: checkOptionalHttpUrl,
        normalize: withoutTrailingSlash,
        doc: '"" = not used. The issuer URL; its /.well-known/openid-configuration is read at the first login.\nEntra ID: https://login.microsoftonline.com/<tenant-id>/v2.0, Google: https://accounts.google.com,\nKeycloak: https://keycloak.skola.se/realms/<realm>.',
      }),
      client_id: str({ default: "", doc: "The client (application) id registered at the provider." }),
      client_secret: str({ default: "", secret: true, doc: "The client secret registered at the provider." }),
      label: str({ default: "", like: "Skolans konto", doc: 'Text of the login button, e.g. "Skolans konto"; "" = "Log in with" + the issuer\'s host name.' }),
      scopes: list({
        default: ["openid", "email", "profile"],
        like: '["openid", "email", "profile"]',
        doc: "Scopes asked for; must include openid and give an e-mail claim.",
      }),
      groups_claim: str({
        default: "",
        like: "groups",
        doc: 'The ID token claim listing the user\'s groups (e.g. "groups", "roles"); "" = roles are managed here only.',
      }),
      contributor_groups: list({ default: [], like: '["skt-contributors"]', doc: "Members of any of these provider groups become contributors at login (needs groups_claim)." }),
      admin_groups: list({ default: [], like: '["skt-admins"]', doc: "Members of any of these provider groups become admins at login (needs groups_claim).\nSuperusers are never changed by a login." }),
    },
  };
}

export const configSpec = {
  server: {
    doc: "HTTP server, public address and browser sessions.",
    keys: {
      listen: str({
        default: "0.0.0.0:8080",
        like: "0.0.0.0:8080",
        check: checkListenAddress,
        doc: 'Address and port the HTTP server listens on, as "host:port".\nUse "127.0.0.1:8080" when a reverse proxy on the same machine is in front.',
      }),
      public_url: str({
        default: "http://localhost:8080",
        like: "https://skriptoteket.skola.se",
        check: checkHttpUrl,
        normalize: withoutTrailingSlash,
        doc: "The address users open in their browser (http:// or https://, no trailing slash).\nUsed for links in e-mails and for the CLI login.",
      }),
      cookie_secure: bool({
        default: false,
        doc: "Send the session cookie over HTTPS only. Set to true whenever users reach the site via https://.",
      }),
      trust_proxy: bool({
        default: false,
        doc: "Take the client IP address from X-Forwarded-For. Enable only behind a reverse proxy you control,\notherwise clients can fake their address (and escape rate limits).",
      }),
      default_locale: oneOf(["sv", "en"], {
        default: "sv",
        doc: 'Language for users who have not chosen one: "sv" (Swedish) or "en" (English).',
      }),
      session_idle_minutes: int({
        default: 120,
        min: 1,
        max: 43_200,
        doc: "A login session ends after this many minutes without activity.",
      }),
      session_absolute_hours: int({
        default: 24 * 7,
        min: 1,
        max: 8_760,
        doc: "A login session ends this many hours after login, active or not (168 = one week).",
      }),
      secret: str({
        default: "",
        secret: true,
        check: checkSecret,
        doc: 'Key for hashing tokens and signing short-lived JWTs, at least 32 characters.\n"" = generated at first start and stored in data_dir (keep that file with the backups).',
      }),
    },
  },
  storage: {
    doc: "Where data lives on disk and how large uploads may be.",
    keys: {
      data_dir: str({
        default: "./data",
        like: "/var/lib/skriptoteket",
        check: checkNonEmpty,
        doc: "Folder for the SQLite database, uploaded and generated files and the generated secret.\nA relative path starts at the working directory of the process.",
      }),
      max_upload_mb: int({
        default: 50,
        min: 1,
        max: 10_240,
        doc: "Largest upload in one request, in megabytes (all files together).",
      }),
      max_upload_files: int({
        default: 20,
        min: 1,
        max: 1_000,
        doc: "Largest number of files in one upload.",
      }),
    },
  },
  database: {
    doc: "The store: an embedded SQLite file by default, PostgreSQL when several servers share it.",
    keys: {
      url: str({
        default: "",
        like: "postgres://skriptoteket:password@localhost:5432/skriptoteket",
        check: checkPostgresUrl,
        secret: "url-password",
        doc: '"" = SQLite file skriptoteket.db in data_dir.\n"postgres://user:password@host:5432/dbname" (or postgresql://) = PostgreSQL.',
      }),
    },
  },
  auth: {
    doc: "Who may register and how logins are protected.",
    keys: {
      registration: oneOf(["closed", "open", "domains"], {
        default: "closed",
        doc: 'Who may create an account: "closed" (only admins create users), "open" (anyone),\n"domains" (people with an e-mail address in allowed_domains).',
      }),
      allowed_domains: list({
        default: [],
        like: '["skola.se", "kommun.se"]',
        checkItem: checkDomain,
        normalizeItem: (domain) => domain.toLowerCase(),
        doc: 'E-mail domains that may register when registration = "domains", e.g. ["skola.se"].',
      }),
      require_email_verification: bool({
        default: true,
        doc: "New accounts must confirm their e-mail address before they can log in.",
      }),
      lockout_attempts: int({
        default: 5,
        min: 1,
        max: 1_000,
        doc: "Failed logins in a row that lock an account.",
      }),
      lockout_minutes: int({
        default: 15,
        min: 1,
        max: 10_080,
        doc: "How long a locked account stays locked, in minutes.",
      }),
      rate_limit_per_minute: int({
        default: 20,
        min: 1,
        max: 100_000,
        doc: "Requests per minute one IP address may send to the login, registration and password endpoints.",
      }),
      password_min_length: int({
        default: 10,
        min: 8,
        max: 256,
        doc: "Shortest password accepted, in characters.",
      }),
    },
  },
  sso: {
    doc: "Single sign-on with OpenID Connect: settings shared by the providers in [oidc_1], [oidc_2] and [oidc_3].",
    keys: {
      local_login: oneOf(["everyone", "admins"], {
        default: "everyone",
        doc: '"everyone" may also log in with e-mail and password; "admins" = only admins and superusers may\n(everyone else uses single sign-on; keep a local admin so a provider outage cannot lock you out).',
      }),
      allowed_domains: list({
        default: [],
        like: '["skola.se", "kommun.se"]',
        checkItem: checkDomain,
        normalizeItem: (domain) => domain.toLowerCase(),
        doc: 'E-mail domains that may log in through single sign-on, e.g. ["skola.se"]; [] = any domain the provider vouches for.',
      }),
      create_accounts: bool({
        default: true,
        doc: "Create an account at the first single sign-on login (role user).\nfalse = only people who already have an account with the same e-mail address may log in.",
      }),
    },
  },
  oidc_1: oidcProviderSection(1),
  oidc_2: oidcProviderSection(2),
  oidc_3: oidcProviderSection(3),
  email: {
    doc: "Outgoing e-mail (address verification, password reset).",
    keys: {
      provider: oneOf(["log", "smtp"], {
        default: "log",
        doc: '"log" writes e-mails to the log instead of sending them (for trying out);\n"smtp" sends them through smtp_host.',
      }),
      from: str({
        default: "Skriptoteket <no-reply@localhost>",
        like: "Skriptoteket <no-reply@skola.se>",
        check: checkEmailSender,
        doc: 'Sender of outgoing e-mails, as "Name <address>" or "address".',
      }),
      smtp_host: str({
        default: "",
        like: "smtp.skola.se",
        check: checkHostName,
        doc: 'SMTP server host name. Required when provider = "smtp".',
      }),
      smtp_port: int({
        default: 587,
        min: 1,
        max: 65_535,
        doc: "SMTP server port: usually 587 with starttls, 465 with tls, 25 with none.",
      }),
      smtp_security: oneOf(["starttls", "tls", "none"], {
        default: "starttls",
        doc: '"starttls" (encryption after connecting), "tls" (encrypted from the start)\nor "none" (only on a network you trust).',
      }),
      smtp_user: str({ default: "", doc: 'SMTP user name; "" = no login.' }),
      smtp_password: str({ default: "", secret: true, doc: "SMTP password." }),
    },
  },
  runner: {
    doc: "The Docker sandbox that runs the tools' scripts.",
    keys: {
      image: str({
        default: "skriptoteket-runner:latest",
        like: "skriptoteket-runner:latest",
        check: checkImageName,
        doc: "Docker image that runs the scripts (install.sh builds it).",
      }),
      docker_host: str({
        default: "",
        like: "unix:///var/run/docker.sock",
        check: checkDockerHost,
        doc: 'Docker daemon address, e.g. "unix:///var/run/docker.sock" or "tcp://10.0.0.5:2376";\n"" = the local Docker socket.',
      }),
      concurrency: int({
        default: 2,
        min: 1,
        max: 256,
        doc: "Runs this server executes at the same time; about the number of CPU cores.",
      }),
      warm_pool: bool({
        default: true,
        doc: "Keep `concurrency` sandbox containers started ahead, so a run skips container start-up\n(a short tool finishes ≈2× sooner; each waiting container holds ≈20 MB). Each container still\nruns only one script. Used only with a local Docker daemon.",
      }),
      sandbox_timeout_seconds: int({
        default: 60,
        min: 1,
        max: 86_400,
        doc: "Time limit for a test run in the editor's sandbox, in seconds.",
      }),
      production_timeout_seconds: int({
        default: 120,
        min: 1,
        max: 86_400,
        doc: "Time limit for a run of a published tool, in seconds.",
      }),
      memory_mb: int({
        default: 1024,
        min: 64,
        max: 1_048_576,
        doc: "Memory limit of one run, in megabytes.",
      }),
      cpus: int({ default: 1, min: 1, max: 256, doc: "CPU cores one run may use." }),
      pids_limit: int({
        default: 256,
        min: 16,
        max: 1_000_000,
        doc: "Largest number of processes in one run (stops fork bombs).",
      }),
    },
  },
  ai: {
    doc: "Optional local language model through Ollama; no text leaves your servers.",
    keys: {
      enabled: bool({ default: false, doc: "Turn on the AI features. Needs a running Ollama and chat_model." }),
      ollama_url: str({
        default: "http://127.0.0.1:11434",
        like: "http://127.0.0.1:11434",
        check: checkHttpUrl,
        normalize: withoutTrailingSlash,
        doc: "Address of the Ollama server.",
      }),
      chat_model: str({
        default: "",
        doc: 'Ollama model for chat and text tasks, e.g. "qwen2.5:7b". Required when enabled = true.',
      }),
      embed_model: str({
        default: "",
        doc: 'Ollama model for embeddings (semantic search), e.g. "nomic-embed-text"; "" = not used.',
      }),
      num_ctx: int({
        default: 8192,
        min: 512,
        max: 1_048_576,
        doc: "Context window passed to the model, in tokens.",
      }),
      timeout_seconds: int({
        default: 120,
        min: 1,
        max: 3_600,
        doc: "Longest wait for one answer from Ollama, in seconds.",
      }),
      concurrency: int({ default: 1, min: 1, max: 64, doc: "Requests sent to Ollama at the same time." }),
      max_retries: int({
        default: 2,
        min: 0,
        max: 10,
        doc: "How many times a structured answer (JSON) that is invalid or does not match its schema is asked for again.",
      }),
      output_tokens: int({
        default: 1024,
        min: 64,
        max: 131_072,
        doc: "Tokens of num_ctx kept free for the model's answer; longer prompts are shortened or refused.",
      }),
      embed_sync_seconds: int({
        default: 60,
        min: 10,
        max: 86_400,
        doc: "How often serve checks that every published tool's embedding (semantic search) is up to date, in seconds.",
      }),
    },
  },
  documents: {
    doc: "Uploaded PDFs: limits, and what the AI looks for (document types and fields) when [ai] is enabled.",
    keys: {
      max_upload_mb: int({ default: 25, min: 1, max: 1_024, doc: "Largest PDF upload in one request, in megabytes (all files together)." }),
      max_files: int({ default: 20, min: 1, max: 500, doc: "Largest number of PDFs in one upload." }),
      max_pages: int({ default: 1_000, min: 1, max: 100_000, doc: "Pages read from one PDF; text after that page is not extracted." }),
      types: list({
        default: ["brev", "protokoll", "beslut", "avtal", "faktura", "rapport", "elevarbete", "blankett", "övrigt"],
        like: '["brev", "protokoll"]',
        checkItem: checkNonEmpty,
        doc: "Document types the AI chooses from.",
      }),
      fields: list({
        default: ["datum", "avsändare", "mottagare", "diarienummer"],
        like: '["datum", "avsändare"]',
        checkItem: checkNonEmpty,
        doc: "Fields the AI fills in for every document (empty when not found).",
      }),
    },
  },
  retention: {
    doc: "How long data is kept before it is deleted, by `serve` once a day or `skriptoteket retention prune` (see src/ops/PRIVACY.md).",
    keys: {
      enabled: bool({
        default: true,
        doc: "Prune automatically: `serve` removes expired data a few minutes after start, then every 24 hours.\nfalse = only `skriptoteket retention prune` removes it.",
      }),
      runs_days: int({
        default: 90,
        min: 1,
        max: 36_500,
        doc: "Days a finished tool run is kept, counted from when it finished: its input files, output files,\nlogs and results go with it. Queued and running runs are never removed. Delivered or failed\nwebhook deliveries are removed after the same number of days.",
      }),
      sandbox_runs_days: int({
        default: 30,
        min: 1,
        max: 36_500,
        doc: "Days a finished test run from the editor's sandbox is kept (with its files). The editor's stored\ntest buffers (sandbox snapshots) go after the same number of days once no run uses them.",
      }),
      login_events_days: int({
        default: 180,
        min: 1,
        max: 36_500,
        doc: "Days login attempts are kept. Ended login sessions, used or expired e-mail links, expired or\nrevoked API keys and ended device sign-ins are removed after the same number of days.",
      }),
      audit_events_days: int({ default: 730, min: 1, max: 36_500, doc: "Days audit log events are kept." }),
      documents_days: int({ default: 365, min: 1, max: 36_500, doc: "Days an uploaded document is kept, counted from the upload: its text, category links and\noriginal file go with it. Documents still being processed wait for the next prune." }),
    },
  },
  log: {
    doc: "Logging to standard output.",
    keys: {
      level: oneOf(["debug", "info", "warn", "error"], {
        default: "info",
        doc: "Least severe level that is logged.",
      }),
      format: oneOf(["json", "pretty"], {
        default: "json",
        doc: '"json" (one object per line, for log collectors) or "pretty" (for people at a terminal).',
      }),
    },
  },
} satisfies Record<string, SectionSpec>;

type Spec = typeof configSpec;
type ValueOf<K> = K extends EnumKey<infer V>
  ? V
  : K extends StringKey
    ? string
    : K extends BoolKey
      ? boolean
      : K extends IntKey
        ? number
        : K extends ListKey
          ? string[]
          : never;

/** The validated configuration; its shape and value types come from `configSpec`. */
export type Config = { [S in keyof Spec]: { [K in keyof Spec[S]["keys"]]: ValueOf<Spec[S]["keys"][K]> } };
export type SectionName = keyof Config;

/**
 * Rules that involve more than one key. `key` is the key the message is reported at (its line);
 * a rule is skipped when one of its `keys` already has a problem, so one mistake gives one message.
 */
export type CrossKeyRule = { key: string; keys: string[]; check: (config: Config) => string | null };

export const crossKeyRules: CrossKeyRule[] = [
  ...OIDC_PROVIDER_SECTIONS.map((section): CrossKeyRule => {
    return {
      key: `${section}.issuer`,
      keys: [`${section}.issuer`, `${section}.client_id`, `${section}.scopes`],
      check: (c) => {
        const p = c[section];
        if (p.issuer === "") return null;
        if (p.client_id === "") return `a provider needs client_id. Add client_id = "…" to [${section}] or set issuer = "".`;
        return p.scopes.includes("openid") ? null : `scopes must include "openid". Add it to scopes in [${section}].`;
      },
    };
  }),
  {
    key: "auth.registration",
    keys: ["auth.registration", "auth.allowed_domains"],
    check: (c) =>
      c.auth.registration === "domains" && c.auth.allowed_domains.length === 0
        ? '"domains" needs at least one entry in allowed_domains. Add allowed_domains = ["skola.se"] to [auth] or choose another registration.'
        : null,
  },
  {
    key: "email.provider",
    keys: ["email.provider", "email.smtp_host"],
    check: (c) =>
      c.email.provider === "smtp" && c.email.smtp_host === ""
        ? '"smtp" needs smtp_host. Add smtp_host = "smtp.skola.se" to [email] or use provider = "log".'
        : null,
  },
  {
    key: "ai.enabled",
    keys: ["ai.enabled", "ai.chat_model"],
    check: (c) =>
      c.ai.enabled && c.ai.chat_model === ""
        ? 'true needs chat_model. Add chat_model = "qwen2.5:7b" (a model pulled into Ollama) to [ai] or set enabled = false.'
        : null,
  },
];

export type SpecEntry = { section: string; key: string; path: string; spec: KeySpec };

/** Every key in spec order, with its dotted path ("server.listen"). */
export function specEntries(): SpecEntry[] {
  const sections: Record<string, SectionSpec> = configSpec;
  return Object.entries(sections).flatMap(([section, s]) =>
    Object.entries(s.keys).map(([key, spec]) => ({ section, key, path: `${section}.${key}`, spec })),
  );
}

/** The environment variable that overrides a key: SKRIPTOTEKET_SERVER_LISTEN. */
export function envVarName(section: string, key: string): string {
  return `SKRIPTOTEKET_${section}_${key}`.toUpperCase();
}

/** A fresh copy of the defaults (lists are copied so callers may change them). */
export function defaultConfig(): Config {
  const out: Record<string, Record<string, unknown>> = {};
  for (const { section, key, spec } of specEntries()) {
    const value = spec.type === "string[]" ? [...spec.default] : spec.default;
    (out[section] ??= {})[key] = value;
  }
  // Built from configSpec itself, so it has exactly the shape Config is derived from.
  return out as Config;
}
