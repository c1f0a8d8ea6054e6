// Everything the access services need (API keys, device flow, webhooks), built once per process in
// createApp or a test. Repositories pick their dialect here.
import { randomBytes } from "node:crypto";
import { jwt } from "@elysiajs/jwt";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Store } from "../store/db";
import { createAuditRepository, type AuditRepository } from "../audit/audit.repository";
import { createUsersRepositoryPg, createUsersRepositorySqlite, type UsersRepository } from "../identity/users.repository";
import { createApiKeysRepository, type ApiKeysRepository } from "./api-keys.repository";
import { createDeviceGrantsRepository, type DeviceGrantsRepository } from "./device-grants.repository";
import { createWebhookDeliveriesRepository, type WebhookDeliveriesRepository } from "./webhook-deliveries.repository";
import { DEVICE_TOKEN_MINUTES, POLL_INTERVAL_SECONDS } from "./device-flow.rules";

/** Signs and checks the CLI's device-flow tokens (HS256 with the server secret). */
export type DeviceTokenSigner = {
  sign(claims: { sub: string; gid: string; exp: number }): Promise<string>;
  verify(token: string): Promise<Record<string, unknown> | false>;
};

export type AccessDeps = {
  keys: ApiKeysRepository;
  grants: DeviceGrantsRepository;
  deliveries: WebhookDeliveriesRepository;
  audit: AuditRepository;
  users: UsersRepository;
  serverSecret: string;
  /** Where the browser confirms a device login: `${publicUrl}/device`. */
  publicUrl: string;
  deviceTokens: DeviceTokenSigner;
  devicePollSeconds: number;
  deviceTokenMinutes: number;
  log: Logger;
  now: () => Date;
  /** The webhook sender's HTTP client (tests may count calls). */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
};

export type CreateAccessDepsOptions = {
  store: Store;
  config: Pick<Config, "server">;
  log: Logger;
  now?: () => Date;
  devicePollSeconds?: number;
  fetch?: AccessDeps["fetch"];
};

// A process without a configured secret (tests, createApp without the CLI) still needs one; the CLI
// always sets [server] secret (from data_dir/server-secret), so real keys survive restarts.
const processSecret = randomBytes(32).toString("base64url");

export function createAccessDeps(opts: CreateAccessDepsOptions): AccessDeps {
  const { store } = opts;
  const serverSecret = opts.config.server.secret || processSecret;
  const plugin = jwt({ name: "deviceToken", secret: serverSecret, alg: "HS256" });
  const signer = (plugin as unknown as { singleton: { decorator: { deviceToken: DeviceTokenSigner } } }).singleton.decorator.deviceToken;
  return {
    keys: createApiKeysRepository(store),
    grants: createDeviceGrantsRepository(store),
    deliveries: createWebhookDeliveriesRepository(store),
    audit: createAuditRepository(store),
    users: store.dialect === "sqlite" ? createUsersRepositorySqlite(store.db) : createUsersRepositoryPg(store.db),
    serverSecret,
    publicUrl: opts.config.server.public_url.replace(/\/+$/, ""),
    deviceTokens: signer,
    devicePollSeconds: opts.devicePollSeconds ?? POLL_INTERVAL_SECONDS,
    deviceTokenMinutes: DEVICE_TOKEN_MINUTES,
    log: opts.log,
    now: opts.now ?? (() => new Date()),
    fetch: opts.fetch ?? ((url, init) => fetch(url, init)),
  };
}
