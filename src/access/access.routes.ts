// The API-key HTTP surface: allowed scopes, own keys, admins' view of all keys, webhook deliveries and
// the key-only "who am I". Managing keys needs a browser session: a key can never mint or revoke keys.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requestMeta, requireAuth } from "../identity/sessions.service";
import type { AccessDeps } from "./access.deps";
import { allowedScopes, createApiKey, listAllKeys, listOwnKeys, requireOwnKey, revokeApiKey } from "./api-keys.service";
import { toDeliveryView } from "./webhooks.service";
import {
  AdminKeyListResponse,
  AdminKeyQuery,
  CreatedKeyResponse,
  CreateKeyBody,
  DeliveryListResponse,
  KeyListResponse,
  KeyParams,
  ScopesResponse,
  WhoamiResponse,
} from "./access.schemas";

const tags = ["access"];
const SCOPE_ERRORS =
  "422 access.scopes_empty, 422 access.scope_invalid (details {scopes}), 422 access.admin_scope_exclusive, 403 access.scope_not_allowed (details {scopes})";

export function accessRoutes(ctx: HttpContextPlugin, deps: AccessDeps) {
  return new Elysia({ name: "access-routes", prefix: "/api/v1" })
    .use(ctx)
    .get("/auth/allowed-scopes", (c) => ({ scopes: allowedScopes(requireAuth(c.auth).user) }), {
      permission: "user",
      response: ScopesResponse,
      detail: { summary: "The scopes the signed-in user may put on an API key or a CLI login, in display order", tags },
    })
    .get("/access/keys", async (c) => ({ keys: await listOwnKeys(deps, requireAuth(c.auth).user) }), {
      permission: "user",
      response: KeyListResponse,
      detail: { summary: "The signed-in user's API keys, newest first (revoked and expired ones too)", tags },
    })
    .post(
      "/access/keys",
      async (c) => {
        const created = await createApiKey(
          deps,
          requireAuth(c.auth).user,
          { label: c.body.label, scopes: c.body.scopes, expiresAt: c.body.expires_at ?? null, webhookUrl: c.body.webhook_url ?? null },
          requestMeta(c),
        );
        c.set.status = 201;
        return created;
      },
      {
        permission: "user",
        body: CreateKeyBody,
        response: { 201: CreatedKeyResponse },
        detail: {
          summary: "Create an API key; the secret (and the webhook secret) are in this answer only",
          description: `Use as \`Authorization: Bearer <secret>\`. ${SCOPE_ERRORS}; 422 access.expiry_in_past; 422 access.webhook_url_invalid (only http/https).`,
          tags,
        },
      },
    )
    .delete(
      "/access/keys/:id",
      async (c) => {
        await revokeApiKey(deps, requireAuth(c.auth).user, c.params.id, false, requestMeta(c));
        c.set.status = 204;
      },
      {
        permission: "user",
        params: KeyParams,
        detail: { summary: "Revoke one of the signed-in user's keys (refused from the next request on)", description: "404 access.key_not_found.", tags },
      },
    )
    .get(
      "/access/keys/:id/deliveries",
      async (c) => {
        const key = await requireOwnKey(deps, requireAuth(c.auth).user, c.params.id);
        return { deliveries: (await deps.deliveries.listByKey(key.id, 50)).map(toDeliveryView) };
      },
      {
        permission: "user",
        params: KeyParams,
        response: DeliveryListResponse,
        detail: { summary: "The latest webhook deliveries of one of the signed-in user's keys", description: "404 access.key_not_found.", tags },
      },
    )
    .get(
      "/access/whoami",
      (c) => {
        const auth = requireAuth(c.auth);
        const key = auth.key!;
        return {
          user: { id: auth.user.id, email: auth.user.email, role: auth.user.role },
          key: { id: key.id, kind: key.kind, scopes: key.scopes, expires_at: key.expiresAt ? key.expiresAt.toISOString() : null },
        };
      },
      {
        permission: "user",
        scope: "any-key",
        response: WhoamiResponse,
        detail: { summary: "Who the bearer key or CLI token belongs to and what it may do", description: "Key only: a browser session gets 403 access.key_required.", tags },
      },
    )
    .get("/admin/access/keys", async (c) => ({ keys: await listAllKeys(deps, { ...(c.query.user_id ? { userId: c.query.user_id } : {}), status: c.query.status ?? "all" }) }), {
      permission: "admin",
      query: AdminKeyQuery,
      response: AdminKeyListResponse,
      detail: { summary: "Every user's API keys, newest first (at most 500), optionally of one user or status", tags: ["admin", ...tags] },
    })
    .delete(
      "/admin/access/keys/:id",
      async (c) => {
        await revokeApiKey(deps, requireAuth(c.auth).user, c.params.id, true, requestMeta(c));
        c.set.status = 204;
      },
      {
        permission: "admin",
        params: KeyParams,
        detail: { summary: "Revoke anyone's API key", description: "404 access.key_not_found.", tags: ["admin", ...tags] },
      },
    );
}
