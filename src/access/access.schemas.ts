// Request and response schemas of the access API (keys, device flow, webhooks deliveries), TypeBox
// through Elysia's `t`: validates, documents in OpenAPI and types the UI's client.
import { t } from "elysia";

const Iso = t.String({ format: "date-time" });
const NullableIso = t.Union([Iso, t.Null()]);
const Scopes = t.Array(t.String({ maxLength: 40 }), { maxItems: 20 });

export const ScopesResponse = t.Object({ scopes: t.Array(t.String()) });

export const ApiKeySchema = t.Object({
  id: t.String(),
  label: t.String(),
  prefix: t.String({ description: "The public start of the key, to recognise it" }),
  scopes: t.Array(t.String()),
  created_at: Iso,
  expires_at: NullableIso,
  last_used_at: NullableIso,
  revoked_at: NullableIso,
  status: t.Union([t.Literal("active"), t.Literal("expired"), t.Literal("revoked")]),
  webhook_url: t.Union([t.String(), t.Null()]),
});

export const AdminApiKeySchema = t.Composite([ApiKeySchema, t.Object({ user_id: t.String(), user_email: t.String() })]);

export const KeyListResponse = t.Object({ keys: t.Array(ApiKeySchema) });
export const AdminKeyListResponse = t.Object({ keys: t.Array(AdminApiKeySchema) });

export const CreateKeyBody = t.Object({
  label: t.String({ minLength: 1, maxLength: 100 }),
  scopes: Scopes,
  expires_at: t.Optional(t.Union([t.String({ format: "date-time" }), t.Null()])),
  webhook_url: t.Optional(t.Union([t.String({ maxLength: 2000 }), t.Null()])),
});

export const CreatedKeyResponse = t.Object({
  key: ApiKeySchema,
  secret: t.String({ description: "The key itself; shown only in this answer" }),
  webhook_secret: t.Union([t.String({ description: "Signs webhook bodies; shown only in this answer" }), t.Null()]),
});

export const KeyParams = t.Object({ id: t.String({ maxLength: 64 }) });

export const AdminKeyQuery = t.Object({
  user_id: t.Optional(t.String({ maxLength: 64 })),
  status: t.Optional(t.Union([t.Literal("active"), t.Literal("revoked"), t.Literal("expired"), t.Literal("all")])),
});

export const DeliverySchema = t.Object({
  id: t.String(),
  run_id: t.String(),
  event: t.String(),
  status: t.Union([t.Literal("pending"), t.Literal("delivered"), t.Literal("failed")]),
  attempts: t.Integer(),
  last_status_code: t.Union([t.Integer(), t.Null()]),
  last_error: t.Union([t.String(), t.Null()]),
  next_attempt_at: NullableIso,
  created_at: Iso,
  delivered_at: NullableIso,
});
export const DeliveryListResponse = t.Object({ deliveries: t.Array(DeliverySchema) });

export const WhoamiResponse = t.Object({
  user: t.Object({ id: t.String(), email: t.String(), role: t.String() }),
  key: t.Object({
    id: t.String(),
    kind: t.Union([t.Literal("api_key"), t.Literal("device_token")]),
    scopes: t.Array(t.String()),
    expires_at: NullableIso,
  }),
});

export const DeviceStartBody = t.Object({ client_name: t.Optional(t.String({ maxLength: 100 })) });
export const DeviceStartResponse = t.Object({
  device_code: t.String(),
  user_code: t.String(),
  verification_uri: t.String(),
  verification_uri_complete: t.String(),
  expires_in: t.Integer(),
  interval: t.Integer(),
});
export const DevicePollBody = t.Object({ device_code: t.String({ minLength: 1, maxLength: 100 }) });
export const DevicePollResponse = t.Union([
  t.Object({ status: t.Literal("pending"), interval: t.Integer() }),
  t.Object({ status: t.Literal("approved"), access_token: t.String(), token_type: t.Literal("Bearer"), expires_in: t.Integer(), scopes: t.Array(t.String()) }),
]);
export const UserCodeParams = t.Object({ user_code: t.String({ maxLength: 20 }) });
export const DeviceGrantResponse = t.Object({
  user_code: t.String(),
  client_name: t.Union([t.String(), t.Null()]),
  created_at: Iso,
  expires_at: Iso,
  status: t.Union([t.Literal("pending"), t.Literal("approved"), t.Literal("denied")]),
  allowed_scopes: t.Array(t.String()),
});
export const DeviceConfirmBody = t.Object({ user_code: t.String({ maxLength: 20 }), scopes: Scopes });
export const DeviceDenyBody = t.Object({ user_code: t.String({ maxLength: 20 }) });
export const DeviceDecisionResponse = t.Object({ status: t.Union([t.Literal("approved"), t.Literal("denied")]) });
