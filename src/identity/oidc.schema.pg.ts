// Accounts signed in through an OpenID Connect provider, for PostgreSQL. Keep in step with oidc.schema.sqlite.ts.
import { pgTable, text, timestamp, index, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity.schema.pg";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const oidcIdentities = pgTable(
  "oidc_identities",
  {
    id: text("id").primaryKey(),
    /** The issuer URL as discovered: subjects are unique only per issuer. */
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull(),
    lastLoginAt: ts("last_login_at").notNull(),
  },
  (t) => [uniqueIndex("oidc_identities_subject_uq").on(t.issuer, t.subject), index("oidc_identities_user_idx").on(t.userId)],
);
