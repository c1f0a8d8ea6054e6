// The authoring API (contract: .tmp/contract-authoring.md): tool administration, versions and drafts,
// the draft lock, review, plus the sandbox and suggestion routes mounted from their own files. The
// route's `permission` is the minimum role; maintainer checks happen in the services.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requireAuth } from "../identity/sessions.service";
import type { AuthoringDeps } from "./authoring.deps";
import { addMaintainer, createTool, getToolDetail, getToolDetailBySlug, listAuthoringTools, removeMaintainer, setToolPublished, toolDetailOf, updateTool } from "./authoring.service";
import { acquireLock, getLock, heartbeatLock, releaseLock } from "./locks.service";
import { sandboxRoutes } from "./sandbox.routes";
import { suggestionsRoutes } from "./suggestions.routes";
import {
  AcquiredLockResponse,
  AcquireLockBody,
  ContentBody,
  CreateToolBody,
  LockResponse,
  MaintainerBody,
  MaintainerParams,
  MaintainersResponse,
  NoteBody,
  PublishedBody,
  RequestChangesBody,
  ReviewListResponse,
  SaveDraftBody,
  SaveDraftResponse,
  SlugParams,
  ToolDetail,
  ToolListResponse,
  ToolParams,
  UpdateToolBody,
  ValidateResponse,
  Version,
  VersionListResponse,
  VersionParams,
} from "./authoring.schemas";
import { getVersion, listPendingReviews, listVersions, publishVersion, requestChanges, rollbackToVersion, saveDraft, submitForReview, validateDraft } from "./versions.service";

const tags = ["authoring"];
const EDITOR = "Contributors who maintain the tool, admins and superusers (403 authoring.not_maintainer otherwise).";

export function authoringRoutes(ctx: HttpContextPlugin, deps: AuthoringDeps) {
  return new Elysia({ name: "authoring-routes", prefix: "/api/v1/authoring" })
    .use(ctx)
    .get("/tools", async (c) => listAuthoringTools(deps, requireAuth(c.auth).user), {
      permission: "contributor",
      response: ToolListResponse,
      detail: { summary: "Tools with version state, lock and pending reviews: all for admins, the maintained ones for contributors", tags },
    })
    .get("/tools/by-slug/:slug", async (c) => getToolDetailBySlug(deps, requireAuth(c.auth).user, c.params.slug), {
      permission: "contributor",
      scope: "tools:write",
      params: SlugParams,
      response: ToolDetail,
      detail: { summary: "A tool by slug (what `tool push` looks up)", description: EDITOR, tags },
    })
    .get("/tools/:tool_id", async (c) => getToolDetail(deps, requireAuth(c.auth).user, c.params.tool_id), {
      permission: "contributor",
      params: ToolParams,
      response: ToolDetail,
      detail: { summary: "A tool with maintainers, lock and what the viewer may do", description: EDITOR, tags },
    })
    .post(
      "/tools",
      async (c) => {
        const viewer = requireAuth(c.auth).user;
        const tool = await createTool(deps, viewer, c.body, c.locale);
        c.set.status = 201;
        return toolDetailOf(deps, viewer, tool);
      },
      {
        permission: "admin",
        body: CreateToolBody,
        response: { 201: ToolDetail },
        detail: { summary: "Create an unpublished tool without versions", description: "422 validation.failed [{path, message}]; 409 authoring.slug_taken.", tags },
      },
    )
    .patch("/tools/:tool_id", async (c) => updateTool(deps, requireAuth(c.auth).user, c.params.tool_id, c.body, c.locale), {
      permission: "admin",
      params: ToolParams,
      body: UpdateToolBody,
      response: ToolDetail,
      detail: { summary: "Change title, summary, tags or (while unpublished) the slug", description: "409 authoring.slug_frozen for a published tool's slug; 409 authoring.slug_taken.", tags },
    })
    .put("/tools/:tool_id/published", async (c) => setToolPublished(deps, requireAuth(c.auth).user, c.params.tool_id, c.body.published), {
      permission: "admin",
      params: ToolParams,
      body: PublishedBody,
      response: ToolDetail,
      detail: { summary: "Show or hide the tool in the catalog", description: "409 authoring.no_active_version when showing a tool without a published version.", tags },
    })
    .post("/tools/:tool_id/maintainers", async (c) => addMaintainer(deps, requireAuth(c.auth).user, c.params.tool_id, c.body.email), {
      permission: "admin",
      params: ToolParams,
      body: MaintainerBody,
      response: MaintainersResponse,
      detail: { summary: "Add a maintainer by e-mail (idempotent)", description: "404 authoring.user_not_found; 422 authoring.maintainer_role for accounts below contributor.", tags },
    })
    .delete("/tools/:tool_id/maintainers/:user_id", async (c) => removeMaintainer(deps, requireAuth(c.auth).user, c.params.tool_id, c.params.user_id), {
      permission: "admin",
      params: MaintainerParams,
      response: MaintainersResponse,
      detail: { summary: "Remove a maintainer (idempotent)", tags },
    })
    .get("/tools/:tool_id/versions", async (c) => listVersions(deps, requireAuth(c.auth).user, c.params.tool_id), {
      permission: "contributor",
      params: ToolParams,
      response: VersionListResponse,
      detail: { summary: "Versions, newest first, with who/when/notes and the review history", description: EDITOR, tags },
    })
    .get("/tools/:tool_id/versions/:version_id", async (c) => getVersion(deps, requireAuth(c.auth).user, c.params.tool_id, c.params.version_id), {
      permission: "contributor",
      params: VersionParams,
      response: Version,
      detail: { summary: "One version with source, schemas and instructions (for the editor and the diff)", description: EDITOR, tags },
    })
    .post(
      "/tools/:tool_id/versions",
      async (c) => {
        const result = await saveDraft(deps, requireAuth(c.auth).user, c.params.tool_id, c.body, c.locale);
        c.set.status = result.created ? 201 : 200;
        return result;
      },
      {
        permission: "contributor",
        scope: "tools:write",
        params: ToolParams,
        body: SaveDraftBody,
        response: { 200: SaveDraftResponse, 201: SaveDraftResponse },
        detail: {
          summary: "Save the buffer as a new draft version on top of parent_version_id (the head)",
          description:
            `${EDITOR} 422 validation.failed [{path: "/input_schema/2/kind", message}]; 409 authoring.head_moved {head_version_id, head_number}; ` +
            "423 authoring.locked {holder, expires_at} when someone else holds the draft lock. 200 created:false when the content equals the head.",
          tags,
        },
      },
    )
    .post("/tools/:tool_id/validate", async (c) => validateDraft(deps, requireAuth(c.auth).user, c.params.tool_id, c.body, c.locale), {
      permission: "contributor",
      params: ToolParams,
      body: ContentBody,
      response: ValidateResponse,
      detail: { summary: "Check the buffer without saving: every problem with its JSON pointer", description: EDITOR, tags },
    })
    .get("/tools/:tool_id/lock", async (c) => getLock(deps, requireAuth(c.auth).user, c.params.tool_id), {
      permission: "contributor",
      params: ToolParams,
      response: LockResponse,
      detail: { summary: "Who holds the draft lock (null when free)", description: EDITOR, tags },
    })
    .post("/tools/:tool_id/lock", async (c) => acquireLock(deps, requireAuth(c.auth).user, c.params.tool_id, c.body?.take_over ?? false), {
      permission: "contributor",
      params: ToolParams,
      body: AcquireLockBody,
      response: AcquiredLockResponse,
      detail: {
        summary: "Take the draft lock (expires 120 s after the last heartbeat); take_over: admins only",
        description: `${EDITOR} 423 authoring.locked {holder, expires_at}; 403 authoring.take_over_forbidden.`,
        tags,
      },
    })
    .post("/tools/:tool_id/lock/heartbeat", async (c) => heartbeatLock(deps, requireAuth(c.auth).user, c.params.tool_id), {
      permission: "contributor",
      params: ToolParams,
      response: AcquiredLockResponse,
      detail: { summary: "Keep the draft lock alive (every 30 s)", description: `${EDITOR} 423 authoring.lock_lost {holder} when someone took it over.`, tags },
    })
    .delete(
      "/tools/:tool_id/lock",
      async (c) => {
        await releaseLock(deps, requireAuth(c.auth).user, c.params.tool_id);
        c.set.status = 204;
      },
      { permission: "contributor", params: ToolParams, detail: { summary: "Release the caller's draft lock (idempotent)", description: EDITOR, tags } },
    )
    .post(
      "/tools/:tool_id/versions/:version_id/submit",
      async (c) => submitForReview(deps, requireAuth(c.auth).user, c.params.tool_id, c.params.version_id, c.body?.note ?? null),
      {
        permission: "contributor",
        params: VersionParams,
        body: NoteBody,
        response: Version,
        detail: { summary: "Submit a draft for review (an older submission goes back to draft)", description: `${EDITOR} 409 authoring.invalid_transition {from, to}.`, tags },
      },
    )
    .post(
      "/tools/:tool_id/versions/:version_id/publish",
      async (c) => publishVersion(deps, requireAuth(c.auth).user, c.params.tool_id, c.params.version_id, c.body?.note ?? null),
      {
        permission: "admin",
        params: VersionParams,
        body: NoteBody,
        response: Version,
        detail: { summary: "Publish a reviewed version: it becomes active, the previous one archived", description: "409 authoring.invalid_transition.", tags },
      },
    )
    .post(
      "/tools/:tool_id/versions/:version_id/request-changes",
      async (c) => requestChanges(deps, requireAuth(c.auth).user, c.params.tool_id, c.params.version_id, c.body.message),
      {
        permission: "admin",
        params: VersionParams,
        body: RequestChangesBody,
        response: Version,
        detail: { summary: "Send a version in review back to its author with a message", description: "409 authoring.invalid_transition.", tags },
      },
    )
    .post(
      "/tools/:tool_id/versions/:version_id/rollback",
      async (c) => rollbackToVersion(deps, requireAuth(c.auth).user, c.params.tool_id, c.params.version_id, c.body?.note ?? null),
      {
        permission: "superuser",
        params: VersionParams,
        body: NoteBody,
        response: Version,
        detail: { summary: "Make an archived version active again (the current one is archived)", description: "409 authoring.invalid_transition.", tags },
      },
    )
    .get("/reviews", async () => listPendingReviews(deps), {
      permission: "admin",
      response: ReviewListResponse,
      detail: { summary: "Every version waiting for review, oldest submission first", tags },
    })
    .use(sandboxRoutes(ctx, deps))
    .use(suggestionsRoutes(ctx, deps));
}
