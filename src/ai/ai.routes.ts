// The AI API: the admin AI page, the "describe what you need" catalog search and the editor
// assistant. With [ai] enabled = false the admin status and the search still answer (AI off, full-text
// search); everything else is 404 ai.disabled — and nothing ever connects to Ollama.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requireAuth } from "../identity/sessions.service";
import type { AiDeps } from "./ai.deps";
import { getAiStatus, reindexTools, testChat, testEmbedding } from "./admin-ai.service";
import { askAssistant, clearConversation, getConversation } from "./assistant.service";
import { semanticSearch } from "./semantic-search.service";
import {
  AiStatusResponse,
  AskBody,
  ConversationResponse,
  ReindexBody,
  ReindexResponse,
  SearchQuery,
  SearchResponse,
  TestChatBody,
  TestChatResponse,
  TestEmbeddingBody,
  TestEmbeddingResponse,
  ToolIdParams,
} from "./ai.schemas";

const tags = ["ai"];
const AI_ERRORS = "Errors: 404 ai.disabled, 503 ai.unreachable, 504 ai.timeout, 502 ai.unknown_model / ai.failed, 422 ai.too_long, 409 ai.not_configured.";

export function aiRoutes(ctx: HttpContextPlugin, deps: AiDeps) {
  return new Elysia({ name: "ai-routes", prefix: "/api/v1" })
    .use(ctx)
    .get("/admin/ai", async (c) => getAiStatus(deps, c.locale), {
      permission: "admin",
      response: AiStatusResponse,
      detail: {
        summary: "The admin AI page: configured values, Ollama reachability and version, models, loaded models, embedding index",
        description: "Each probe of Ollama is limited to 5 s. With AI off: enabled false, server and embeddings null, no connection attempted.",
        tags,
      },
    })
    .post("/admin/ai/test-chat", async (c) => testChat(deps, c.body), {
      permission: "admin",
      body: TestChatBody,
      response: TestChatResponse,
      detail: { summary: "Send one message to the chat model (default [ai] chat_model)", description: AI_ERRORS, tags },
    })
    .post("/admin/ai/test-embedding", async (c) => testEmbedding(deps, c.body), {
      permission: "admin",
      body: TestEmbeddingBody,
      response: TestEmbeddingResponse,
      detail: { summary: "Embed one text with the embedding model (default [ai] embed_model)", description: AI_ERRORS, tags },
    })
    .post("/admin/ai/reindex", async () => reindexTools(deps), {
      permission: "admin",
      body: ReindexBody,
      response: ReindexResponse,
      detail: { summary: "Bring every published tool's embedding up to date now (semantic search)", description: AI_ERRORS, tags },
    })
    .get("/ai/search", async (c) => semanticSearch(deps, { viewer: requireAuth(c.auth).user, q: c.query.q, limit: c.query.limit ?? 10 }), {
      permission: "user",
      query: SearchQuery,
      response: SearchResponse,
      detail: {
        summary: "Describe what you need: published tools ranked by semantic similarity, or full-text search when AI cannot answer",
        description: "Never an AI error: mode says which search answered and fallback_reason why. Only tools the viewer may see in the catalog.",
        tags,
      },
    })
    .get("/ai/assistant/:tool_id/conversation", async (c) => getConversation(deps, requireAuth(c.auth).user, c.params.tool_id), {
      permission: "contributor",
      params: ToolIdParams,
      response: ConversationResponse,
      detail: { summary: "The editor assistant conversation of the signed-in user about a tool, oldest first", description: "404 authoring.tool_not_found, 403 authoring.not_maintainer, 404 ai.disabled.", tags },
    })
    .delete(
      "/ai/assistant/:tool_id/conversation",
      async (c) => {
        await clearConversation(deps, requireAuth(c.auth).user, c.params.tool_id);
        c.set.status = 204;
      },
      {
        permission: "contributor",
        params: ToolIdParams,
        detail: { summary: "Clear the conversation (409 ai.busy while an answer is streaming)", tags },
      },
    )
    .post(
      "/ai/assistant/:tool_id/messages",
      async (c) => {
        const stream = await askAssistant(deps, {
          viewer: requireAuth(c.auth).user,
          toolId: c.params.tool_id,
          message: c.body.message,
          context: c.body.context,
          locale: c.locale,
          signal: c.request.signal,
        });
        return new Response(stream, {
          headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
        });
      },
      {
        permission: "contributor",
        params: ToolIdParams,
        body: AskBody,
        detail: {
          summary: "Ask the editor assistant; the answer streams as Server-Sent Events: start, delta…, done {message, diffs} or error {code, message}",
          description: `Before the stream: 409 ai.busy (one request per user and tool), 404 authoring.tool_not_found, 403 authoring.not_maintainer, 422 ai.too_long. ${AI_ERRORS} Closing the connection cancels the answer.`,
          tags,
        },
      },
    );
}
