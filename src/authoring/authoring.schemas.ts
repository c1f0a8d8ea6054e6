// Request and response schemas of the authoring API (TypeBox through Elysia's `t`); they validate
// input, document the API in OpenAPI and mirror .tmp/contract-authoring.md.
import { t } from "elysia";

const Id = t.String({ minLength: 1, maxLength: 64 });
const Timestamp = t.String({ format: "date-time" });
const TagList = t.Array(t.String({ maxLength: 64 }), { maxItems: 50, description: "Taxonomy slugs (GET /api/v1/taxonomy)" });

export const ToolParams = t.Object({ tool_id: Id });
export const SlugParams = t.Object({ slug: t.String({ minLength: 1, maxLength: 200 }) });
export const VersionParams = t.Object({ tool_id: Id, version_id: Id });
export const MaintainerParams = t.Object({ tool_id: Id, user_id: Id });
export const SuggestionParams = t.Object({ suggestion_id: Id });

const UserRef = t.Object({ id: t.String(), name: t.String(), email: t.String() });
const VersionState = t.Union([t.Literal("draft"), t.Literal("in_review"), t.Literal("active"), t.Literal("archived")]);
const VersionRef = t.Object({ id: t.String(), number: t.Integer(), state: VersionState });
const LockView = t.Object({ holder: UserRef, acquired_at: Timestamp, heartbeat_at: Timestamp, expires_at: Timestamp, mine: t.Boolean() });
const Nullable = <T extends Parameters<typeof t.Union>[0][number]>(s: T) => t.Union([s, t.Null()]);

export const ToolSummary = t.Object({
  id: t.String(),
  slug: t.String(),
  title: t.String(),
  summary: t.String(),
  is_published: t.Boolean(),
  professions: t.Array(t.String()),
  categories: t.Array(t.String()),
  active_version: Nullable(VersionRef),
  head_version: Nullable(VersionRef),
  pending_reviews: t.Integer(),
  lock: Nullable(LockView),
  updated_at: Timestamp,
});
export const ToolDetail = t.Composite([
  ToolSummary,
  t.Object({
    maintainers: t.Array(UserRef),
    slug_editable: t.Boolean(),
    can: t.Object({ edit: t.Boolean(), review: t.Boolean(), rollback: t.Boolean(), manage: t.Boolean() }),
  }),
]);
export const ToolListResponse = t.Object({ items: t.Array(ToolSummary), pending_reviews_total: t.Integer() });

export const CreateToolBody = t.Object({
  slug: t.String({ maxLength: 200 }),
  title: t.String({ maxLength: 400 }),
  summary: t.Optional(t.String({ maxLength: 2000 })),
  professions: t.Optional(TagList),
  categories: t.Optional(TagList),
});
export const UpdateToolBody = t.Partial(CreateToolBody);
export const PublishedBody = t.Object({ published: t.Boolean() });
export const MaintainerBody = t.Object({ email: t.String({ minLength: 3, maxLength: 320 }) });
export const MaintainersResponse = t.Object({ maintainers: t.Array(UserRef) });

const ReviewEvent = t.Object({
  kind: t.Union([t.Literal("submitted"), t.Literal("changes_requested"), t.Literal("published"), t.Literal("rolled_back")]),
  message: Nullable(t.String()),
  actor: Nullable(UserRef),
  at: Timestamp,
});
export const VersionSummary = t.Object({
  id: t.String(),
  tool_id: t.String(),
  number: t.Integer(),
  state: VersionState,
  parent_version_id: Nullable(t.String()),
  created_at: Timestamp,
  created_by: Nullable(UserRef),
  note: Nullable(t.String()),
  events: t.Array(ReviewEvent),
});
export const Version = t.Composite([
  VersionSummary,
  t.Object({
    source: t.String(),
    entrypoint: t.String(),
    input_schema: t.Array(t.Unknown()),
    settings_schema: Nullable(t.Array(t.Unknown())),
    usage_instructions: t.String(),
  }),
]);
export const VersionListResponse = t.Object({ items: t.Array(VersionSummary), head_version_id: Nullable(t.String()), active_version_id: Nullable(t.String()) });

/** The editor buffer; sizes are checked by the rules with a message that says what to do. */
const contentFields = {
  source: t.String({ maxLength: 4 * 1024 * 1024, description: "tool.py" }),
  entrypoint: t.String({ maxLength: 200, default: "run_tool" }),
  input_schema: t.Unknown({ description: "Array of input fields (JSON value)" }),
  settings_schema: t.Unknown({ description: "Array of settings fields, or null" }),
  usage_instructions: t.String({ maxLength: 256 * 1024, description: "Markdown" }),
};
export const ContentBody = t.Object(contentFields);
export const SaveDraftBody = t.Object({
  ...contentFields,
  parent_version_id: Nullable(t.String({ maxLength: 64 })),
  note: t.Optional(t.String({ maxLength: 4000 })),
});
export const SaveDraftResponse = t.Object({ created: t.Boolean(), version: Version });
const ProblemList = t.Array(t.Object({ path: t.String(), message: t.String() }));
export const ValidateResponse = t.Object({ ok: t.Boolean(), problems: ProblemList });

export const LockResponse = t.Object({ lock: Nullable(LockView) });
export const AcquiredLockResponse = t.Object({ lock: LockView });
export const AcquireLockBody = t.Optional(t.Object({ take_over: t.Optional(t.Boolean()) }));

export const SnapshotResponse = t.Object({ snapshot_id: t.String(), settings_schema: Nullable(t.Array(t.Unknown())) });
export const SandboxRunBody = t.Object({
  snapshot_id: Id,
  files: t.Optional(t.Files({ description: "Uploads for the tool's file field (0..n)" })),
  inputs: t.Optional(t.Unknown({ description: "JSON text of the form values" })),
  session_files_mode: t.Optional(t.Union([t.Literal("none"), t.Literal("reuse"), t.Literal("clear")])),
});
export const SandboxActionBody = t.Object({
  snapshot_id: Id,
  action_id: t.String({ minLength: 1, maxLength: 64 }),
  input: t.Optional(t.Unknown()),
  expected_state_rev: t.Integer({ minimum: 0 }),
});
export const RunAccepted = t.Object({ run_id: t.String() });
export const SandboxSettingsQuery = t.Object({ snapshot_id: Id });
export const SandboxSettingsBody = t.Object({ snapshot_id: Id, values: t.Record(t.String(), t.Unknown()), expected_rev: t.Integer({ minimum: 0 }) });
export const SettingsResponse = t.Object({
  schema: Nullable(t.Array(t.Record(t.String(), t.Unknown()))),
  values: t.Record(t.String(), t.Unknown()),
  rev: t.Integer(),
});

export const NoteBody = t.Optional(t.Object({ note: t.Optional(t.String({ maxLength: 4000 })) }));
export const RequestChangesBody = t.Object({ message: t.String({ minLength: 1, maxLength: 4000 }) });
export const ReviewListResponse = t.Object({ items: t.Array(t.Object({ tool: t.Object({ id: t.String(), slug: t.String(), title: t.String() }), version: VersionSummary })) });

const SuggestionStatus = t.Union([t.Literal("pending"), t.Literal("accepted"), t.Literal("denied")]);
export const Suggestion = t.Object({
  id: t.String(),
  title: t.String(),
  description: t.String(),
  professions: t.Array(t.String()),
  categories: t.Array(t.String()),
  status: SuggestionStatus,
  suggested_by: UserRef,
  created_at: Timestamp,
  tool_id: Nullable(t.String()),
  decisions: t.Array(
    t.Object({ decision: t.Union([t.Literal("accepted"), t.Literal("denied")]), rationale: Nullable(t.String()), decided_by: Nullable(UserRef), decided_at: Timestamp }),
  ),
});
export const SuggestionBody = t.Object({
  title: t.String({ minLength: 1, maxLength: 200 }),
  description: t.String({ minLength: 1, maxLength: 4000 }),
  professions: t.Optional(TagList),
  categories: t.Optional(TagList),
});
export const SuggestionListQuery = t.Object({ status: t.Optional(SuggestionStatus) });
export const SuggestionListResponse = t.Object({ items: t.Array(Suggestion) });
export const AcceptBody = t.Optional(t.Object({ slug: t.Optional(t.String({ maxLength: 200 })) }));
export const AcceptResponse = t.Object({ suggestion: Suggestion, tool: ToolDetail });
export const DenyBody = t.Object({ rationale: t.String({ maxLength: 4000 }) });
