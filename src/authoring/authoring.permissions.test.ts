// Who may call every authoring route: a table of route × actor, where the actors are the roles plus
// the maintainer status that matters (a contributor who maintains the tool, one who does not). Each
// row runs against a fresh tool, version, snapshot and suggestion, so an allowed call really
// succeeds (its exact status is asserted) and a refused one fails for the right reason (its code).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Permission, Role } from "../identity/roles.rules";
import { checkPermission } from "../identity/roles.rules";
import type { ApiResponse, Browser } from "../identity/test-app";
import type { VersionState } from "../tools/tools.rules";
import { contentHash } from "../tools/tools.rules";
import { CONTENT, createAuthoringTestApp, runForm, type Actor, type AuthoringTestApp } from "./authoring.test-app";

const ACTORS: Actor[] = ["anonymous", "user", "contributor", "maintainer", "admin", "superuser"];
const A = "/api/v1/authoring";

type Fixture = { toolId: string; slug: string; versionId: string; snapshotId: string; suggestionId: string; n: number };

type Row = {
  method: string;
  /** As registered (":tool_id" etc.). */
  path: string;
  permission: Permission;
  /** editor: maintainer-or-admin (403 authoring.not_maintainer); owner: the suggester or an admin (404 for others). */
  scope: "editor" | "owner" | "any";
  /** The state the fixture's version is put in first. */
  versionState?: VersionState;
  body?: (f: Fixture) => unknown;
  form?: (f: Fixture) => FormData;
  query?: (f: Fixture) => string;
  /** The status of an allowed call. */
  ok: number;
  /** The error code of an allowed call that fails past the access checks. */
  okCode?: string;
};

const content = { ...CONTENT, settings_schema: [{ kind: "string", name: "sign", label: "Signatur" }] };

const ROWS: Row[] = [
  { method: "GET", path: "/tools", permission: "contributor", scope: "any", ok: 200 },
  { method: "GET", path: "/tools/by-slug/:slug", permission: "contributor", scope: "editor", ok: 200 },
  { method: "GET", path: "/tools/:tool_id", permission: "contributor", scope: "editor", ok: 200 },
  { method: "POST", path: "/tools", permission: "admin", scope: "any", body: (f) => ({ slug: `ny-${f.n}`, title: "Nytt" }), ok: 201 },
  { method: "PATCH", path: "/tools/:tool_id", permission: "admin", scope: "any", body: () => ({ title: "Ändrad" }), ok: 200 },
  { method: "PUT", path: "/tools/:tool_id/published", permission: "admin", scope: "any", body: () => ({ published: false }), ok: 200 },
  { method: "POST", path: "/tools/:tool_id/maintainers", permission: "admin", scope: "any", body: () => ({ email: "admin@skola.se" }), ok: 200 },
  { method: "DELETE", path: "/tools/:tool_id/maintainers/:user_id", permission: "admin", scope: "any", ok: 200 },
  { method: "GET", path: "/tools/:tool_id/versions", permission: "contributor", scope: "editor", ok: 200 },
  { method: "GET", path: "/tools/:tool_id/versions/:version_id", permission: "contributor", scope: "editor", ok: 200 },
  {
    method: "POST",
    path: "/tools/:tool_id/versions",
    permission: "contributor",
    scope: "editor",
    body: (f) => ({ ...content, usage_instructions: "Ändrad", parent_version_id: f.versionId }),
    ok: 201,
  },
  { method: "POST", path: "/tools/:tool_id/validate", permission: "contributor", scope: "editor", body: () => content, ok: 200 },
  { method: "GET", path: "/tools/:tool_id/lock", permission: "contributor", scope: "editor", ok: 200 },
  { method: "POST", path: "/tools/:tool_id/lock", permission: "contributor", scope: "editor", body: () => ({}), ok: 200 },
  { method: "POST", path: "/tools/:tool_id/lock/heartbeat", permission: "contributor", scope: "editor", ok: 200 },
  { method: "DELETE", path: "/tools/:tool_id/lock", permission: "contributor", scope: "editor", ok: 204 },
  { method: "POST", path: "/tools/:tool_id/versions/:version_id/submit", permission: "contributor", scope: "editor", versionState: "draft", body: () => ({ note: "Klar" }), ok: 200 },
  { method: "POST", path: "/tools/:tool_id/versions/:version_id/publish", permission: "admin", scope: "any", versionState: "in_review", body: () => ({}), ok: 200 },
  {
    method: "POST",
    path: "/tools/:tool_id/versions/:version_id/request-changes",
    permission: "admin",
    scope: "any",
    versionState: "in_review",
    body: () => ({ message: "Rätta" }),
    ok: 200,
  },
  { method: "POST", path: "/tools/:tool_id/versions/:version_id/rollback", permission: "superuser", scope: "any", versionState: "archived", body: () => ({}), ok: 200 },
  { method: "GET", path: "/reviews", permission: "admin", scope: "any", ok: 200 },
  { method: "POST", path: "/tools/:tool_id/sandbox/snapshots", permission: "contributor", scope: "editor", body: () => content, ok: 201 },
  {
    method: "POST",
    path: "/tools/:tool_id/sandbox/runs",
    permission: "contributor",
    scope: "editor",
    form: (f) => runForm({ title: "Åk 9" }, [], { snapshot_id: f.snapshotId }),
    ok: 202,
  },
  // No sandbox run has written state yet, so an allowed caller gets past access to the state check.
  {
    method: "POST",
    path: "/tools/:tool_id/sandbox/actions",
    permission: "contributor",
    scope: "editor",
    body: (f) => ({ snapshot_id: f.snapshotId, action_id: "vidare", expected_state_rev: 0 }),
    ok: 409,
    okCode: "runs.state_conflict",
  },
  { method: "GET", path: "/tools/:tool_id/sandbox/settings", permission: "contributor", scope: "editor", query: (f) => `?snapshot_id=${f.snapshotId}`, ok: 200 },
  {
    method: "PUT",
    path: "/tools/:tool_id/sandbox/settings",
    permission: "contributor",
    scope: "editor",
    body: (f) => ({ snapshot_id: f.snapshotId, values: { sign: "AB" }, expected_rev: 0 }),
    ok: 200,
  },
  { method: "POST", path: "/suggestions", permission: "contributor", scope: "any", body: () => ({ title: "Förslag", description: "Gör något" }), ok: 201 },
  { method: "GET", path: "/suggestions", permission: "contributor", scope: "any", ok: 200 },
  { method: "GET", path: "/suggestions/:suggestion_id", permission: "contributor", scope: "owner", ok: 200 },
  { method: "POST", path: "/suggestions/:suggestion_id/accept", permission: "admin", scope: "any", body: () => ({}), ok: 200 },
  { method: "POST", path: "/suggestions/:suggestion_id/deny", permission: "admin", scope: "any", body: () => ({ rationale: "Finns redan" }), ok: 200 },
];

function roleOf(actor: Actor): Role | null {
  if (actor === "anonymous") return null;
  return actor === "maintainer" ? "contributor" : actor;
}

/** The status and error code the table expects for an actor. */
function expected(row: Row, actor: Actor): { status: number; code?: string } {
  const verdict = checkPermission(row.permission, roleOf(actor));
  if (verdict === "anonymous") return { status: 401, code: "auth.required" };
  if (verdict === "forbidden") return { status: 403, code: "auth.forbidden" };
  if (row.scope === "editor" && actor === "contributor") return { status: 403, code: "authoring.not_maintainer" };
  if (row.scope === "owner" && actor === "contributor") return { status: 404, code: "authoring.suggestion_not_found" };
  return { status: row.ok, code: row.okCode };
}

describe("authoring route permissions (role × maintainer status)", () => {
  let t: AuthoringTestApp;
  const browsers = new Map<Actor, Browser>();
  let n = 0;

  beforeAll(async () => {
    t = await createAuthoringTestApp("sqlite");
    for (const actor of ACTORS) browsers.set(actor, await t.as(actor));
  });
  afterAll(async () => t?.close());

  /** A tool maintained by the seeded contributor, one version in `state`, a sandbox snapshot and a suggestion by the maintainer. */
  async function fixture(state: VersionState): Promise<Fixture> {
    const i = ++n;
    const now = new Date();
    const tool = (await t.deps.tools.create({ slug: `perm-${i}`, title: `Perm ${i}`, summary: "", professions: [], categories: [], now }))!;
    await t.deps.authoring.addMaintainer(tool.id, t.users.contributor, now);
    const stored = { source: content.source, entrypoint: content.entrypoint, input_schema: content.input_schema, settings_schema: content.settings_schema, usage_instructions: content.usage_instructions };
    const base = {
      toolId: tool.id,
      source: stored.source,
      entrypoint: stored.entrypoint,
      inputSchema: stored.input_schema,
      settingsSchema: stored.settings_schema,
      usageInstructions: stored.usage_instructions,
      contentHash: contentHash(stored),
      createdBy: t.users.contributor,
      now,
    };
    const version = await t.deps.tools.createVersion({ ...base, state, parentVersionId: null, note: null });
    const snapshot = await t.deps.tools.saveSandboxSnapshot(base);
    const suggestion = await t.deps.suggestions.create({ suggestedBy: t.users.contributor, title: `Förslag ${i}`, description: "Beskrivning", professions: [], categories: [], now });
    return { toolId: tool.id, slug: tool.slug, versionId: version.id, snapshotId: snapshot.id, suggestionId: suggestion.id, n: i };
  }

  function pathOf(row: Row, f: Fixture): string {
    const filled = row.path
      .replace(":tool_id", f.toolId)
      .replace(":slug", f.slug)
      .replace(":version_id", f.versionId)
      .replace(":suggestion_id", f.suggestionId)
      .replace(":user_id", t.users.contributor);
    return `${A}${filled}${row.query?.(f) ?? ""}`;
  }

  async function call(actor: Actor, row: Row, f: Fixture): Promise<ApiResponse> {
    const b = browsers.get(actor)!;
    const path = pathOf(row, f);
    if (row.form) return t.postForm(b, path, row.form(f));
    return b.call(row.method, path, row.method === "GET" ? undefined : row.body ? row.body(f) : undefined);
  }

  test("the table covers every authoring route", () => {
    const registered = t.app.routes
      .filter((r) => r.path.startsWith(A))
      .map((r) => `${r.method} ${r.path.slice(A.length)}`)
      .sort();
    expect(ROWS.map((r) => `${r.method} ${r.path}`).sort()).toEqual(registered);
  });

  for (const row of ROWS) {
    for (const actor of ACTORS) {
      const want = expected(row, actor);
      test(`${row.method} ${row.path} as ${actor} → ${want.status}${want.code ? ` ${want.code}` : ""}`, async () => {
        const f = await fixture(row.versionState ?? "draft");
        const res = await call(actor, row, f);
        const code = (res.body.error as { code?: string } | undefined)?.code;
        if (res.status !== want.status) throw new Error(`got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        if (want.code) expect(code).toBe(want.code);
        else expect(code).toBeUndefined();
      });
    }
  }
});
