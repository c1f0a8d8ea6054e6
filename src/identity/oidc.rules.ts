// Pure rules of single sign-on with OpenID Connect: which providers are configured, whose e-mail may
// log in, what role a provider's groups claim maps to, and where to return after login.
import { OIDC_PROVIDER_SECTIONS, type Config } from "../config/config.keys";
import type { Role } from "./roles.rules";

export type OidcProvider = {
  /** "1", "2" or "3": the number of its [oidc_N] section, used in its URLs. */
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  groupsClaim: string;
  contributorGroups: string[];
  adminGroups: string[];
};

export type OidcConfig = Pick<Config, "sso" | (typeof OIDC_PROVIDER_SECTIONS)[number]>;

/** The providers with an issuer, in section order. */
export function configuredProviders(config: OidcConfig): OidcProvider[] {
  return OIDC_PROVIDER_SECTIONS.flatMap((section) => {
    const p = config[section];
    if (p.issuer === "") return [];
    const id = section.slice("oidc_".length);
    return [
      {
        id,
        label: p.label || defaultLabel(p.issuer),
        issuer: p.issuer,
        clientId: p.client_id,
        clientSecret: p.client_secret,
        scopes: p.scopes,
        groupsClaim: p.groups_claim,
        contributorGroups: p.contributor_groups,
        adminGroups: p.admin_groups,
      },
    ];
  });
}

function defaultLabel(issuer: string): string {
  try {
    return new URL(issuer).hostname;
  } catch {
    return issuer;
  }
}

/** The e-mail address a provider vouches for: `email`, else an address-like `preferred_username` or `upn` (Entra ID). */
export function emailFromClaims(claims: Record<string, unknown>): string | null {
  for (const key of ["email", "preferred_username", "upn"]) {
    const value = claims[key];
    if (typeof value === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())) return value.trim().toLowerCase();
  }
  return null;
}

/** [] allows every domain; otherwise the address's domain must be listed (exactly, case-insensitively). */
export function emailDomainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return allowedDomains.includes(domain);
}

/** The claim's group names; a single string counts as one group, anything else as none. */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * The role the groups claim gives, or null to keep the local role: when no mapping is configured, and
 * always for superusers (a provider never changes a superuser; that is done here, by a superuser).
 */
export function mappedRole(current: Role, groups: readonly string[], provider: Pick<OidcProvider, "groupsClaim" | "contributorGroups" | "adminGroups">): Role | null {
  if (provider.groupsClaim === "" || current === "superuser") return null;
  if (provider.adminGroups.length === 0 && provider.contributorGroups.length === 0) return null;
  const wanted: Role = groups.some((g) => provider.adminGroups.includes(g))
    ? "admin"
    : groups.some((g) => provider.contributorGroups.includes(g))
      ? "contributor"
      : "user";
  return wanted === current ? null : wanted;
}

/** Only a local path may be returned to (no "//host", no scheme): an open redirect would help phishing. */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || /[\r\n]/.test(value)) return "/";
  if (value.startsWith("/api/") || value === "/login" || value.startsWith("/login?")) return "/";
  return value.slice(0, 2000);
}

/** Whether an account may log in with a password under [sso] local_login. */
export function passwordLoginAllowed(role: Role, localLogin: Config["sso"]["local_login"]): boolean {
  return localLogin === "everyone" || role === "admin" || role === "superuser";
}

export type OidcFlowState = { provider: string; state: string; nonce: string; verifier: string; returnTo: string; createdAt: number };

/** Ten minutes to log in at the provider. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;

export function encodeFlowState(s: OidcFlowState): string {
  return Buffer.from(JSON.stringify(s)).toString("base64url");
}

/** null for anything that is not a well-formed, unexpired state of this provider. */
export function decodeFlowState(value: string | null | undefined, provider: string, nowMs: number): OidcFlowState | null {
  if (!value || value.length > 4096) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const o = parsed as Record<string, unknown>;
  const strings = ["provider", "state", "nonce", "verifier", "returnTo"].every((k) => typeof o[k] === "string");
  if (!strings || typeof o.createdAt !== "number") return null;
  const s = o as OidcFlowState;
  if (s.provider !== provider || nowMs - s.createdAt > OIDC_FLOW_TTL_MS || s.createdAt > nowMs + 60_000) return null;
  return { ...s, returnTo: safeReturnPath(s.returnTo) };
}
