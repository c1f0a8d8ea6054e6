// Hides secrets before a config (or a bad value) is printed or logged. Which keys are secret comes from
// the spec. An empty secret stays "" so `config print` still shows "not set".
import { specEntries, type Config } from "./config.keys";

export const MASK = "********";

/** "postgres://app:pw@db/x" → "postgres://app:********@db/x"; URLs without a password are unchanged. */
export function maskUrlPassword(url: string): string {
  // Greedy up to the last "@" before the path, as URL parsers do, so a raw "@" in a password is covered.
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(url);
  if (!match) return url;
  const [whole, scheme = "", userinfo = ""] = match;
  const colon = userinfo.indexOf(":");
  if (colon < 0) return url;
  return `${scheme}${userinfo.slice(0, colon + 1)}${MASK}@${url.slice(whole.length)}`;
}

/** A copy of the config with every secret replaced by MASK (only the password part of URLs). */
export function maskSecrets(config: Config): Config {
  const copy = structuredClone(config);
  const sections = copy as Record<string, Record<string, unknown>>;
  for (const { section, key, spec } of specEntries()) {
    if (spec.type !== "string" || !spec.secret) continue;
    const target = sections[section];
    const value = target?.[key];
    if (!target || typeof value !== "string" || value === "") continue;
    target[key] = spec.secret === "url-password" ? maskUrlPassword(value) : MASK;
  }
  return copy;
}
