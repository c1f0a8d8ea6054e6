// `skriptoteket serve`: migrate, then serve the API and the embedded UI until SIGTERM/SIGINT.
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext } from "./context";
import { parseListen } from "./listen-address";
import { createApp } from "../http/app";
import { createMetrics } from "../ops/metrics";
import { createIdentityDeps } from "../identity/identity.deps";
import { assets } from "../assets.gen.js";
import pkg from "../../package.json";

const MIB = 1024 * 1024;

export const serveCommand: Command = {
  name: "serve",
  summary: "Apply migrations and serve the web UI and API",
  usage: "Usage: skriptoteket serve [--config FILE]\n\nListens on [server] listen (default 0.0.0.0:8080). Stops cleanly on SIGTERM or SIGINT.",
  examples: ["skriptoteket serve", "skriptoteket serve --config /etc/skriptoteket/skriptoteket.toml"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const t0 = performance.now();
    const cli = await openCliContext(args, io);
    const { config, store, log } = cli;
    const metrics = createMetrics();
    const identity = createIdentityDeps({ store, config, log, metrics });
    const app = createApp({ config, log, store, metrics, identity, assets, version: pkg.version });
    const { hostname, port } = parseListen(config.server.listen);
    // the request body cap protects memory; uploads larger than this are refused with 413
    // reusePort off: a second server on the same port must fail loudly, not silently share requests
    app.listen({ hostname, port, reusePort: false, maxRequestBodySize: (config.storage.max_upload_mb + 1) * MIB });
    const actualPort = app.server?.port ?? port;
    log.info("listening", {
      url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${actualPort}`,
      public_url: config.server.public_url,
      database: store.dialect,
      config: cli.configPath ?? "(defaults)",
      startup_ms: Math.round(performance.now() - t0),
    });
    await new Promise<void>((resolve) => {
      const stop = async (signal: string) => {
        log.info("stopping", { signal });
        await app.stop();
        await cli.close();
        resolve();
      };
      process.once("SIGTERM", () => void stop("SIGTERM"));
      process.once("SIGINT", () => void stop("SIGINT"));
    });
    return 0;
  },
};
