// Tool suggestions: contributors suggest and follow their suggestions; admins accept or deny.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requireAuth } from "../identity/sessions.service";
import type { AuthoringDeps } from "./authoring.deps";
import { AcceptBody, AcceptResponse, DenyBody, Suggestion, SuggestionBody, SuggestionListQuery, SuggestionListResponse, SuggestionParams } from "./authoring.schemas";
import { acceptSuggestion, createSuggestion, denySuggestion, getSuggestion, listSuggestions } from "./suggestions.service";

const tags = ["authoring"];

export function suggestionsRoutes(ctx: HttpContextPlugin, deps: AuthoringDeps) {
  return new Elysia({ name: "authoring-suggestions-routes" })
    .use(ctx)
    .post(
      "/suggestions",
      async (c) => {
        const r = await createSuggestion(deps, requireAuth(c.auth).user, c.body, c.locale);
        c.set.status = 201;
        return r;
      },
      {
        permission: "contributor",
        body: SuggestionBody,
        response: { 201: Suggestion },
        detail: { summary: "Suggest a tool", description: "422 validation.failed (unknown taxonomy slugs: /professions/0).", tags },
      },
    )
    .get("/suggestions", async (c) => listSuggestions(deps, requireAuth(c.auth).user, c.query.status), {
      permission: "contributor",
      query: SuggestionListQuery,
      response: SuggestionListResponse,
      detail: { summary: "Suggestions, newest first, with their decisions: the caller's own (contributors) or all (admins)", tags },
    })
    .get("/suggestions/:suggestion_id", async (c) => getSuggestion(deps, requireAuth(c.auth).user, c.params.suggestion_id), {
      permission: "contributor",
      params: SuggestionParams,
      response: Suggestion,
      detail: { summary: "One suggestion (the suggester's own, or any for admins)", description: "404 authoring.suggestion_not_found.", tags },
    })
    .post("/suggestions/:suggestion_id/accept", async (c) => acceptSuggestion(deps, requireAuth(c.auth).user, c.params.suggestion_id, c.body ?? {}, c.locale), {
      permission: "admin",
      params: SuggestionParams,
      body: AcceptBody,
      response: AcceptResponse,
      detail: {
        summary: "Accept: a draft tool from the suggestion, the suggester its maintainer",
        description: "409 authoring.suggestion_decided when already accepted; 409 authoring.slug_taken (send another slug).",
        tags,
      },
    })
    .post("/suggestions/:suggestion_id/deny", async (c) => denySuggestion(deps, requireAuth(c.auth).user, c.params.suggestion_id, c.body.rationale, c.locale), {
      permission: "admin",
      params: SuggestionParams,
      body: DenyBody,
      response: Suggestion,
      detail: { summary: "Deny with a rationale the suggester sees", description: "422 validation.failed /rationale when empty; 409 authoring.suggestion_decided.", tags },
    });
}
