// The AI features' tables (SQLite). Keep in step with ai.schema.pg.ts.
import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { users } from "../identity/identity.schema.sqlite";
import { tools } from "../tools/tools.schema.sqlite";

/** One embedding per published tool, of its title, summary and usage instructions (semantic search). */
export const aiToolEmbeddings = sqliteTable("ai_tool_embeddings", {
  toolId: text("tool_id")
    .primaryKey()
    .references(() => tools.id, { onDelete: "cascade" }),
  /** sha256 of the embedded text: the sync re-embeds only when it changed (or the model did). */
  textHash: text("text_hash").notNull(),
  model: text("model").notNull(),
  dimensions: integer("dimensions").notNull(),
  /** float32 little-endian, base64: the same bytes in both dialects, 4 bytes a dimension. */
  vector: text("vector").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** The editor assistant's conversation, per user and tool. */
export const aiAssistantMessages = sqliteTable(
  "ai_assistant_messages",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("ai_assistant_messages_conversation_idx").on(t.userId, t.toolId, t.createdAt)],
);
