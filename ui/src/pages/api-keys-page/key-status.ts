import { html } from "lit";
import type { ApiKey } from "../../api/access.api";
import { t } from "../../i18n/t";

/** A key's state as a badge with a word (never colour alone). */
export function keyStatusBadge(key: Pick<ApiKey, "status">) {
  const variant = key.status === "active" ? "success" : key.status === "expired" ? "warning" : "neutral";
  return html`<wa-tag size="small" variant=${variant}>${t(`access.key_status.${key.status}`)}</wa-tag>`;
}

/** "tools:read, runs:write" in the user's words. */
export function scopeList(scopes: readonly string[]): string {
  return scopes.map(scopeName).join(", ");
}

const SCOPE_IDS = ["tools:read", "tools:write", "runs:read", "runs:write", "documents:read", "documents:write", "admin"] as const;
type KnownScope = (typeof SCOPE_IDS)[number];

function isKnownScope(scope: string): scope is KnownScope {
  return (SCOPE_IDS as readonly string[]).includes(scope);
}

export function scopeName(scope: string): string {
  return isKnownScope(scope) ? t(`access.scope.${scope}`) : scope;
}

export function scopeHint(scope: string): string {
  return isKnownScope(scope) ? t(`access.scope_hint.${scope}`) : "";
}
