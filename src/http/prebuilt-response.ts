// A response body the route has already serialized (JSON bytes), sent with the context's headers.
//
// Elysia re-wraps every Response a handler returns while the context still holds headers (here
// always: the request id and the security headers): it reads the body back as a stream into a new
// Response. For the 140 KiB catalog list that cost more CPU than making the body. Moving the
// context's headers into the Response and emptying them lets Elysia pass it on untouched.
// Only for handlers that return at once: nothing may add to `set.headers` after this call.
type ContextSet = { headers: Record<string, unknown>; status?: number | string };

export function prebuiltJsonResponse(set: ContextSet, body: Uint8Array | ArrayBuffer | string): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(set.headers)) {
    if (value !== undefined && value !== null) headers.set(name, String(value));
    delete set.headers[name];
  }
  headers.set("content-type", "application/json");
  return new Response(body, { headers, status: typeof set.status === "number" ? set.status : 200 });
}
