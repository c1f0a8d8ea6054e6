// Value checks used by the config spec. Each returns null when the value is fine, or a phrase saying
// what was expected; the resolver turns it into "expected <phrase>, got <value>". Pure functions.

export function checkNonEmpty(value: string): string | null {
  return value.trim() === "" ? "a non-empty string" : null;
}

/**
 * "host:port" where host is a name, an IPv4 address or a bracketed IPv6 address; an empty host (":8080")
 * means all interfaces, as in src/cli/listen-address.ts. Port 0 = any free port (tests).
 */
export function checkListenAddress(value: string): string | null {
  const expected = '"host:port" with a port from 0 to 65535';
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):(\d{1,5})$/.exec(value);
  if (!match) return expected;
  return Number(match[2]) <= 65_535 ? null : expected;
}

/** An absolute http(s) URL without credentials, query or fragment (a base for building links). */
export function checkHttpUrl(value: string): string | null {
  const expected = "an http:// or https:// URL without user, query or #fragment";
  const url = URL.parse(value);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return expected;
  if (url.username || url.password || url.search || url.hash) return expected;
  return null;
}

export function withoutTrailingSlash(value: string): string {
  return value.replace(/\/+$/, "");
}

/** "" selects SQLite; anything else must be a PostgreSQL URL the driver understands. */
export function checkPostgresUrl(value: string): string | null {
  if (value === "") return null;
  const expected = '"" for SQLite, or a URL starting with postgres:// or postgresql://';
  if (!/^postgres(ql)?:\/\//.test(value)) return expected;
  const url = URL.parse(value);
  return url && url.hostname !== "" ? null : expected;
}

/** "" means "generate one"; a set secret must be long enough to key HMACs and sign JWTs. */
export function checkSecret(value: string): string | null {
  return value === "" || value.length >= 32 ? null : '"" (generated) or at least 32 characters';
}

/** "Name <address>" or a bare "address"; a full RFC 5322 parser would accept far more than we want. */
export function checkEmailSender(value: string): string | null {
  const address = "[^<>\\s@]+@[^<>\\s@]+";
  const ok = new RegExp(`^(?:[^<>]*<${address}>|${address})$`).test(value.trim());
  return ok ? null : '"Name <address>" or "address"';
}

/** A bare host name (or ""): people often paste "smtp://host:587", which the mailer would not understand. */
export function checkHostName(value: string): string | null {
  if (value === "") return null;
  return /^[\p{L}\p{N}.-]+$/u.test(value) || /^\[[0-9A-Fa-f:.]+\]$/.test(value)
    ? null
    : "a host name without scheme or port";
}

export function checkImageName(value: string): string | null {
  return /^[^\s]+$/.test(value) ? null : "a Docker image name without spaces";
}

export function checkDockerHost(value: string): string | null {
  if (value === "") return null;
  return /^(unix|tcp|ssh|npipe|http|https):\/\/\S+$/.test(value)
    ? null
    : '"" or an address starting with unix://, tcp://, ssh://, npipe://, http:// or https://';
}

/** A domain name as written after "@" in an e-mail address; Swedish IDN letters are allowed. */
export function checkDomain(value: string): string | null {
  const label = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
  return new RegExp(`^${label}(?:\\.${label})+$`, "u").test(value) && value.length <= 253
    ? null
    : 'a domain name like "skola.se" (without "@")';
}
