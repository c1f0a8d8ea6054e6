// Request and response schemas of the privacy admin API (TypeBox through Elysia's `t`).
import { t } from "elysia";

export const UserIdParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) });

export const EraseBody = t.Object({
  confirm_email: t.String({ minLength: 1, maxLength: 320, description: "The user's e-mail address, typed again to confirm the erasure" }),
});

const TableCounts = t.Array(t.Object({ table: t.String(), rows: t.Integer() }));

export const ErasureResponse = t.Object({
  user_id: t.String(),
  pseudonym: t.String({ description: "What the audit log now shows instead of the e-mail address and name" }),
  removed: TableCounts,
  unlinked: t.Array(t.Object({ table: t.String(), rows: t.Integer() }), { description: "Rows kept that referred to the user; the reference is cleared" }),
  pseudonymised: t.Array(t.Object({ table: t.String(), rows: t.Integer() }), { description: "Of the rows kept, those that now show the pseudonym instead of the user (tool suggestions)" }),
  files: t.Integer(),
  bytes: t.Integer(),
  audit_events_pseudonymised: t.Integer(),
  errors: t.Array(t.String(), { description: "Files that could not be removed after the rows were" }),
});
