// Single sign-on end to end in Chromium against the BUILT binary and a real OpenID Connect provider
// (oidc-provider on 127.0.0.1, src/identity/oidc.test-provider.ts): the login page's button, the
// provider's login form, the way back with a new account; and a denied e-mail domain, which lands on
// the login page with a translated reason. axe-clean, no CSP violation, usable at 320 px.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { startServer, type RunningServer } from "../../scripts/e2e/server";
import { startTestOidcProvider, TEST_CLIENT_ID, TEST_CLIENT_SECRET, type TestOidcProvider } from "../../src/identity/oidc.test-provider";

let server: RunningServer;
let op: TestOidcProvider;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  op = await startTestOidcProvider({ accounts: [{ email: "anna.ek@skola.se", givenName: "Anna", familyName: "Ek" }] });
  server = await startServer({
    sso: { allowed_domains: ["skola.se"] },
    oidc_1: { issuer: op.issuer, client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, label: "Skolans konto" },
  });
  // the server's address is known only now
  op.setRedirectUris([`${server.url}/api/v1/auth/oidc/1/callback`]);
  browser = await openBrowser(server.url);
  page = browser.page;
  browser.allowHttpError("GET", "/api/v1/auth/me", 401);
  // The test provider's own login page (not ours) asks for a favicon it lacks and links a web font:
  // answer the font locally, so nothing leaves the machine, and ignore just that page's font request below.
  browser.allowHttpError("GET", "/favicon.ico", 404);
  await browser.context.route(/^https:\/\/fonts\.googleapis\.com\//, (route) => route.fulfill({ status: 200, contentType: "text/css", body: "" }));
}, 60_000);

/** Problems seen in the browser, except the provider page's font request (see beforeAll). */
function expectCleanApartFromProviderFont() {
  const font = /^console error: request to another origin: https:\/\/fonts\.googleapis\.com\//;
  for (let i = browser.problems.length - 1; i >= 0; i--) if (font.test(browser.problems[i] ?? "")) browser.problems.splice(i, 1);
  browser.expectClean();
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await op?.close();
}, 30_000);

async function loginAtProvider(email: string) {
  await page.locator("input[name=login]").waitFor();
  await page.locator("input[name=login]").fill(email);
  await page.locator("input[name=password]").fill("any password works here");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test(
  "a teacher logs in with the school account: the account is created and the deep link is kept",
  async () => {
    await page.goto(`${server.url}/runs`);
    await page.waitForURL(`${server.url}/login?next=%2Fruns`);
    const button = page.getByRole("link", { name: "Logga in med Skolans konto" });
    await button.waitFor();
    expect({ where: "login with sso", violations: await browser.axe() }).toEqual({ where: "login with sso", violations: [] });

    await button.click();
    await page.waitForURL((u) => u.origin === op.issuer);
    await loginAtProvider("anna.ek@skola.se");
    await page.waitForURL(`${server.url}/runs`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    const me = await page.evaluate(async () => (await fetch("/api/v1/auth/me")).json() as Promise<{ user: unknown }>);
    expect(me.user).toMatchObject({ email: "anna.ek@skola.se", role: "user", first_name: "Anna", last_name: "Ek" });
    expectCleanApartFromProviderFont();
  },
  60_000,
);

test(
  "an address from another domain is refused with a clear reason on the login page",
  async () => {
    // A fresh start: app and provider run on the same host (cookies do not separate ports), so this
    // ends both the app's session and the provider's, and the provider asks for a login again.
    await browser.context.clearCookies();
    await page.setViewportSize({ width: 320, height: 720 });
    await page.goto(`${server.url}/login`);
    await page.getByRole("link", { name: "Logga in med Skolans konto" }).click();
    await page.waitForURL((u) => u.origin === op.issuer);
    await loginAtProvider("eve@gmail.com");
    await page.waitForURL(`${server.url}/login?sso_error=sso.domain_not_allowed`);
    const alert = page.getByRole("alert");
    await alert.getByText("Konton med den e-postdomänen får inte logga in här").waitFor();
    // still logged out, and usable at 320 px: nothing wider than the screen
    expect(await page.evaluate(async () => (await fetch("/api/v1/auth/me")).status)).toBe(401);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    expect({ where: "login with sso error", violations: await browser.axe() }).toEqual({ where: "login with sso error", violations: [] });
    expectCleanApartFromProviderFont();
  },
  60_000,
);
