// Serves ui/dist the way the product does (serveSpa + the product's security headers, CSP included)
// on a free 127.0.0.1 port, for browser tests of the UI alone with a mocked API (page.route).
//
//   const ui = await startUiServer();
//   … ui.url …
//   ui.stop();
import { existsSync } from "node:fs";
import { CONTENT_SECURITY_POLICY } from "../../src/http/security-headers";
import { serveSpa } from "../../src/http/spa";
import { DIST_DIR, listDistFiles } from "../gen-assets";

export interface UiServer {
  url: string;
  stop(): void;
}

export async function startUiServer(distDir = DIST_DIR): Promise<UiServer> {
  if (!existsSync(`${distDir}/index.html`)) {
    throw new Error(`${distDir} has no index.html: build the UI first (bun --bun node_modules/vite/bin/vite.js build --config ui/vite.config.ts)`);
  }
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      // Listed per request: a rebuild of ui/dist (new hashed names) while tests run is then served too.
      const assets = Object.fromEntries(await listDistFiles(distDir));
      const response = serveSpa(new URL(request.url).pathname, assets);
      response.headers.set("content-security-policy", CONTENT_SECURITY_POLICY);
      response.headers.set("x-content-type-options", "nosniff");
      return response;
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => void server.stop(true) };
}
