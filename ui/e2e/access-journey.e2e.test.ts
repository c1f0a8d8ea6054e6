// Access in a real browser against the BUILT binary: a teacher creates an API key, sees it once, uses
// it from curl and revokes it (curl then gets 401); an admin limits a tool to a group (hidden from a
// non-member until added), filters the audit log and opens a before/after diff; the device page
// confirms a command-line login. axe on every page, no CSP violation, usable at 320 px.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { BINARY, startServer, type RunningServer } from "../../scripts/e2e/server";

const TOOLS = join(import.meta.dir, "tools");
const TEACHER = { email: "larare@skola.se", password: "Rodbetor-och-kalops-7", role: "user" as const };
const ADMIN = { email: "it@skola.se", password: "Serverhallen-i-kallaren-3", role: "admin" as const };
const LIMITED = { slug: "e2e-narvaro", title: "Närvaro steg för steg" };

let server: RunningServer;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  await server.createUser(TEACHER);
  await server.createUser(ADMIN);
  const dirs = ["e2e-poang", LIMITED.slug].map((d) => join(TOOLS, d));
  const cli = Bun.spawn([BINARY, "tool", "import", ...dirs, "--publish", "--config", server.configPath], { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([cli.exited, new Response(cli.stdout).text(), new Response(cli.stderr).text()]);
  if (code !== 0) throw new Error(`tool import failed (${code}): ${out}${err}`);
  browser = await openBrowser(server.url);
  page = browser.page;
  browser.allowHttpError("GET", "/api/v1/auth/me", 401);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

async function expectAxeClean(where: string) {
  expect({ where, violations: await browser.axe() }).toEqual({ where, violations: [] });
}

async function expectFitsNarrowScreen(where: string) {
  await page.setViewportSize({ width: 320, height: 800 });
  const width = await page.evaluate<number>("document.documentElement.scrollWidth");
  await page.setViewportSize({ width: 1280, height: 900 });
  expect({ where, width }).toEqual({ where, width: 320 });
}

/** A fresh login through the login form, landing on `path`. */
async function logInAs(user: { email: string; password: string }, path: string) {
  await browser.context.clearCookies();
  await page.goto(`${server.url}/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel("E-postadress").fill(user.email);
  await page.getByLabel("Lösenord", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL(`${server.url}${path}`);
}

/** `curl` from outside the browser: status and body. */
async function curl(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const args = ["curl", "-s", "-w", "\n%{http_code}", ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]), `${server.url}${path}`];
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const cut = out.lastIndexOf("\n");
  return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
}

const catalogSlugs = () =>
  page.evaluate(async () => ((await (await fetch("/api/v1/catalog/tools")).json()) as { items: { slug: string }[] }).items.map((i) => i.slug));

test(
  "a teacher creates an API key, sees it once, uses it from curl and revokes it",
  async () => {
    await logInAs(TEACHER, "/profile/api-keys");
    await page.getByRole("heading", { level: 1, name: "API-nycklar" }).waitFor();
    await expectAxeClean("api keys (empty)");

    await page.getByLabel("Namn").fill("Betygsskript");
    // the Web Awesome checkbox's styled box covers its native input: use the keyboard, as many people do
    await page.getByRole("checkbox", { name: /Läsa verktyg/ }).focus();
    await page.keyboard.press("Space");
    expect(await page.getByRole("checkbox", { name: /Läsa verktyg/ }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Skapa nyckel" }).click();
    await page.getByRole("heading", { name: "Din nya nyckel ”Betygsskript”" }).waitFor();
    const secret = await page.locator("sk-secret-once input").first().inputValue();
    expect(secret).toMatch(/^skt_/);
    await expectAxeClean("api keys (secret shown once)");

    const used = await curl("/api/v1/catalog/tools", { Authorization: `Bearer ${secret}` });
    expect(used.status).toBe(200);
    expect((JSON.parse(used.body) as { items: { slug: string }[] }).items.map((i) => i.slug).sort()).toEqual(["e2e-narvaro", "e2e-poang"]);
    // a scope the key lacks
    expect((await curl("/api/v1/runs", { Authorization: `Bearer ${secret}` })).status).toBe(403);

    // once: after a reload the secret is nowhere on the page, and the key shows its last use
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "API-nycklar" }).waitFor();
    const row = page.locator("tr", { hasText: "Betygsskript" });
    await row.waitFor();
    expect(await page.locator("sk-secret-once").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await row.locator("[data-last-used]").textContent()).not.toContain("Inte använd än");
    await expectFitsNarrowScreen("api keys");

    await row.getByRole("button", { name: /Återkalla/ }).click();
    await page.locator("sk-confirm-dialog wa-dialog").getByRole("button", { name: "Återkalla" }).click();
    await page.getByText("Nyckeln ”Betygsskript” är återkallad.").waitFor();
    await row.getByText("Återkallad").waitFor();
    expect((await curl("/api/v1/catalog/tools", { Authorization: `Bearer ${secret}` })).status).toBe(401);
    browser.expectClean();
  },
  90_000,
);

test(
  "an admin limits a tool to a group: hidden from a non-member until added",
  async () => {
    await logInAs(ADMIN, "/admin/groups");
    await page.getByRole("heading", { level: 1, name: "Grupper" }).waitFor();
    await page.getByLabel("Ny grupp").fill("Matematiklärare");
    await page.getByRole("button", { name: "Skapa grupp" }).click();
    await page.getByRole("heading", { level: 2, name: "Matematiklärare" }).waitFor();
    await page.getByLabel("Verktyg (kortadress)").fill(LIMITED.slug);
    await page.getByRole("button", { name: "Begränsa till gruppen" }).click();
    await page.getByText(`”${LIMITED.slug}” är nu begränsat till ”Matematiklärare”.`).waitFor();
    await page.getByRole("link", { name: LIMITED.title }).waitFor();
    // a rename for the audit log test below
    await page.getByLabel("Namn", { exact: true }).fill("Matte åk 7–9");
    await page.getByRole("button", { name: "Byt namn" }).click();
    await page.getByRole("heading", { level: 2, name: "Matte åk 7–9" }).waitFor();
    await expectAxeClean("groups");
    await expectFitsNarrowScreen("groups");
    const groupUrl = page.url();

    // the teacher does not see the tool, and its page is "not found"
    await logInAs(TEACHER, "/tools");
    await page.getByText("Poängsammanställning").first().waitFor();
    expect(await page.getByText(LIMITED.title).count()).toBe(0);
    expect(await catalogSlugs()).toEqual(["e2e-poang"]);
    browser.allowHttpError("GET", `/api/v1/catalog/tools/${LIMITED.slug}`, 404);
    await page.goto(`${server.url}/tools/${LIMITED.slug}`);
    await page.getByRole("alert").waitFor();
    expect(await page.evaluate(async (slug) => (await fetch(`/api/v1/catalog/tools/${slug}`)).status, LIMITED.slug)).toBe(404);

    // the admin adds the teacher; now the teacher sees it
    await logInAs(ADMIN, new URL(groupUrl).pathname + new URL(groupUrl).search);
    await page.getByLabel("E-postadress").fill(TEACHER.email);
    await page.getByRole("button", { name: "Lägg till medlem" }).click();
    await page.getByText(`${TEACHER.email} är medlem nu.`).waitFor();
    await logInAs(TEACHER, "/tools");
    await page.getByText(LIMITED.title).first().waitFor();
    expect((await catalogSlugs()).sort()).toEqual(["e2e-narvaro", "e2e-poang"]);
    browser.expectClean();
  },
  120_000,
);

test(
  "an admin sees everyone's keys, filters the audit log and opens a before/after diff",
  async () => {
    await logInAs(ADMIN, "/admin/api-keys");
    await page.getByRole("heading", { level: 1, name: "API-nycklar (alla)" }).waitFor();
    await page.getByText("Inga nycklar matchar.").waitFor(); // the only key is revoked; active ones are shown first
    await page.getByRole("combobox", { name: "Visa" }).click();
    await page.getByRole("option", { name: "Alla nycklar" }).click();
    const row = page.locator("tr", { hasText: "Betygsskript" });
    await row.getByText(TEACHER.email).waitFor();
    await row.getByText("Återkallad").waitFor();
    await expectAxeClean("admin api keys");

    await page.goto(`${server.url}/admin/audit`);
    await page.getByRole("heading", { level: 1, name: "Granskningslogg" }).waitFor();
    await page.locator("tbody tr").first().waitFor();
    await expectAxeClean("audit log");
    await expectFitsNarrowScreen("audit log");

    await page.getByRole("combobox", { name: "Händelse" }).click();
    await page.getByRole("option", { name: "group.renamed" }).click();
    await page.getByRole("button", { name: "Filtrera" }).click();
    await page.waitForURL(/\/admin\/audit\?action=group\.renamed$/);
    await page.getByText("1 händelser", { exact: true }).waitFor();
    await page.getByRole("button", { name: /^Detaljer/ }).click();
    await page.getByRole("dialog", { name: "Händelse" }).waitFor();
    // the dialog's content is slotted into wa-dialog (not inside its inner <dialog> element)
    const dialog = page.locator("sk-admin-audit-page wa-dialog");
    await dialog.locator("del", { hasText: '"name": "Matematiklärare"' }).waitFor();
    await dialog.locator("ins", { hasText: '"name": "Matte åk 7–9"' }).waitFor();
    await expectAxeClean("audit event diff");
    // the footer button (the dialog header has its own close button with the same name)
    await dialog.getByRole("button", { name: "Stäng" }).last().click();

    const csvHref = await page.getByRole("link", { name: /Ladda ner CSV/ }).getAttribute("href");
    expect(csvHref).toBe("/api/v1/admin/audit.csv?action=group.renamed");
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref ?? "");
    expect(csv).toContain("group.renamed");
    expect(csv).not.toContain("group.created");
    browser.expectClean();
  },
  90_000,
);

test(
  "the device page confirms a command-line login",
  async () => {
    // the CLI's side, from outside the browser: start a flow with a pre-session CSRF token
    const csrfRes = await fetch(`${server.url}/api/v1/auth/csrf`);
    const cookie = (csrfRes.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    const { csrf_token } = (await csrfRes.json()) as { csrf_token: string };
    const started = await fetch(`${server.url}/api/v1/auth/device/start`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf_token, cookie },
      body: JSON.stringify({ client_name: "skriptoteket CLI på labbdatorn" }),
    });
    expect(started.status).toBe(200);
    const flow = (await started.json()) as { device_code: string; user_code: string; verification_uri_complete: string };

    await logInAs(TEACHER, "/profile");
    await page.goto(flow.verification_uri_complete);
    await page.getByRole("heading", { level: 1, name: "Bekräfta inloggning från terminalen" }).waitFor();
    await page.getByText("”skriptoteket CLI på labbdatorn” ber om åtkomst till ditt konto.").waitFor();
    expect(await page.locator("[data-user-code]").textContent()).toBe(flow.user_code);
    await expectAxeClean("device confirmation");
    await expectFitsNarrowScreen("device confirmation");
    await page.getByRole("button", { name: "Tillåt" }).click();
    await page.getByText("Klart. Gå tillbaka till terminalen").waitFor();

    const poll = await fetch(`${server.url}/api/v1/auth/device/poll`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf_token, cookie },
      body: JSON.stringify({ device_code: flow.device_code }),
    });
    const token = (await poll.json()) as { status: string; access_token: string; scopes: string[] };
    expect(token).toMatchObject({ status: "approved", scopes: ["tools:read", "runs:read", "runs:write"] });
    expect((await curl("/api/v1/catalog/tools", { Authorization: `Bearer ${token.access_token}` })).status).toBe(200);
    browser.expectClean();
  },
  90_000,
);
