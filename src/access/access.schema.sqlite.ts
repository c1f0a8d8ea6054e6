// API keys, device-flow grants and webhook deliveries (SQLite). Keep in step with access.schema.pg.ts.
// Secrets are never stored: a key is kept as an HMAC of the server secret, a device code as its
// SHA-256, a webhook secret is derived from the server secret and a stored salt.
import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../identity/identity.schema.sqlite";
import { runs } from "../execution/execution.schema.sqlite";

const ms = (name: string) => integer(name, { mode: "timestamp_ms" });

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    /** the public start of the key ("skt_" + 8 characters): the lookup column */
    prefix: text("prefix").notNull(),
    /** HMAC-SHA256(server secret, whole key), hex */
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at"),
    lastUsedAt: ms("last_used_at"),
    /** when the last api_key.used audit event was written (one per key per minute) */
    lastUseAuditedAt: ms("last_use_audited_at"),
    revokedAt: ms("revoked_at"),
    revokedBy: text("revoked_by"),
    webhookUrl: text("webhook_url"),
    webhookSalt: text("webhook_salt"),
  },
  (t) => [uniqueIndex("api_keys_prefix_idx").on(t.prefix), index("api_keys_user_idx").on(t.userId, t.createdAt)],
);

export const deviceGrants = sqliteTable(
  "device_grants",
  {
    id: text("id").primaryKey(),
    deviceCodeHash: text("device_code_hash").notNull(),
    /** normalized: 8 characters, no dash */
    userCode: text("user_code").notNull(),
    clientName: text("client_name"),
    status: text("status", { enum: ["pending", "approved", "denied", "consumed"] }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    lastPolledAt: ms("last_polled_at"),
    decidedAt: ms("decided_at"),
    /** set when the token was handed out; the token is refused after this */
    accessExpiresAt: ms("access_expires_at"),
    revokedAt: ms("revoked_at"),
  },
  (t) => [uniqueIndex("device_grants_device_code_idx").on(t.deviceCodeHash), index("device_grants_user_code_idx").on(t.userCode), index("device_grants_expires_idx").on(t.expiresAt)],
);

/** Runs submitted with a key that has a webhook: the webhook worker turns finished ones into deliveries. */
export const apiKeyRuns = sqliteTable(
  "api_key_runs",
  {
    runId: text("run_id")
      .primaryKey()
      .references(() => runs.id, { onDelete: "cascade" }),
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    createdAt: ms("created_at").notNull(),
    notifiedAt: ms("notified_at"),
  },
  (t) => [index("api_key_runs_pending_idx").on(t.notifiedAt)],
);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    runId: text("run_id").notNull(),
    event: text("event").notNull(),
    /** the exact JSON body sent (signed as is) */
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ms("next_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: ms("created_at").notNull(),
    deliveredAt: ms("delivered_at"),
  },
  (t) => [index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt), index("webhook_deliveries_key_idx").on(t.keyId, t.createdAt)],
);
