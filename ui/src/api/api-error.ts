/** Error codes the server documents for the foundation API, plus two the client itself produces. */
export const KNOWN_ERROR_CODES = [
  "auth.required",
  "auth.invalid_credentials",
  "auth.session_expired",
  "auth.forbidden",
  "csrf.invalid",
  "auth.email_not_verified",
  "auth.account_inactive",
  "auth.registration_closed",
  "auth.domain_not_allowed",
  "auth.email_taken",
  "auth.token_invalid",
  "auth.weak_password",
  "auth.locked",
  "users.self_change",
  "not_found",
  "conflict",
  "validation.failed",
  "rate_limited",
  // Client side: the request never got an answer / the answer was not the documented error shape.
  "network",
  "unknown",
] as const;

export type KnownErrorCode = (typeof KNOWN_ERROR_CODES)[number];

/** A field problem from a 422 answer: `path` is a JSON pointer such as "/email". */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * A failed API call. `code` is the server's machine-readable code (see KNOWN_ERROR_CODES; other codes
 * can appear as features grow), `message` the server's text in the requested language.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: KnownErrorCode | (string & {}),
    message: string,
    readonly details: unknown = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }

  /** Builds the error from a response body, whatever the server sent. */
  static fromBody(status: number, body: unknown): ApiError {
    if (isErrorBody(body)) {
      const { code, message, details } = body.error;
      return new ApiError(status, code, message, details ?? null, body.request_id ?? null);
    }
    return new ApiError(status, "unknown", `HTTP ${status}`);
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(0, "network", cause instanceof Error ? cause.message : String(cause));
    error.cause = cause;
    return error;
  }

  /**
   * The 422 field problems keyed by field name (the JSON pointer without its slash), first message per
   * field. Nested pointers ("/a/b") keep their inner slashes.
   */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!Array.isArray(this.details)) return out;
    for (const issue of this.details) {
      if (!isFieldIssue(issue)) continue;
      const field = issue.path.replace(/^\//, "");
      if (field && !(field in out)) out[field] = issue.message;
    }
    return out;
  }
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  request_id?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (!isRecord(body) || !isRecord(body.error)) return false;
  return typeof body.error.code === "string" && typeof body.error.message === "string";
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return isRecord(value) && typeof value.path === "string" && typeof value.message === "string";
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
