import { ApiError } from "./api-error";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Added as URL query parameters; null, undefined and "" are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart/form-data (file uploads); the browser sets the content type with its boundary. */
  form?: FormData;
}

export interface ApiClientOptions {
  /** The UI language, sent as Accept-Language so server messages come back in it. */
  locale: () => string;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
  /**
   * Called when a request answers 401 auth.required / auth.session_expired: the session is gone
   * (expired, revoked elsewhere), so the app can send the user to the login page.
   */
  onSessionLost?: (error: ApiError) => void;
}

const CSRF_PATH = "/api/v1/auth/csrf";
const SESSION_LOST_CODES = new Set(["auth.required", "auth.session_expired"]);

/**
 * Same-origin JSON client for the Skriptoteket API.
 *
 * CSRF (api.md): every mutating request carries `X-CSRF-Token`. The token is kept in memory: fetched
 * from GET /api/v1/auth/csrf when missing, replaced by the one login returns, dropped at logout; a
 * 403 csrf.invalid refetches it and retries the request once.
 *
 * @example
 * const client = new ApiClient({ locale: () => "sv" });
 * const { user } = await client.request<{ user: User }>("GET", "/api/v1/auth/me");
 */
export class ApiClient {
  private csrfToken: string | null = null;
  private pendingCsrf: Promise<string> | null = null;
  private readonly options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.options = options;
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  hasCsrfToken(): boolean {
    return this.csrfToken !== null;
  }

  /** Fetches a fresh token (sets the anonymous CSRF cookie when there is no session). */
  refreshCsrfToken(): Promise<string> {
    // Concurrent callers share one request instead of racing for different cookie values.
    this.pendingCsrf ??= this.send<{ csrf_token: string }>("GET", CSRF_PATH, {}, null)
      .then(({ csrf_token }) => {
        this.csrfToken = csrf_token;
        return csrf_token;
      })
      .finally(() => {
        this.pendingCsrf = null;
      });
    return this.pendingCsrf;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    try {
      if (method === "GET") return await this.send<T>(method, path, options, null);
      const token = this.csrfToken ?? (await this.refreshCsrfToken());
      try {
        return await this.send<T>(method, path, options, token);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== "csrf.invalid") throw error;
        // The token went stale (new session, server restart with a new secret): one retry with a fresh one.
        return await this.send<T>(method, path, options, await this.refreshCsrfToken());
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && SESSION_LOST_CODES.has(error.code)) {
        this.options.onSessionLost?.(error);
      }
      throw error;
    }
  }

  private async send<T>(method: HttpMethod, path: string, options: RequestOptions, csrfToken: string | null): Promise<T> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "Accept-Language": this.options.locale(),
    };
    if (options.body !== undefined && options.form === undefined) headers["Content-Type"] = "application/json";
    if (csrfToken !== null) headers["X-CSRF-Token"] = csrfToken;

    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(withQuery(path, options.query), {
        method,
        headers,
        credentials: "same-origin",
        body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
    } catch (cause) {
      throw ApiError.network(cause);
    }

    const body = await readJson(response);
    if (!response.ok) throw ApiError.fromBody(response.status, body);
    return body as T;
  }
}

/** `path?query`, leaving out empty values so URLs stay clean. */
export function withQuery(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's HTML error page, say): ApiError.fromBody turns that into code "unknown".
    return text;
  }
}
