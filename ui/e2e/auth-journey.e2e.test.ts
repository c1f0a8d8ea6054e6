// The foundation journey in a real browser against the BUILT binary (dist/skriptoteket, see
// scripts/build.sh): deep link → login → language switch → profile names → password change →
// logout/login with the new password; a superuser changes the teacher's role; axe on every page;
// no request to another origin, no CSP violation, no console error.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { startServer, type RunningServer } from "../../scripts/e2e/server";

const TEACHER = { email: "larare@skola.se", password: "Rodbetor-och-kalops-7", role: "user" as const };
const NEW_PASSWORD = "Blabarssoppa-i-vasa-42";
const SUPERUSER = { email: "rektor@skola.se", password: "Skolgarden-i-oktober-9", role: "superuser" as const };

let server: RunningServer;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  await server.createUser(TEACHER);
  await server.createUser(SUPERUSER);
  browser = await openBrowser(server.url);
  page = browser.page;
  // Before login the UI asks who is logged in; 401 is the documented answer.
  browser.allowHttpError("GET", "/api/v1/auth/me", 401);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

const h1 = () => page.getByRole("heading", { level: 1 });

async function expectHeading(text: string) {
  await page.getByRole("heading", { level: 1, name: text, exact: true }).waitFor();
}

async function expectAxeClean(where: string) {
  expect({ where, violations: await browser.axe() }).toEqual({ where, violations: [] });
}

/** GET from the API with the browser's own session cookie. */
function apiGet<T>(path: string): Promise<T> {
  return page.evaluate(async (p) => (await fetch(p, { headers: { Accept: "application/json" } })).json() as Promise<T>, path);
}

async function logIn(email: string, password: string, labels: { email: string; password: string; submit: string }) {
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: labels.submit }).click();
}

const SV = { email: "E-postadress", password: "Lösenord", submit: "Logga in" };
const EN = { email: "E-mail address", password: "Password", submit: "Log in" };

test(
  "teacher: deep link, login, language, profile, password, logout, login again",
  async () => {
    const response = await page.goto(`${server.url}/profile`);
    // Every page carries the strict CSP (the browser enforces it; violations fail the test).
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.waitForURL(`${server.url}/login?next=%2Fprofile`);
    await expectHeading("Logga in");
    await expectAxeClean("login (sv)");

    await logIn(TEACHER.email, TEACHER.password, SV);
    await page.waitForURL(`${server.url}/profile`);
    await expectHeading("Profil");
    await page.locator("dd", { hasText: TEACHER.email }).waitFor();
    await expectAxeClean("profile (sv)");

    // Language: Swedish → English, saved on the account.
    const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/profile") && r.request().method() === "PATCH");
    await page.getByRole("button", { name: "English" }).click();
    expect((await saved).status()).toBe(200);
    await expectHeading("Profile");
    await page.getByRole("button", { name: "Svenska" }).waitFor();
    expect(await page.evaluate<string>("document.documentElement.lang")).toBe("en");
    expect((await apiGet<{ user: { locale: string | null } }>("/api/v1/profile")).user.locale).toBe("en");
    await expectAxeClean("profile (en)");

    // Names persist across a reload.
    await page.getByLabel("First name").fill("Lisa");
    await page.getByLabel("Last name").fill("Lärare-Ek");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Your profile has been saved.").waitFor();
    await page.reload();
    await expectHeading("Profile");
    await expect(page.getByLabel("First name").inputValue()).resolves.toBe("Lisa");
    await expect(page.getByLabel("Last name").inputValue()).resolves.toBe("Lärare-Ek");

    // Password change.
    await page.getByLabel("Current password").fill(TEACHER.password);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password has been changed.").waitFor();

    // Log out through the user menu.
    await page.getByRole("button", { name: /Lisa Lärare-Ek/ }).click();
    await page.getByRole("menuitem", { name: "Log out" }).click();
    await page.waitForURL(`${server.url}/login`);
    await expectHeading("Log in");

    // The old password no longer works; the new one does.
    browser.allowHttpError("POST", "/api/v1/auth/login", 401);
    await logIn(TEACHER.email, TEACHER.password, EN);
    await page.getByRole("alert").getByText("Wrong e-mail address or password.").waitFor();
    await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${server.url}/`);
    await expectHeading("Hello Lisa!");
    await expectAxeClean("home (en)");
    // A teacher has no administration.
    expect(await page.getByRole("link", { name: "Administration" }).count()).toBe(0);

    await page.getByRole("button", { name: /Lisa Lärare-Ek/ }).click();
    await page.getByRole("menuitem", { name: "Log out" }).click();
    await page.waitForURL(`${server.url}/login`);
    browser.expectClean();
  },
  120_000,
);

test(
  "superuser: changes the teacher's role; deep link reload; 404",
  async () => {
    // The browser remembers English from the teacher's switch; switch back to Swedish before login.
    await page.getByRole("button", { name: "Svenska" }).click();
    await expectHeading("Logga in");
    await logIn(SUPERUSER.email, SUPERUSER.password, SV);
    await page.waitForURL(`${server.url}/`);

    await page.getByRole("link", { name: "Administration" }).click();
    await page.waitForURL(`${server.url}/admin/users`);
    await expectHeading("Användare");
    await page.getByText("Träffar: 2").waitFor();
    await expectAxeClean("admin users");

    await page.getByRole("searchbox", { name: "Sök" }).fill("larare@");
    await page.waitForURL(`${server.url}/admin/users?q=larare%40`);
    await page.getByText("Träffar: 1").waitFor();
    await page.getByRole("combobox", { name: "Roll för Lisa Lärare-Ek" }).click();
    await page.getByRole("option", { name: "Bidragsgivare" }).click();
    await page.getByText("Lisa Lärare-Ek har nu rollen Bidragsgivare.").waitFor();

    // Saved on the server …
    const list = await apiGet<{ items: Array<{ id: string; email: string; role: string }> }>("/api/v1/admin/users?q=larare");
    const teacher = list.items.find((user) => user.email === TEACHER.email);
    expect(teacher?.role).toBe("contributor");
    // … and shown after a reload (the filter is in the URL).
    await page.reload();
    await page.getByText("Träffar: 1").waitFor();
    await expect(page.getByRole("combobox", { name: "Roll för Lisa Lärare-Ek" }).inputValue()).resolves.toBe("Bidragsgivare");

    // Details page: deep link survives a reload and lists the teacher's logins.
    await page.getByRole("link", { name: "Lisa Lärare-Ek" }).click();
    await page.waitForURL(`${server.url}/admin/users/${teacher?.id}`);
    await page.reload();
    await expectHeading("Lisa Lärare-Ek");
    await page.getByRole("cell", { name: "Fel lösenord" }).first().waitFor();
    await page.getByRole("cell", { name: "Inloggad" }).first().waitFor();
    await expectAxeClean("admin user");

    await page.goto(`${server.url}/finns/inte`);
    await expectHeading("Sidan finns inte");
    await expectAxeClean("not found");
    expect(await h1().count()).toBe(1);
    browser.expectClean();
  },
  120_000,
);
