// Writes configs back as TOML: the effective config for `config print`, and the documented example file
// skriptoteket.example.toml, both in spec order so they read like each other.
import {
  CONFIG_ENV_VAR,
  LOCAL_CONFIG_NAME,
  SYSTEM_CONFIG_PATH,
  configSpec,
  envVarName,
  type Config,
  type KeySpec,
  type SectionSpec,
} from "./config.keys";
import type { ValueSource } from "./config.resolve";

const sections: Record<string, SectionSpec> = configSpec;

/** A TOML basic string. JSON's escapes are valid TOML except that TOML also forbids a raw DEL. */
export function tomlString(text: string): string {
  return JSON.stringify(text.toWellFormed()).replaceAll("\u007f", "\\u007F");
}

export function tomlValue(value: unknown): string {
  if (typeof value === "string") return tomlString(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(", ")}]`;
  return String(value);
}

/**
 * The config as TOML, one [section] per spec section. It does not mask: pass `maskSecrets(config)` when
 * the text is shown to anyone. With `sources`, keys set by an environment variable say so at the end.
 */
export function renderConfigToml(config: Config, sources?: Record<string, ValueSource>): string {
  const values = config as Record<string, Record<string, unknown>>;
  const out: string[] = [];
  for (const [section, spec] of Object.entries(sections)) {
    if (out.length > 0) out.push("");
    out.push(`[${section}]`);
    for (const key of Object.keys(spec.keys)) {
      const source = sources?.[`${section}.${key}`];
      const note = source?.kind === "env" ? `  # from ${source.name}` : "";
      out.push(`${key} = ${tomlValue(values[section]?.[key])}${note}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** skriptoteket.example.toml: every key documented and set to its default. */
export function renderExampleToml(): string {
  const out = [
    "# Skriptoteket configuration: every key with its documentation and its default value.",
    "#",
    "# Copy the keys you want to change into your own file; keys you leave out keep their default.",
    `# The file is looked for in this order: --config FILE, $${CONFIG_ENV_VAR}, ./${LOCAL_CONFIG_NAME},`,
    `# ${SYSTEM_CONFIG_PATH}. Without a file the defaults are used.`,
    "# Every key can also be set with an environment variable SKRIPTOTEKET_<SECTION>_<KEY>, which wins over",
    "# the file, e.g. SKRIPTOTEKET_SERVER_LISTEN=127.0.0.1:8080 (lists comma-separated, booleans true/false).",
    "# Check a file with `skriptoteket config check`; see the effective values with `skriptoteket config print`.",
    "#",
    "# Generated from src/config/config.keys.ts by `bun scripts/gen-example-config.ts`; edit the spec, not this file.",
  ];
  for (const [section, spec] of Object.entries(sections)) {
    out.push("", "");
    out.push(`# ${spec.doc}`);
    out.push(`[${section}]`);
    for (const [key, keySpec] of Object.entries(spec.keys)) {
      out.push("");
      for (const docLine of keySpec.doc.split("\n")) out.push(`# ${docLine}`);
      out.push(`# ${exampleMeta(keySpec, envVarName(section, key))}`);
      out.push(`${key} = ${tomlValue(keySpec.default)}`);
    }
  }
  return `${out.join("\n")}\n`;
}

function exampleMeta(spec: KeySpec, envName: string): string {
  switch (spec.type) {
    case "enum":
      return `One of ${spec.values.map((v) => tomlString(v)).join(", ")}. Env: ${envName}`;
    case "int":
      return `Whole number, ${spec.min} to ${spec.max}. Env: ${envName}`;
    case "bool":
      return `true or false. Env: ${envName}`;
    case "string[]":
      return `List of strings. Env: ${envName} (comma-separated)`;
    case "string":
      return spec.secret
        ? `Secret, masked by \`config print\`; better set in the environment. Env: ${envName}`
        : `String. Env: ${envName}`;
  }
}
