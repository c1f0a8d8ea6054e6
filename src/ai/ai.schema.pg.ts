// The AI features' tables (PostgreSQL). Keep in step with ai.schema.sqlite.ts.
import { pgTable, text, integer, timestamp, index } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema.pg";
import { tools } from "../tools/tools.schema.pg";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** One embedding per published tool, of its title, summary and usage instructions (semantic search). */
export const aiToolEmbeddings = pgTable("ai_tool_embeddings", {
  toolId: text("tool_id")
    .primaryKey()
    .references(() => tools.id, { onDelete: "cascade" }),
  /** sha256 of the embedded text: the sync re-embeds only when it changed (or the model did). */
  textHash: text("text_hash").notNull(),
  model: text("model").notNull(),
  dimensions: integer("dimensions").notNull(),
  /** float32 little-endian, base64: the same bytes in both dialects, 4 bytes a dimension. */
  vector: text("vector").notNull(),
  updatedAt: ts("updated_at").notNull(),
});

/** The editor assistant's conversation, per user and tool. */
export const aiAssistantMessages = pgTable(
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
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("ai_assistant_messages_conversation_idx").on(t.userId, t.toolId, t.createdAt)],
);
