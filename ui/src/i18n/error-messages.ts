import { ApiError, type KnownErrorCode } from "../api/api-error";
import { formatDateTime } from "./format";
import { t } from "./t";

/**
 * The sv/en text for each server error code. Keyed by `error.code`; a code the UI does not know yet
 * falls back to the server's own (already translated) message.
 */
const ERROR_TEXTS: Record<KnownErrorCode, (details: unknown) => string> = {
  "auth.required": () => t("error.auth.required"),
  "auth.invalid_credentials": () => t("error.auth.invalid_credentials"),
  "auth.session_expired": () => t("error.auth.session_expired"),
  "auth.forbidden": () => t("error.auth.forbidden"),
  "csrf.invalid": () => t("error.csrf.invalid"),
  "auth.email_not_verified": () => t("error.auth.email_not_verified"),
  "auth.account_inactive": () => t("error.auth.account_inactive"),
  "auth.registration_closed": () => t("error.auth.registration_closed"),
  "auth.domain_not_allowed": () => t("error.auth.domain_not_allowed"),
  "auth.email_taken": () => t("error.auth.email_taken"),
  "auth.token_invalid": () => t("error.auth.token_invalid"),
  "auth.weak_password": () => t("error.auth.weak_password"),
  "auth.locked": (details) => {
    const until = detailString(details, "locked_until");
    return until ? t("error.auth.locked_until", { time: formatDateTime(until) }) : t("error.auth.locked");
  },
  "users.self_change": () => t("error.users.self_change"),
  not_found: () => t("error.not_found"),
  conflict: () => t("error.conflict"),
  "validation.failed": () => t("error.validation.failed"),
  rate_limited: (details) => {
    const seconds = detailNumber(details, "retry_after_seconds");
    return seconds === null ? t("error.rate_limited") : t("error.rate_limited_seconds", { seconds });
  },
  network: () => t("error.network"),
  unknown: () => t("error.unknown"),
};

function isKnownCode(code: string): code is KnownErrorCode {
  return Object.hasOwn(ERROR_TEXTS, code);
}

/** What to tell the user about a failed call, in the current UI language. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return t("error.unknown");
  if (isKnownCode(error.code)) return ERROR_TEXTS[error.code](error.details);
  return error.message || t("error.unknown");
}

function detailValue(details: unknown, key: string): unknown {
  return typeof details === "object" && details !== null ? (details as Record<string, unknown>)[key] : undefined;
}

function detailString(details: unknown, key: string): string | null {
  const value = detailValue(details, key);
  return typeof value === "string" && value ? value : null;
}

function detailNumber(details: unknown, key: string): number | null {
  const value = detailValue(details, key);
  return typeof value === "number" && Number.isFinite(value) ? Math.ceil(value) : null;
}
