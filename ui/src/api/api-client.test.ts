import { describe, expect, test } from "bun:test";
import { ApiClient, withQuery } from "./api-client";
import { ApiError } from "./api-error";

interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: string | null;
}

/** A fake server: answers each request with the next scripted response and records what it saw. */
function fakeServer(responses: Array<(seen: SeenRequest) => Response>) {
  const seen: SeenRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: SeenRequest = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      credentials: init?.credentials,
      body: typeof init?.body === "string" ? init.body : null,
    };
    seen.push(request);
    const next = responses.shift();
    if (!next) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return next(request);
  };
  return { seen, fetch: fetchImpl as typeof fetch };
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const errorJson = (status: number, code: string, details: unknown = null) =>
  json(status, { error: { code, message: `server says ${code}`, details }, request_id: "req-1" });

describe("ApiClient", () => {
  test("a multipart request sends the FormData as it is, with the CSRF token and no JSON content type", async () => {
    const bodies: unknown[] = [];
    const server = fakeServer([json(200, { csrf_token: "t1" }), json(202, { run_id: "r1" })]);
    const client = new ApiClient({
      locale: () => "sv",
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        bodies.push(init?.body);
        return server.fetch(input, init);
      }) as typeof fetch,
    });
    const form = new FormData();
    form.append("inputs", "{}");
    form.append("files", new File(["a;b"], "elever.csv"));
    expect(await client.request("POST", "/api/v1/tools/betyg/run", { form })).toEqual({ run_id: "r1" });
    expect(bodies[1]).toBe(form);
    expect(server.seen[1]?.headers["x-csrf-token"]).toBe("t1");
    expect(server.seen[1]?.headers["content-type"]).toBeUndefined();
  });

  test("GET sends JSON Accept, the UI language and same-origin credentials, and no CSRF token", async () => {
    const server = fakeServer([json(200, { ok: 1 })]);
    const client = new ApiClient({ locale: () => "en", fetch: server.fetch });
    expect(await client.request<{ ok: number }>("GET", "/api/v1/meta")).toEqual({ ok: 1 });
    const [request] = server.seen;
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["accept-language"]).toBe("en");
    expect(request?.credentials).toBe("same-origin");
    expect(request?.headers["x-csrf-token"]).toBeUndefined();
  });

  test("a mutating request first fetches a CSRF token, then sends it with a JSON body", async () => {
    const server = fakeServer([json(200, { csrf_token: "t1" }), json(202, {}), json(200, { user: {} })]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch });
    await client.request("POST", "/api/v1/auth/forgot-password", { body: { email: "a@b.se" } });
    await client.request("PATCH", "/api/v1/profile", { body: { first_name: "A" } });
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /api/v1/auth/csrf",
      "POST /api/v1/auth/forgot-password",
      "PATCH /api/v1/profile",
    ]);
    expect(server.seen[1]?.headers["x-csrf-token"]).toBe("t1");
    expect(server.seen[1]?.headers["content-type"]).toBe("application/json");
    expect(server.seen[1]?.body).toBe('{"email":"a@b.se"}');
    // The token is kept in memory: no second fetch of it.
    expect(server.seen[2]?.headers["x-csrf-token"]).toBe("t1");
  });

  test("a token set by login replaces the anonymous one", async () => {
    const server = fakeServer([json(204, undefined)]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch });
    client.setCsrfToken("session-token");
    await client.request("POST", "/api/v1/auth/logout");
    expect(server.seen[0]?.headers["x-csrf-token"]).toBe("session-token");
  });

  test("403 csrf.invalid refetches the token and retries exactly once", async () => {
    const server = fakeServer([errorJson(403, "csrf.invalid"), json(200, { csrf_token: "fresh" }), json(200, { done: true })]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch });
    client.setCsrfToken("stale");
    expect(await client.request("POST", "/api/v1/x", { body: {} })).toEqual({ done: true });
    expect(server.seen.map((r) => r.headers["x-csrf-token"] ?? "-")).toEqual(["stale", "-", "fresh"]);

    const failing = fakeServer([errorJson(403, "csrf.invalid"), json(200, { csrf_token: "fresh" }), errorJson(403, "csrf.invalid")]);
    const client2 = new ApiClient({ locale: () => "sv", fetch: failing.fetch });
    client2.setCsrfToken("stale");
    const error = await client2.request("POST", "/api/v1/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("csrf.invalid");
    expect(failing.seen).toHaveLength(3);
  });

  test("other errors become typed ApiErrors with the server's code, message, details and request id", async () => {
    const server = fakeServer([errorJson(423, "auth.locked", { locked_until: "2026-11-23T10:00:00Z" })]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch });
    client.setCsrfToken("t");
    const error = (await client.request("POST", "/api/v1/auth/login").catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(423);
    expect(error.code).toBe("auth.locked");
    expect(error.message).toBe("server says auth.locked");
    expect(error.details).toEqual({ locked_until: "2026-11-23T10:00:00Z" });
    expect(error.requestId).toBe("req-1");
  });

  test("a body that is not the error shape still gives an ApiError (code unknown)", async () => {
    const server = fakeServer([() => new Response("<html>Bad gateway</html>", { status: 502 })]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch });
    const error = (await client.request("GET", "/api/v1/meta").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.code).toBe("unknown");
  });

  test("a failed fetch is a network ApiError", async () => {
    const client = new ApiClient({
      locale: () => "sv",
      fetch: (async () => {
        throw new TypeError("Failed to fetch");
      }) as unknown as typeof fetch,
    });
    const error = (await client.request("GET", "/api/v1/meta").catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("network");
    expect(error.status).toBe(0);
  });

  test("204 resolves to undefined", async () => {
    const server = fakeServer([() => new Response(null, { status: 204 })]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch });
    client.setCsrfToken("t");
    expect(await client.request("POST", "/api/v1/auth/logout")).toBeUndefined();
  });

  test("a lost session (401 auth.required / auth.session_expired) is reported; wrong credentials are not", async () => {
    const lost: string[] = [];
    const server = fakeServer([
      errorJson(401, "auth.session_expired"),
      errorJson(401, "auth.required"),
      errorJson(401, "auth.invalid_credentials"),
    ]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch, onSessionLost: (e) => lost.push(e.code) });
    client.setCsrfToken("t");
    for (const path of ["/api/v1/profile", "/api/v1/admin/users", "/api/v1/profile/password"]) {
      await client.request("POST", path).catch(() => undefined);
    }
    expect(lost).toEqual(["auth.session_expired", "auth.required"]);
  });

  test("concurrent mutating requests share one CSRF token fetch", async () => {
    const server = fakeServer([json(200, { csrf_token: "shared" }), json(200, {}), json(200, {})]);
    const client = new ApiClient({ locale: () => "sv", fetch: server.fetch });
    await Promise.all([client.request("POST", "/api/v1/a"), client.request("POST", "/api/v1/b")]);
    expect(server.seen.filter((r) => r.url === "/api/v1/auth/csrf")).toHaveLength(1);
    expect(server.seen.slice(1).map((r) => r.headers["x-csrf-token"])).toEqual(["shared", "shared"]);
  });
});

describe("withQuery", () => {
  test("adds set values and leaves out empty ones", () => {
    expect(withQuery("/api/v1/admin/users", { q: "anna b", role: undefined, page: 2, x: "", y: null })).toBe(
      "/api/v1/admin/users?q=anna+b&page=2",
    );
    expect(withQuery("/api/v1/meta", {})).toBe("/api/v1/meta");
    expect(withQuery("/api/v1/meta", undefined)).toBe("/api/v1/meta");
  });
});

describe("ApiError.fieldErrors", () => {
  test("maps 422 details paths to field names, first message wins", () => {
    const error = new ApiError(422, "validation.failed", "x", [
      { path: "/email", message: "Ogiltig adress" },
      { path: "/password", message: "För kort" },
      { path: "/password", message: "second" },
      { path: "/profile/first_name", message: "nested" },
      { nonsense: true },
    ]);
    expect(error.fieldErrors()).toEqual({ email: "Ogiltig adress", password: "För kort", "profile/first_name": "nested" });
    expect(new ApiError(409, "conflict", "x", { some: "object" }).fieldErrors()).toEqual({});
  });
});
