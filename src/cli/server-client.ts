// The CLI's HTTP client for a Skriptoteket server: JSON in and out, the bearer token when logged in,
// the CSRF cookie dance for the public device-login calls, and the server's own (translated) error
// message when something fails.
import { CliError } from "./cli-error";

export type ServerError = { status: number; code: string; message: string; details: unknown };
export type ServerAnswer<T> = { ok: true; status: number; body: T } | { ok: false; error: ServerError };

export type ServerClient = {
  server: string;
  json<T>(method: string, path: string, body?: unknown): Promise<ServerAnswer<T>>;
  multipart<T>(path: string, form: FormData): Promise<ServerAnswer<T>>;
  download(path: string): Promise<Response>;
};

/** `sv` when the shell speaks Swedish, else `en`: the server translates its error messages. */
export function cliLocale(env: Record<string, string | undefined>): "sv" | "en" {
  return (env.LC_ALL || env.LC_MESSAGES || env.LANG || "").toLowerCase().startsWith("sv") ? "sv" : "en";
}

async function answer<T>(res: Response): Promise<ServerAnswer<T>> {
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (res.ok) return { ok: true, status: res.status, body: parsed as T };
  const err = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  return { ok: false, error: { status: res.status, code: err?.code ?? `http_${res.status}`, message: err?.message ?? `The server answered ${res.status} ${res.statusText}.`, details: err?.details ?? null } };
}

export function createServerClient(server: string, opts: { token?: string; locale: "sv" | "en" }): ServerClient {
  let csrf: { cookie: string; token: string } | null = null;
  const base = (): Record<string, string> => ({ "accept-language": opts.locale, "user-agent": "skriptoteket-cli", ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) });

  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (e) {
      throw new CliError(`Cannot reach ${server}: ${e instanceof Error ? e.message : String(e)}`, 1);
    }
  }

  // Anonymous POSTs (device login) need the double-submit CSRF cookie like the browser's login form.
  async function csrfHeaders(): Promise<Record<string, string>> {
    if (opts.token) return {};
    if (!csrf) {
      const res = await send(`${server}/api/v1/auth/csrf`, { headers: base() });
      const body = (await res.json()) as { csrf_token?: string };
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(";")[0]!)
        .join("; ");
      if (!body.csrf_token) throw new CliError(`${server} did not hand out a CSRF token: is it a Skriptoteket server?`, 1);
      csrf = { cookie, token: body.csrf_token };
    }
    return { cookie: csrf.cookie, "x-csrf-token": csrf.token };
  }

  return {
    server,
    async json<T>(method: string, path: string, body?: unknown) {
      const headers: Record<string, string> = { ...base(), ...(method === "GET" ? {} : await csrfHeaders()) };
      if (body !== undefined) headers["content-type"] = "application/json";
      return answer<T>(await send(`${server}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
    async multipart<T>(path: string, form: FormData) {
      return answer<T>(await send(`${server}${path}`, { method: "POST", headers: { ...base(), ...(await csrfHeaders()) }, body: form }));
    },
    async download(path: string) {
      return send(`${server}${path}`, { headers: base() });
    },
  };
}

/** Turns a failed answer into the CLI error the user sees (exit 1; 2 for a missing or expired login). */
export function failure(error: ServerError, what: string): CliError {
  const hint = error.code === "auth.key_invalid" || error.code === "auth.required" ? ' Run "skriptoteket login" again.' : "";
  const details = Array.isArray(error.details)
    ? (error.details as { path?: string; message?: string }[]).map((d) => `\n  ${d.path ?? ""}: ${d.message ?? ""}`).join("")
    : "";
  return new CliError(`${what}: ${error.message} (${error.code})${details}${hint}`, hint ? 2 : 1);
}
