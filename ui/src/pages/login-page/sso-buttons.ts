import { html, nothing } from "lit";
import type { SsoMeta } from "../../api/access.api";
import { t } from "../../i18n/t";

const SSO_ERRORS = [
  "sso.provider_not_found",
  "sso.provider_unavailable",
  "sso.failed",
  "sso.email_missing",
  "sso.email_unverified",
  "sso.domain_not_allowed",
  "sso.no_account",
  "sso.account_inactive",
] as const;
type SsoError = (typeof SSO_ERRORS)[number];

/** The translated reason for `/login?sso_error=<code>` (the server's single sign-on callback sends it). */
export function ssoErrorText(code: string | null): string | null {
  if (!code) return null;
  return (SSO_ERRORS as readonly string[]).includes(code) ? t(`access.sso_error.${code as SsoError}`) : t("access.sso_error.sso.failed");
}

/**
 * One button per single sign-on provider (plain links: the server redirects on to the provider), and a
 * note when passwords are for administrators only. Nothing when no provider is configured.
 */
export function ssoButtons(sso: SsoMeta, returnTo: string) {
  if (!sso.providers.length) return nothing;
  return html`<div class="card" style="display: grid; gap: var(--wa-space-s)">
      ${sso.providers.map(
        (p) =>
          html`<wa-button variant="brand" href=${`${p.login_url}?return_to=${encodeURIComponent(returnTo)}`} data-sso-provider=${p.id}
            >${t("access.sso_login_with", { label: p.label })}</wa-button
          >`,
      )}
    </div>
    <p>${sso.local_login === "admins" ? t("access.sso_password_admins") : t("access.sso_or_password")}</p>`;
}
