// Starts Bun's HTTP server for the app.
//
// Not Elysia's `listen()`: after listening it compiles the app a second time, rebuilds its route
// table, reloads the server and forces a garbage collection — for plugins that load asynchronously,
// which this app has none of. That work ran right after the socket opened and held the first
// request back ≈10 ms at every start (scripts/bench/startup.ts). Here the app's own fetch handler
// (one compiled router for every route) serves everything, and the server is handed to the app so
// route contexts (`server.requestIP`) and `app.stop()` work as with listen().
import type { Server } from "bun";
import type { AnyElysia } from "elysia";

export type ServeOptions = { hostname: string; port: number; maxRequestBodySize: number };

export function serveApp(app: AnyElysia, opts: ServeOptions): Server<undefined> {
  const server = Bun.serve({
    hostname: opts.hostname,
    port: opts.port,
    // a second server on the same port must fail loudly, not silently share requests
    reusePort: false,
    // Elysia's listen() default: idle keep-alive connections close after 30 s
    idleTimeout: 30,
    development: false,
    maxRequestBodySize: opts.maxRequestBodySize,
    fetch: app.fetch,
  });
  app.server = server;
  return server;
}
