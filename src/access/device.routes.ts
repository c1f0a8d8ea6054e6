// The device login of the CLI: start and poll are public (the CLI has no session yet; rate limited per
// IP); looking up, confirming and denying a user code need the browser session of the person logging in.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requestMeta, requireAuth } from "../identity/sessions.service";
import type { AccessDeps } from "./access.deps";
import { confirmDeviceGrant, denyDeviceGrant, getGrantView, pollDeviceFlow, startDeviceFlow } from "./device-flow.service";
import {
  DeviceConfirmBody,
  DeviceDecisionResponse,
  DeviceDenyBody,
  DeviceGrantResponse,
  DevicePollBody,
  DevicePollResponse,
  DeviceStartBody,
  DeviceStartResponse,
  UserCodeParams,
} from "./access.schemas";

const tags = ["access"];

export function deviceRoutes(ctx: HttpContextPlugin, deps: AccessDeps) {
  return new Elysia({ name: "device-routes", prefix: "/api/v1/auth/device" })
    .use(ctx)
    .post("/start", async (c) => startDeviceFlow(deps, { clientName: c.body.client_name ?? null }), {
      permission: "public",
      rateLimit: true,
      body: DeviceStartBody,
      response: DeviceStartResponse,
      detail: {
        summary: "Start a device login (the CLI): a device code to poll with and a user code to confirm in the browser",
        description: "Public; CSRF cookie and header as for login. 429 rate_limited.",
        tags,
      },
    })
    .post(
      "/poll",
      async (c) => {
        const result = await pollDeviceFlow(deps, c.body.device_code);
        if (result.status === "pending") c.set.status = 202;
        return result;
      },
      {
        permission: "public",
        body: DevicePollBody,
        response: { 200: DevicePollResponse, 202: DevicePollResponse },
        detail: {
          summary: "Poll a device login: 202 pending, 200 with the token once approved (handed out once)",
          description: "429 device.slow_down (poll at the given interval), 403 device.denied, 410 device.code_expired (expired, unknown or already used).",
          tags,
        },
      },
    )
    .get("/:user_code", async (c) => getGrantView(deps, requireAuth(c.auth).user, c.params.user_code), {
      permission: "user",
      params: UserCodeParams,
      response: DeviceGrantResponse,
      detail: { summary: "A pending device login by its user code, with the scopes the signed-in user may grant", description: "404 device.code_not_found.", tags },
    })
    .post(
      "/confirm",
      async (c) => {
        await confirmDeviceGrant(deps, requireAuth(c.auth).user, c.body.user_code, c.body.scopes, requestMeta(c));
        return { status: "approved" as const };
      },
      {
        permission: "user",
        body: DeviceConfirmBody,
        response: DeviceDecisionResponse,
        detail: {
          summary: "Approve a device login with the chosen scopes",
          description: "404 device.code_not_found, 409 device.already_decided; scope errors as for API keys.",
          tags,
        },
      },
    )
    .post(
      "/deny",
      async (c) => {
        await denyDeviceGrant(deps, requireAuth(c.auth).user, c.body.user_code, requestMeta(c));
        return { status: "denied" as const };
      },
      {
        permission: "user",
        body: DeviceDenyBody,
        response: DeviceDecisionResponse,
        detail: { summary: "Deny a device login", description: "404 device.code_not_found, 409 device.already_decided.", tags },
      },
    );
}
