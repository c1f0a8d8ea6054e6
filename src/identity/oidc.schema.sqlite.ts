// Accounts signed in through an OpenID Connect provider, for SQLite: the provider's stable subject
// ("sub") mapped to a local user, so a changed e-mail address at the provider keeps the same account.
// Keep in step with oidc.schema.pg.ts.
import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./identity.schema.sqlite";

export const oidcIdentities = sqliteTable(
  "oidc_identities",
  {
    id: text("id").primaryKey(),
    /** The issuer URL as discovered: subjects are unique only per issuer. */
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("oidc_identities_subject_uq").on(t.issuer, t.subject), index("oidc_identities_user_idx").on(t.userId)],
);
