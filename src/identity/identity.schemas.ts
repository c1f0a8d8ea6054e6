// Request and response schemas of the identity API (TypeBox through Elysia's `t`). They validate
// input, document the API in OpenAPI and type the UI's client.
import { t, type Static } from "elysia";
import type { Role } from "./roles.rules";
import type { LoginOutcome } from "./login-events.repository";

const Email = t.String({ minLength: 1, maxLength: 320, description: "E-mail address (compared case-insensitively)" });
// Upper bounds keep argon2 from hashing megabytes; the policy (min length etc.) is checked in the service.
const Password = t.String({ minLength: 1, maxLength: 1024 });
const Name = t.String({ maxLength: 100 });
const Token = t.String({ minLength: 1, maxLength: 128, description: "The token from the e-mailed link" });
const LocaleOrNull = t.Union([t.Literal("sv"), t.Literal("en"), t.Null()]);
// Enumerations are spelled as unions of literals, not t.UnionEnum: Elysia 1.4 fills an absent
// optional UnionEnum with its first value, so `PATCH {active:false}` would also set role "user".
export const RoleSchema = t.Union([t.Literal("user"), t.Literal("contributor"), t.Literal("admin"), t.Literal("superuser")]);

export const UserSchema = t.Object({
  id: t.String(),
  email: t.String(),
  role: RoleSchema,
  active: t.Boolean(),
  email_verified: t.Boolean(),
  first_name: t.String(),
  last_name: t.String(),
  locale: LocaleOrNull,
  created_at: t.String({ format: "date-time" }),
  last_login_at: t.Union([t.String({ format: "date-time" }), t.Null()]),
});
export const UserEnvelope = t.Object({ user: UserSchema });
export const Empty = t.Object({});

export const MetaResponse = t.Object({
  default_locale: t.Union([t.Literal("sv"), t.Literal("en")]),
  registration: t.Union([t.Literal("closed"), t.Literal("open"), t.Literal("domains")]),
  allowed_domains: t.Array(t.String()),
  version: t.String(),
  max_upload_mb: t.Number({ description: "[storage] max_upload_mb: the most one run's uploads may weigh together" }),
  max_upload_files: t.Integer({ description: "[storage] max_upload_files: the most files one run may take" }),
  ai_enabled: t.Boolean({ description: "[ai] enabled: show the AI features (semantic search, editor assistant, admin AI page)" }),
  sso: t.Object({
    providers: t.Array(t.Object({ id: t.String(), label: t.String(), login_url: t.String() }), { description: "One login button each" }),
    local_login: t.Union([t.Literal("everyone"), t.Literal("admins")], { description: "[sso] local_login: who may still log in with a password" }),
  }),
});
export const CsrfResponse = t.Object({ csrf_token: t.String() });
export const LoginBody = t.Object({ email: Email, password: Password });
export const LoginResponse = t.Object({ user: UserSchema, csrf_token: t.String() });
export const RegisterBody = t.Object({
  email: Email,
  password: Password,
  first_name: Name,
  last_name: Name,
  locale: t.Optional(LocaleOrNull),
});
export const RegisterResponse = t.Object({ verification_required: t.Boolean() });
export const TokenBody = t.Object({ token: Token });
export const EmailBody = t.Object({ email: Email });
export const ResetPasswordBody = t.Object({ token: Token, password: Password });
export const ProfilePatchBody = t.Object({ first_name: t.Optional(Name), last_name: t.Optional(Name), locale: t.Optional(LocaleOrNull) });
export const ChangePasswordBody = t.Object({ current_password: Password, new_password: Password });

const PageNumber = t.Number({ minimum: 1, maximum: 1_000_000, default: 1 });
const PageSize = t.Number({ minimum: 1, maximum: 100, default: 25 });
export const UserListQuery = t.Object({
  q: t.Optional(t.String({ maxLength: 200, description: "Matches e-mail, first, last and full name" })),
  role: t.Optional(RoleSchema),
  page: t.Optional(PageNumber),
  page_size: t.Optional(PageSize),
});
export const PageQuery = t.Object({ page: t.Optional(PageNumber), page_size: t.Optional(PageSize) });
export const IdParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) });
export const AccountPatchBody = t.Object({ role: t.Optional(RoleSchema), active: t.Optional(t.Boolean()) });

const paged = <T extends Parameters<typeof t.Array>[0]>(item: T) =>
  t.Object({ items: t.Array(item), total: t.Integer(), page: t.Integer(), page_size: t.Integer() });
export const UserListResponse = paged(UserSchema);
export const LoginEventSchema = t.Object({
  id: t.String(),
  outcome: t.Union([
    t.Literal("success"),
    t.Literal("bad_password"),
    t.Literal("unknown_user"),
    t.Literal("locked"),
    t.Literal("inactive"),
    t.Literal("unverified"),
    t.Literal("sso_success"),
    t.Literal("sso_denied"),
    t.Literal("password_login_disabled"),
  ]),
  ip: t.Union([t.String(), t.Null()]),
  user_agent: t.Union([t.String(), t.Null()]),
  created_at: t.String({ format: "date-time" }),
});
export const LoginEventListResponse = paged(LoginEventSchema);
export const GeneratedPasswordResponse = t.Object({ password: t.String() });

// The literal lists above are written out; these fail to compile when they drift from the types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const schemaTypesMatch: [Same<Static<typeof RoleSchema>, Role>, Same<Static<typeof LoginEventSchema>["outcome"], LoginOutcome>] = [true, true];
