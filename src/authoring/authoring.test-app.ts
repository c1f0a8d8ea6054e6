// Test helper for the authoring HTTP tests: the run test app's store, users and execution deps, with
// the identity, run and authoring routes in one app, a second contributor (who maintains nothing), a
// movable clock for lock expiry, captured e-mail and a seeded taxonomy.
import { Elysia } from "elysia";
import type { EmailMessage } from "../email/mailer";
import { createRunsTestApp, runForm, type ToolSpec } from "../execution/runs.test-app";
import { runsRoutes } from "../execution/runs.routes";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { identityRoutes } from "../identity/identity.routes";
import { resolveSession } from "../identity/sessions.service";
import { Browser, emailOf, PASSWORDS, type ApiResponse } from "../identity/test-app";
import type { Role } from "../identity/roles.rules";
import { createUser } from "../identity/users.service";
import type { TestStoreKind } from "../store/test-db";
import { createAuthoringDeps } from "./authoring.deps";
import { authoringRoutes } from "./authoring.routes";

export const OTHER_CONTRIBUTOR = "contributor2@skola.se";
export const OTHER_PASSWORD = "Andra-bidragsgivaren-5";
export type Actor = Role | "maintainer" | "anonymous";

export const STARTER_SOURCE = "def run_tool(input_dir, output_dir):\n    return 'hej'\n";
export const CONTENT = {
  source: STARTER_SOURCE,
  entrypoint: "run_tool",
  input_schema: [{ kind: "string", name: "title", label: "Titel" }],
  settings_schema: null,
  usage_instructions: "Skriv en titel.",
};

export type AuthoringTestApp = Awaited<ReturnType<typeof createAuthoringTestApp>>;

export async function createAuthoringTestApp(kind: TestStoreKind) {
  const runs = await createRunsTestApp(kind);
  const mail: EmailMessage[] = [];
  let offsetMs = 0;
  const deps = createAuthoringDeps({
    store: runs.store,
    execution: runs.exec,
    users: runs.deps.users,
    mailer: { send: async (m) => void mail.push(m) },
    log: runs.deps.log,
    publicUrl: "https://skriptoteket.skola.se/",
    now: () => new Date(Date.now() + offsetMs),
  });
  const ctx = httpContext({ trustProxy: false, defaultLocale: "sv", resolveSession: resolveSession(runs.deps), authRateLimiter: createRateLimiter({ limit: 100_000 }) });
  const app = new Elysia()
    .use(errorHandler({ log: runs.deps.log, defaultLocale: "sv" }))
    .use(ctx)
    .use(identityRoutes(ctx, runs.deps))
    .use(runsRoutes(ctx, runs.exec))
    .use(authoringRoutes(ctx, deps));
  const other = await createUser(runs.deps, { email: OTHER_CONTRIBUTOR, role: "contributor", password: OTHER_PASSWORD, firstName: "Bo", lastName: "Andersson", actor: { kind: "cli" } });
  await deps.taxonomy.create("professions", { slug: "larare", labelSv: "Lärare", labelEn: "Teacher" });
  await deps.taxonomy.create("categories", { slug: "betyg", labelSv: "Betyg", labelEn: "Grades" });

  async function login(email: string, password: string): Promise<Browser> {
    const b = new Browser(app);
    const res = await b.post("/api/v1/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`login as ${email}: ${res.status}`);
    return b;
  }

  return {
    ...runs,
    app,
    deps,
    mail,
    users: { ...runs.users, other: other.user.id },
    /** Moves the authoring clock (lock expiry) forward. */
    advance(seconds: number) {
      offsetMs += seconds * 1000;
    },
    /** role → that seeded user; "maintainer" → the seeded contributor; "contributor" → a contributor who maintains nothing. */
    async as(actor: Actor): Promise<Browser> {
      if (actor === "anonymous") return new Browser(app);
      if (actor === "contributor") return login(OTHER_CONTRIBUTOR, OTHER_PASSWORD);
      const role: Role = actor === "maintainer" ? "contributor" : actor;
      return login(emailOf(role), PASSWORDS[role]);
    },
    /** A tool created by the admin API, with the seeded contributor as maintainer. */
    async newTool(admin: Browser, slug: string): Promise<string> {
      const created = await admin.post("/api/v1/authoring/tools", { slug, title: `Verktyg ${slug}`, summary: "Test" });
      if (created.status !== 201) throw new Error(`create tool: ${created.status} ${JSON.stringify(created.body)}`);
      const id = String(created.body.id);
      await deps.authoring.addMaintainer(id, runs.users.contributor, new Date());
      return id;
    },
    async postForm(browser: Browser, path: string, form: FormData): Promise<ApiResponse> {
      if (browser.csrf === null) await browser.refreshCsrf();
      const headers: Record<string, string> = { "x-csrf-token": browser.csrf ?? "" };
      if (browser.jar.size) headers.cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await app.handle(new Request(`http://localhost${path}`, { method: "POST", headers, body: form }));
      const text = await res.text();
      const body = (res.headers.get("content-type") ?? "").includes("json") && text ? (JSON.parse(text) as Record<string, unknown>) : {};
      return { status: res.status, body, headers: res.headers, cookies: {} };
    },
    addImportedTool: (spec: ToolSpec) => runs.addTool(spec),
    /** Audit actions about one target, oldest first. */
    async auditActions(targetId: string): Promise<string[]> {
      return (await deps.audit.list({ targetId })).map((e) => e.action);
    },
  };
}

export { runForm };
