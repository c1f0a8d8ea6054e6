// A signed-in API client for a REAL server over HTTP (for tests that start `serve` processes and for
// scripts/bench/load.ts): keeps the cookies and the CSRF token the way the web UI does — GET
// /auth/csrf before login, then the token the login answers with on every mutating request.
//
//   const teacher = new ApiSession("http://127.0.0.1:8080");
//   await teacher.login("larare@skola.se", "…");
//   const res = await teacher.request("POST", `/api/v1/tools/${slug}/run`, { form: runForm });
//
// In-process app tests use src/identity/test-app.ts (Browser over app.handle) instead.

export type RequestBody = { json?: unknown; form?: FormData };

export class ApiSession {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;

  constructor(readonly base: string) {}

  /** Logs in; throws with the server's answer when it is not 200. */
  async login(email: string, password: string): Promise<void> {
    if (this.csrf === null) {
      const pre = await this.request("GET", "/api/v1/auth/csrf");
      const body = (await pre.json()) as { csrf_token?: unknown };
      if (pre.status !== 200 || typeof body.csrf_token !== "string") throw new Error(`GET /auth/csrf: ${pre.status}`);
      this.csrf = body.csrf_token;
    }
    const res = await this.request("POST", "/api/v1/auth/login", { json: { email, password } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`login as ${email} on ${this.base}: ${res.status} ${text}`);
    const body = JSON.parse(text) as { csrf_token?: unknown };
    if (typeof body.csrf_token !== "string") throw new Error(`login as ${email}: no csrf_token in the answer`);
    this.csrf = body.csrf_token;
  }

  /** The same signed-in session against another server (a load balancer without sticky sessions). */
  on(base: string): ApiSession {
    const other = new ApiSession(base);
    for (const [k, v] of this.cookies) other.cookies.set(k, v);
    other.csrf = this.csrf;
    return other;
  }

  /** One request with the session's cookies (and the CSRF header unless GET/HEAD); keeps Set-Cookie. */
  async request(method: string, path: string, body: RequestBody = {}, init: { signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (method !== "GET" && method !== "HEAD" && this.csrf) headers["x-csrf-token"] = this.csrf;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let payload: string | FormData | undefined;
    if (body.json !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body.json);
    } else if (body.form) payload = body.form;
    const res = await fetch(this.base + path, { method, headers, body: payload, redirect: "manual", ...(init.signal ? { signal: init.signal } : {}) });
    this.keepCookies(res);
    return res;
  }

  /** GET a JSON answer; throws unless 200. */
  async getJson<T>(path: string): Promise<T> {
    const res = await this.request("GET", path);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || attrs.some((a) => /^max-age=0$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The multipart body of POST /api/v1/tools/{slug}/run: form values as JSON text plus the uploads. */
export function runForm(inputs: Record<string, unknown>, files: { name: string; content: string | Uint8Array }[] = []): FormData {
  const form = new FormData();
  form.append("inputs", JSON.stringify(inputs));
  for (const f of files) form.append("files", new File([f.content], f.name));
  return form;
}
