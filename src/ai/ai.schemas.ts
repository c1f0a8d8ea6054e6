// Request and response shapes of the AI API: the admin page, semantic search and the editor assistant.
import { t } from "elysia";

const ErrorRef = t.Object({ code: t.String(), message: t.String() });
const ModelName = t.String({ minLength: 1, maxLength: 200 });

export const AiStatusResponse = t.Object({
  enabled: t.Boolean(),
  config: t.Object({
    ollama_url: t.String(),
    chat_model: t.String(),
    embed_model: t.String(),
    num_ctx: t.Integer(),
    timeout_seconds: t.Integer(),
    concurrency: t.Integer(),
    max_retries: t.Integer(),
  }),
  server: t.Nullable(
    t.Object({
      reachable: t.Boolean(),
      version: t.Nullable(t.String()),
      error: t.Nullable(ErrorRef),
      models: t.Nullable(
        t.Array(
          t.Object({
            name: t.String(),
            size: t.Number(),
            modified_at: t.String(),
            family: t.String(),
            parameter_size: t.String(),
            quantization_level: t.String(),
          }),
        ),
      ),
      loaded: t.Nullable(t.Array(t.Object({ name: t.String(), size_vram: t.Number(), expires_at: t.String() }))),
      chat_model_present: t.Nullable(t.Boolean()),
      embed_model_present: t.Nullable(t.Boolean()),
    }),
  ),
  embeddings: t.Nullable(
    t.Object({ published_tools: t.Integer(), indexed_tools: t.Integer(), stale_tools: t.Integer(), last_embedded_at: t.Nullable(t.String()) }),
  ),
});

export const TestChatBody = t.Object({ message: t.String({ minLength: 1, maxLength: 2000 }), model: t.Optional(ModelName) });
export const TestChatResponse = t.Object({ model: t.String(), reply: t.String(), prompt_tokens: t.Number(), duration_ms: t.Number() });
export const TestEmbeddingBody = t.Object({ text: t.String({ minLength: 1, maxLength: 2000 }), model: t.Optional(ModelName) });
export const TestEmbeddingResponse = t.Object({ model: t.String(), dimensions: t.Integer(), sample: t.Array(t.Number()), duration_ms: t.Number() });
export const ReindexBody = t.Optional(t.Object({}));
export const ReindexResponse = t.Object({ indexed: t.Integer(), unchanged: t.Integer(), removed: t.Integer() });

export const SearchQuery = t.Object({
  q: t.String({ minLength: 1, maxLength: 500 }),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 50, default: 10 })),
});
export const SearchResponse = t.Object({
  mode: t.Union([t.Literal("semantic"), t.Literal("fulltext")]),
  fallback_reason: t.Nullable(
    t.Union([t.Literal("ai_disabled"), t.Literal("no_embed_model"), t.Literal("not_indexed"), t.Literal("ai_unreachable"), t.Literal("ai_timeout"), t.Literal("ai_error")]),
  ),
  items: t.Array(
    t.Object({
      slug: t.String(),
      title: t.String(),
      summary: t.String(),
      professions: t.Array(t.String()),
      categories: t.Array(t.String()),
      is_favorite: t.Boolean(),
      score: t.Nullable(t.Number()),
    }),
  ),
});

export const ToolIdParams = t.Object({ tool_id: t.String({ minLength: 1, maxLength: 64 }) });
const MessageJson = t.Object({ id: t.String(), role: t.Union([t.Literal("user"), t.Literal("assistant")]), content: t.String(), created_at: t.String() });
export const ConversationResponse = t.Object({ messages: t.Array(MessageJson), in_flight: t.Boolean() });
export const AskBody = t.Object({
  message: t.String({ minLength: 1, maxLength: 8000 }),
  context: t.Object({
    source: t.String({ maxLength: 500_000 }),
    input_schema: t.Optional(t.Unknown()),
    settings_schema: t.Optional(t.Unknown()),
    usage_instructions: t.Optional(t.String({ maxLength: 200_000 })),
  }),
});
