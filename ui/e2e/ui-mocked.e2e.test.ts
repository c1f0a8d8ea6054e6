// The built UI (ui/dist) against an in-memory API (mock-api.ts): every page in both languages, the
// forms' error handling, the admin actions, 320 px layouts and axe — served with the product's CSP,
// failing on any request to another origin, CSP violation or console error. Needs only `vite build`;
// the journey against the real server is auth-journey.e2e.test.ts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { startUiServer, type UiServer } from "../../scripts/e2e/ui-server";
import { installMockApi, type MockApi } from "./mock-api";
import { installMockToolsApi } from "./mock-tools-api";

// Browser tests are slow on a shared 2-core machine: explicit limits (bunfig's [test] timeout is not applied).
const TEST_TIMEOUT = 90_000;
const HOOK_TIMEOUT = 30_000;

let ui: UiServer;
let browser: BrowserSession;
let mock: MockApi;
let page: Page;

beforeAll(async () => {
  ui = await startUiServer();
}, HOOK_TIMEOUT);

afterAll(() => {
  ui.stop();
});

async function open(viewport = { width: 1280, height: 900 }) {
  browser = await openBrowser(ui.url, { viewport });
  // The UI asks who is logged in at start-up; before login that is a 401 by design.
  browser.allowHttpError("GET", "/api/v1/auth/me", 401);
  mock = await installMockApi(browser.context, { extraUsers: 40 });
  // The start page lists tools (catalog API).
  await installMockToolsApi(browser.context, mock);
  page = browser.page;
}

beforeEach(async () => {
  await open();
}, HOOK_TIMEOUT);

afterEach(async () => {
  const problems = [...browser.problems];
  await browser.close();
  expect(problems).toEqual([]);
}, HOOK_TIMEOUT);

const heading = () => page.getByRole("heading", { level: 1 });

/** Waits until the page's h1 says `text` (pages show a generic heading while they load). */
async function expectHeading(text: string) {
  await page.getByRole("heading", { level: 1, name: text, exact: true }).waitFor();
}

async function expectAxeClean() {
  expect(await browser.axe()).toEqual([]);
}

async function logIn(email: string, password: string) {
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Logga in" }).click();
}

async function logInAsSuperuser(path = "/") {
  await page.goto(`${ui.url}/login?next=${encodeURIComponent(path)}`);
  await logIn("rektor@skola.se", "superhemligt-123");
  await page.waitForURL(`${ui.url}${path}`);
}

async function noHorizontalOverflow(): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth");
}

describe("logged out", () => {
  test("a deep link needing login goes to /login and back after login; the h1 gets focus", async () => {
    await page.goto(`${ui.url}/profile`);
    await page.waitForURL(`${ui.url}/login?next=%2Fprofile`);
    await expectHeading("Logga in");
    expect(await page.title()).toBe("Logga in – Skriptoteket");
    await expectAxeClean();

    browser.allowHttpError("POST", "/api/v1/auth/login", 401);
    await logIn("rektor@skola.se", "fel-losenord");
    await page.getByRole("alert").getByText("Fel e-postadress eller lösenord.").waitFor();

    await page.getByLabel("Lösenord", { exact: true }).fill("superhemligt-123");
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForURL(`${ui.url}/profile`);
    await expectHeading("Profil");
    // Focus moved to the new page's heading (inside the page's shadow root).
    await page.waitForFunction(
      `document.querySelector("sk-app").shadowRoot.querySelector("main").firstElementChild.shadowRoot.activeElement?.tagName === "H1"`,
    );
  }, TEST_TIMEOUT);

  test("register shows the allowed domains and puts the server's field error at the field", async () => {
    await page.goto(`${ui.url}/register`);
    await page.getByText("Bara adresser på @skola.se och @kommun.se kan skapa konto.").waitFor();
    await expectAxeClean();
    await page.getByLabel("Förnamn").fill("Ny");
    await page.getByLabel("Efternamn").fill("Lärare");
    await page.getByLabel("E-postadress").fill("ny@skola.se");
    await page.getByLabel("Lösenord", { exact: true }).fill("kort");
    await page.getByLabel("Upprepa lösenordet").fill("annat");
    await page.getByRole("button", { name: "Skapa konto" }).click();
    await page.getByText("Lösenorden matchar inte.").waitFor();

    browser.allowHttpError("POST", "/api/v1/auth/register", 422);
    await page.getByLabel("Upprepa lösenordet").fill("kort");
    await page.getByRole("button", { name: "Skapa konto" }).click();
    await page.getByText("Minst 12 tecken.").waitFor();
    await expectAxeClean();

    await page.getByLabel("Lösenord", { exact: true }).fill("ett-langt-losenord");
    await page.getByLabel("Upprepa lösenordet").fill("ett-langt-losenord");
    await page.getByRole("button", { name: "Skapa konto" }).click();
    await page.getByText("Kontot är skapat. Vi har skickat ett mejl till ny@skola.se").waitFor();
  }, TEST_TIMEOUT);

  test("verify-email verifies a good link and offers a new one for a bad link", async () => {
    await page.goto(`${ui.url}/verify-email?token=good-token`);
    await page.getByText("Din e-postadress är bekräftad.").waitFor();
    await expectAxeClean();

    browser.allowHttpError("POST", "/api/v1/auth/verify-email", 400);
    await page.goto(`${ui.url}/verify-email?token=used-token`);
    await page.getByText("Länken är ogiltig, har redan använts eller har gått ut.").waitFor();
    await page.getByLabel("E-postadress").fill("anna.larare@skola.se");
    await page.getByRole("button", { name: "Skicka en ny länk" }).click();
    await page.getByText("Om det finns ett obekräftat konto").waitFor();
    expect(mock.calls).toContain("POST /api/v1/auth/resend-verification");
  }, TEST_TIMEOUT);

  test("forgot and reset password", async () => {
    await page.goto(`${ui.url}/forgot-password`);
    await page.getByLabel("E-postadress").fill("anna.larare@skola.se");
    await page.getByRole("button", { name: "Skicka länk" }).click();
    await page.getByText("Om det finns ett konto med adressen anna.larare@skola.se").waitFor();
    await expectAxeClean();

    await page.goto(`${ui.url}/reset-password?token=good-token`);
    await page.getByLabel("Nytt lösenord", { exact: true }).fill("ett-nytt-losenord-1");
    await page.getByLabel("Upprepa det nya lösenordet").fill("ett-nytt-losenord-1");
    await page.getByRole("button", { name: "Spara nytt lösenord" }).click();
    await page.getByText("Lösenordet är ändrat.").waitFor();

    await page.goto(`${ui.url}/reset-password`);
    await page.getByText("Länken saknar kod.").waitFor();
  }, TEST_TIMEOUT);

  test("keyboard: the first Tab reaches the skip link, which moves focus to the main content", async () => {
    await page.goto(`${ui.url}/login`);
    await heading().waitFor();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Hoppa till huvudinnehållet" });
    await expect(skip.evaluate((el) => el === (el.getRootNode() as unknown as { activeElement: unknown }).activeElement)).resolves.toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForFunction(`document.querySelector("sk-app").shadowRoot.activeElement?.id === "main"`);
    // The next Tab continues inside the page: the e-mail field.
    await page.keyboard.press("Tab");
    await page.keyboard.type("rektor@skola.se");
    await expect(page.getByLabel("E-postadress").inputValue()).resolves.toBe("rektor@skola.se");
  }, TEST_TIMEOUT);

  test("when the server cannot be reached at start-up, the UI says so and can retry", async () => {
    browser.allowHttpError("GET", "/api/v1/meta", 503);
    let failures = 1;
    await browser.context.route("**/api/v1/meta", (route) =>
      failures-- > 0 ? route.fulfill({ status: 503, contentType: "text/plain", body: "down" }) : route.fallback(),
    );
    await page.goto(`${ui.url}/login`);
    await page.getByText("Kunde inte nå servern.").waitFor();
    await expectAxeClean();
    await page.getByRole("button", { name: "Försök igen" }).click();
    await expectHeading("Logga in");
  }, TEST_TIMEOUT);

  test("unknown paths show the 404 page", async () => {
    await page.goto(`${ui.url}/finns/inte`);
    await expectHeading("Sidan finns inte");
    await expectAxeClean();
  }, TEST_TIMEOUT);
});

describe("logged in", () => {
  test("language switch, profile names, password change and logout", async () => {
    await logInAsSuperuser("/profile");
    await expectAxeClean();

    const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/profile") && r.request().method() === "PATCH");
    await page.getByRole("button", { name: "English" }).click();
    await saved;
    await expectHeading("Profile");
    expect(await page.evaluate<string>("document.documentElement.lang")).toBe("en");
    expect(mock.users.find((u) => u.email === "rektor@skola.se")?.locale).toBe("en");
    await expectAxeClean();

    await page.getByLabel("First name").fill("Sara Maria");
    await page.getByLabel("Last name").fill("Rektorsson");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Your profile has been saved.").waitFor();
    await page.reload();
    await expect(page.getByLabel("First name").inputValue()).resolves.toBe("Sara Maria");
    await expect(page.getByLabel("Last name").inputValue()).resolves.toBe("Rektorsson");

    browser.allowHttpError("POST", "/api/v1/profile/password", 401);
    await page.getByLabel("Current password").fill("wrong-one");
    await page.getByLabel("New password", { exact: true }).fill("ett-nytt-losenord-1");
    await page.getByLabel("Repeat the new password").fill("ett-nytt-losenord-1");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Wrong e-mail address or password.").first().waitFor();
    await page.getByLabel("Current password").fill("superhemligt-123");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password has been changed.").waitFor();
    expect(mock.users.find((u) => u.email === "rektor@skola.se")?.password).toBe("ett-nytt-losenord-1");

    await page.getByRole("button", { name: /Sara Maria Rektorsson/ }).click();
    await page.getByRole("menuitem", { name: "Log out" }).click();
    await page.waitForURL(`${ui.url}/login`);
    await expectHeading("Log in");
  }, TEST_TIMEOUT);

  test("superuser: search, role change, deactivate, reset password, details, deep link reload", async () => {
    await logInAsSuperuser("/admin/users");
    await page.getByText("Träffar: 43").waitFor();
    await expectAxeClean();

    await page.getByRole("searchbox", { name: "Sök" }).fill("anna.larare");
    await page.waitForURL(`${ui.url}/admin/users?q=anna.larare`);
    await page.getByText("Träffar: 1").waitFor();

    await page.getByRole("combobox", { name: "Roll för Anna Lärare" }).click();
    await page.getByRole("option", { name: "Bidragsgivare" }).click();
    await page.getByText("Anna Lärare har nu rollen Bidragsgivare.").waitFor();
    expect(mock.users.find((u) => u.id === "u2")?.role).toBe("contributor");

    await page.getByRole("button", { name: "Inaktivera" }).click();
    // Dialog buttons are slotted into wa-dialog's shadow <dialog>: find them from the host element.
    await page.getByRole("dialog", { name: "Inaktivera användaren?" }).waitFor();
    await page.locator("sk-confirm-dialog").getByRole("button", { name: "Inaktivera" }).click();
    await page.getByText("Anna Lärare är inaktiverad.").waitFor();
    expect(mock.users.find((u) => u.id === "u2")?.active).toBe(false);

    await page.getByRole("button", { name: "Återställ lösenord" }).click();
    await page.getByRole("dialog", { name: "Återställ lösenordet?" }).waitFor();
    const resetDialog = page.locator("sk-reset-password-dialog");
    await resetDialog.getByRole("button", { name: "Återställ lösenord" }).click();
    await page.getByRole("dialog", { name: "Nytt tillfälligt lösenord" }).waitFor();
    await expect(resetDialog.getByLabel("Tillfälligt lösenord", { exact: true }).inputValue()).resolves.toBe("Tmp-7fK2-q9Wx-Lm4p");
    await expectAxeClean();
    await resetDialog.getByRole("button", { name: "Stäng", exact: true }).last().click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });

    await page.getByRole("link", { name: "Anna Lärare" }).click();
    await page.waitForURL(`${ui.url}/admin/users/u2`);
    await page.getByRole("heading", { name: "Inloggningar" }).waitFor();
    await page.reload();
    await expectHeading("Anna Lärare");
    await page.getByRole("cell", { name: "Fel lösenord" }).waitFor();
    await expectAxeClean();
  }, TEST_TIMEOUT);

  test("retention: an admin reaches it from the admin menu and reads the periods and the last prune", async () => {
    await page.goto(`${ui.url}/login?next=${encodeURIComponent("/admin/taxonomy")}`);
    await logIn("erik.it@skola.se", "erik-losen-123");
    await page.waitForURL(`${ui.url}/admin/taxonomy`);
    const nav = page.getByRole("navigation", { name: "Administrationssidor" });
    // an admin (not superuser) sees the pages they may open, not the user list
    expect(await nav.getByRole("link", { name: "Användare" }).count()).toBe(0);
    await nav.getByRole("link", { name: "Gallring" }).click();
    await page.waitForURL(`${ui.url}/admin/retention`);
    await expectHeading("Gallring");
    await page.getByText("Servern gallrar en gång om dagen.").waitFor();
    expect(await page.getByRole("definition").allInnerTexts()).toEqual([
      "90 dagar",
      "30 dagar",
      "180 dagar",
      "730 dagar",
      "365 dagar",
      // the browser's own time zone (not pinned)
      expect.stringMatching(/^2[01] nov\. 2026 \d\d:\d\d$/),
      "Det dagliga schemat",
      "Uppgifter togs bort",
    ]);
    const runs = page.getByRole("row", { name: /^Körningar / });
    expect(await runs.getByRole("cell").allInnerTexts()).toEqual([expect.stringMatching(/^90 dagar \(före 2[12] aug\. 2026\)$/), "412", "913", "48,3 MB"]);
    await page.getByRole("row", { name: /^Dokument / }).getByText("Hoppades över: this version stores no documents").waitFor();
    expect(await nav.getByRole("link", { name: "Gallring" }).getAttribute("aria-current")).toBe("page");
    await expectAxeClean();

    // before the first prune, with the schedule off
    mock.retention = { ...mock.retention, enabled: false, last_report: null };
    await page.reload();
    await page.getByText("Ingen gallring har körts ännu.").waitFor();
    await page.getByText(/Den dagliga gallringen är avstängd/).waitFor();
    await expectAxeClean();
  }, TEST_TIMEOUT);

  test("a session that ends mid-use sends the user to login and back to the page afterwards", async () => {
    await logInAsSuperuser("/profile");
    await heading().waitFor();
    mock.currentUserId = null; // expired or revoked on the server
    browser.allowHttpError("PATCH", "/api/v1/profile", 401);
    await page.getByRole("button", { name: "Spara" }).click();
    await page.waitForURL(`${ui.url}/login?next=%2Fprofile`);
    await logIn("rektor@skola.se", "superhemligt-123");
    await page.waitForURL(`${ui.url}/profile`);
  }, TEST_TIMEOUT);

  test("a non-superuser gets the forbidden page for admin routes and no admin link", async () => {
    await page.goto(`${ui.url}/login`);
    await logIn("anna.larare@skola.se", "anna-losen-123");
    await page.waitForURL(`${ui.url}/`);
    await expectHeading("Hej Anna!");
    expect(await page.getByRole("link", { name: "Administration" }).count()).toBe(0);
    await page.goto(`${ui.url}/admin/users`);
    await expectHeading("Ingen behörighet");
    await expectAxeClean();
    await page.goto(`${ui.url}/admin/retention`);
    await expectHeading("Ingen behörighet");
  }, TEST_TIMEOUT);
});

describe("320 px wide", () => {
  beforeEach(async () => {
    await browser.close();
    await open({ width: 320, height: 640 });
  }, HOOK_TIMEOUT);

  test("every page fits the width (tables scroll inside their own region) and stays axe-clean", async () => {
    for (const path of ["/login", "/register", "/forgot-password"]) {
      await page.goto(`${ui.url}${path}`);
      await heading().waitFor();
      expect({ path, width: await noHorizontalOverflow() }).toEqual({ path, width: 320 });
    }
    await logInAsSuperuser("/");
    for (const path of ["/", "/profile", "/admin/users", "/admin/users/u3"]) {
      await page.goto(`${ui.url}${path}`);
      await heading().waitFor();
      await page.waitForTimeout(300);
      expect({ path, width: await noHorizontalOverflow() }).toEqual({ path, width: 320 });
      expect({ path, axe: await browser.axe() }).toEqual({ path, axe: [] });
    }
  }, TEST_TIMEOUT);
});
