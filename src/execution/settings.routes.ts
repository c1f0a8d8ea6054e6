// A user's settings for a tool (delivered to the script in memory.json by the worker).
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requireAuth } from "../identity/sessions.service";
import type { ExecutionDeps } from "./execution.deps";
import { getToolSettings, saveToolSettings } from "./settings.service";
import { SettingsBody, SettingsResponse, SlugParams } from "./runs.schemas";

const tags = ["settings"];

export function settingsRoutes(ctx: HttpContextPlugin, deps: ExecutionDeps) {
  return new Elysia({ name: "settings-routes", prefix: "/api/v1" })
    .use(ctx)
    .get("/tools/:slug/settings", async (c) => getToolSettings(deps, requireAuth(c.auth).user, c.params.slug), {
      permission: "user",
      scope: "runs:read",
      params: SlugParams,
      response: SettingsResponse,
      detail: { summary: "The tool's settings schema and the signed-in user's saved values with their revision", tags },
    })
    .put(
      "/tools/:slug/settings",
      async (c) =>
        saveToolSettings(deps, { viewer: requireAuth(c.auth).user, slug: c.params.slug, values: c.body.values, expectedRev: c.body.expected_rev, locale: c.locale }),
      {
        permission: "user",
        scope: "runs:write",
        params: SlugParams,
        body: SettingsBody,
        response: SettingsResponse,
        detail: {
          summary: "Save the user's settings for the tool",
          description: '422 settings.invalid with details [{path: "/values/<field>", message}]; 409 settings.conflict when expected_rev is not the saved revision (reload).',
          tags,
        },
      },
    );
}
