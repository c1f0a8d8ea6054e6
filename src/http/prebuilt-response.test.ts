// A pre-encoded body keeps every header the request's context collected (security headers, request
// id) and the status, while Elysia hands the Response on as it is.
import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { prebuiltJsonResponse } from "./prebuilt-response";
import { CONTENT_SECURITY_POLICY, securityHeaders } from "./security-headers";

describe("prebuiltJsonResponse", () => {
  const app = new Elysia()
    .use(securityHeaders({ hsts: true }))
    .onRequest(({ set }) => {
      set.headers["x-request-id"] = "req-12345678";
    })
    .get("/bytes", ({ set }) => prebuiltJsonResponse(set, new TextEncoder().encode('{"titel":"Årsschema"}')))
    .get("/created", ({ set }) => {
      set.status = 201;
      return prebuiltJsonResponse(set, '{"ok":true}');
    });

  test("sends the bytes with the context's headers and a JSON content type", async () => {
    const res = await app.handle(new Request("http://localhost/bytes"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ titel: "Årsschema" });
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toBe("req-12345678");
    expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  test("keeps a status the handler set", async () => {
    const res = await app.handle(new Request("http://localhost/created"));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get("x-request-id")).toBe("req-12345678");
  });
});
