// The teacher pages (home, catalog, tool, runs, run, taxonomy admin) in the built UI against the
// mocked API (mock-api.ts + mock-tools-api.ts): rendering of every output kind, the generated form
// with its checks and the server's field errors, the file picker, settings, a two-step tool, the run
// history, cancel, favorites, the taxonomy admin; in both languages, by keyboard, at 320 px, with axe,
// the product's CSP, and no request to another origin. Needs only `vite build`.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { startUiServer, type UiServer } from "../../scripts/e2e/ui-server";
import { installMockApi, type MockApi } from "./mock-api";
import { installMockToolsApi, type MockToolsApi } from "./mock-tools-api";

const TEST_TIMEOUT = 90_000;
const HOOK_TIMEOUT = 30_000;
const CSV = "namn;poang\nAnna;18\nBo;9\n";

let ui: UiServer;
let browser: BrowserSession;
let mock: MockApi;
let tools: MockToolsApi;
let page: Page;

beforeAll(async () => {
  ui = await startUiServer();
}, HOOK_TIMEOUT);

afterAll(() => {
  ui.stop();
});

async function open(viewport = { width: 1280, height: 900 }) {
  browser = await openBrowser(ui.url, { viewport });
  browser.allowHttpError("GET", "/api/v1/auth/me", 401);
  mock = await installMockApi(browser.context);
  tools = await installMockToolsApi(browser.context, mock);
  page = browser.page;
}

beforeEach(async () => {
  await open();
}, HOOK_TIMEOUT);

// A sandboxed result frame refuses scripts, and Chromium says so on the console: both the tool's own
// <script> and axe's attempt to look inside the frame. That is the sandbox working, not a problem.
const SANDBOX_BLOCKED = "console error: Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed";

afterEach(async () => {
  const problems = browser.problems.filter((p) => !p.startsWith(SANDBOX_BLOCKED));
  await browser.close();
  expect(problems).toEqual([]);
}, HOOK_TIMEOUT);

async function expectHeading(text: string) {
  await page.getByRole("heading", { level: 1, name: text, exact: true }).waitFor();
}

/** axe on the page; tool output in sandboxed frames is not looked into (see browser.ts). */
async function expectAxeClean(where: string) {
  expect({ where, violations: await browser.axe({ skipFrames: true }) }).toEqual({ where, violations: [] });
}

/** Logs in as the teacher (or another seeded user) and opens `path`. */
async function logIn(path = "/", email = "anna.larare@skola.se", password = "anna-losen-123") {
  await page.goto(`${ui.url}/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL(`${ui.url}${path}`);
}

/** The text of the focused element (for keyboard tests). */
async function focusedText(): Promise<string> {
  // Down through the app's shadow roots, stopping at a Web Awesome control (its text is slotted in).
  return page.evaluate(
    `(() => { let el = document.activeElement; while (el && !el.tagName.startsWith("WA-") && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement; return (el?.textContent ?? "").trim(); })()`,
  );
}

/** Waits until `condition` holds (the mocked server's state changes after the page's request). */
async function until(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(25);
  }
}

async function chooseFiles(files: { name: string; content: string; mimeType?: string }[]) {
  await page.locator("sk-file-picker input[type=file]").setInputFiles(files.map((f) => ({ name: f.name, mimeType: f.mimeType ?? "text/csv", buffer: Buffer.from(f.content) })));
}

describe("home and catalog", () => {
  test("home: favorites, recently used and new tools; the star saves at once", async () => {
    tools.runs.push({
      run_id: "r900",
      tool_slug: "trasig",
      status: "failed",
      is_action: false,
      context: "default",
      inputs: {},
      input_files: [],
      action: null,
      error_summary: "x",
      ui_payload: null,
      state_rev: null,
      artifacts: [],
      queued_at: "2026-11-22T10:00:00.000Z",
      started_at: null,
      finished_at: null,
    });
    await logIn("/");
    await expectHeading("Hej Anna!");
    const favorites = page.getByRole("region", { name: "Favoriter" });
    await favorites.getByRole("link", { name: "Närvarolista" }).waitFor();
    await page.getByRole("region", { name: "Senast använda" }).getByRole("link", { name: "Trasigt verktyg" }).waitFor();
    await page.getByRole("region", { name: "Senast använda" }).getByText("Senast körd").waitFor();
    await page.getByRole("region", { name: "Nya verktyg" }).getByRole("link", { name: "Betygsunderlag" }).waitFor();
    await expectAxeClean("home");

    const star = page.getByRole("region", { name: "Nya verktyg" }).getByRole("button", { name: "Lägg till Betygsunderlag bland favoriterna" });
    expect(await star.getAttribute("aria-pressed")).toBe("false");
    await star.click();
    await favorites.getByRole("link", { name: "Betygsunderlag" }).waitFor();
    expect(tools.favorites.has("betygsunderlag")).toBe(true);
    expect(await page.getByRole("button", { name: "Ta bort Betygsunderlag från favoriterna" }).count()).toBe(2);

    await page.reload();
    await favorites.getByRole("link", { name: "Betygsunderlag" }).waitFor();
  }, TEST_TIMEOUT);

  test("catalog: browse profession → category, facets with counts (OR within, AND across), debounced search, empty state, deep link", async () => {
    await logIn("/tools");
    await expectHeading("Verktyg");
    await page.getByText("Verktyg: 4").waitFor();
    await expectAxeClean("catalog");

    // Browse: profession first …
    const browse = page.getByRole("navigation", { name: "Bläddra efter yrkesroll" });
    await browse.getByRole("link", { name: /Lärare \(2\)/ }).click();
    await page.waitForURL(`${ui.url}/tools?professions=larare`);
    await page.getByText("Verktyg: 2").waitFor();
    // … then one of its categories.
    await page.getByRole("navigation", { name: "Kategorier för Lärare" }).getByRole("link", { name: /Närvaro \(1\)/ }).click();
    await page.waitForURL(`${ui.url}/tools?professions=larare&categories=narvaro`);
    await page.getByText("Verktyg: 1").waitFor();
    await page.getByRole("link", { name: "Närvarolista" }).waitFor();

    // Facets: another profession widens (OR), the category still narrows (AND).
    await page.getByRole("checkbox", { name: /Rektor/ }).click({ force: true });
    await page.waitForURL(`${ui.url}/tools?professions=larare,rektor&categories=narvaro`);
    await page.getByText("Verktyg: 1").waitFor();
    await page.getByRole("checkbox", { name: /Närvaro/ }).click({ force: true });
    await page.waitForURL(`${ui.url}/tools?professions=larare,rektor`);
    await page.getByText("Verktyg: 3").waitFor();

    // Search, debounced into the URL; the filters stay.
    await page.getByRole("searchbox", { name: "Sök verktyg" }).fill("närvaro");
    await page.waitForURL(`${ui.url}/tools?q=n%C3%A4rvaro&professions=larare,rektor`);
    await page.getByText("Verktyg: 1").waitFor();
    expect(tools.calls.filter((c) => c === "GET /api/v1/catalog/tools").length).toBeLessThan(9);

    await page.getByRole("searchbox", { name: "Sök verktyg" }).fill("finns inte alls");
    await page.getByText("Inga verktyg matchar sökningen och filtren.").waitFor();
    await expectAxeClean("catalog empty");

    // A deep link shows the same list after a reload.
    await page.goto(`${ui.url}/tools?categories=planering`);
    await page.getByText("Verktyg: 2").waitFor();
    expect(await page.getByRole("checkbox", { name: /Planering/ }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Rensa filter" }).click();
    await page.waitForURL(`${ui.url}/tools`);
    await page.getByText("Verktyg: 4").waitFor();
  }, TEST_TIMEOUT);
});

describe("tool page", () => {
  test("instructions open when new and are marked seen; markdown is sanitized; the form shows help and bounds", async () => {
    await logIn("/tools/betygsunderlag");
    await expectHeading("Betygsunderlag");
    const instructions = page.locator("wa-details.instructions");
    expect(await instructions.getAttribute("open")).not.toBeNull();
    // "#" in instructions is a level-2 heading: they are a section right under the page's h1.
    await page.getByRole("heading", { name: "Så gör du", level: 2 }).waitFor();
    await until(() => tools.seen.get("betygsunderlag") === 3);
    // no script, no request to another site (the external image shows its alt text), external links open apart
    expect(await page.locator("sk-markdown script").count()).toBe(0);
    await page.locator("sk-markdown").getByText("extern").waitFor();
    expect(await page.locator("sk-markdown img").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Läs mer" }).getAttribute("rel")).toBe("noopener noreferrer");

    await page.getByText("Syns överst i underlaget. 2–60 tecken.").waitFor();
    await page.getByText("Mellan 1 och 30.").waitFor();
    await page.getByText("Tillåtna: .csv. 1–2 filer. Högst 1 MB sammanlagt.").waitFor();
    expect(await page.getByLabel("Maxpoäng").inputValue()).toBe("20");
    await expectAxeClean("tool page");

    // A second visit: seen and unchanged, so closed.
    await page.reload();
    await expectHeading("Betygsunderlag");
    expect(await page.locator("wa-details.instructions").getAttribute("open")).toBeNull();
  }, TEST_TIMEOUT);

  test("checks at the fields before sending, then the server's 422 at the field and the file picker", async () => {
    await logIn("/tools/betygsunderlag");
    await expectHeading("Betygsunderlag");
    await page.getByLabel("Rubrik").fill("x");
    await page.getByLabel("Maxpoäng").fill("99");
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByRole("alert").getByText("Kontrollera de markerade fälten.").waitFor();
    await page.getByText("Skriv minst 2 tecken.").waitFor();
    await page.getByText("Ange 30 eller mindre.").waitFor();
    await page.getByText("Välj en fil.", { exact: true }).waitFor();
    await page.getByText("Fältet måste fyllas i.").waitFor();
    expect(tools.calls.some((c) => c.startsWith("POST /api/v1/tools/betygsunderlag/run"))).toBe(false);
    // focus went to the first problem
    expect(await page.evaluate(`document.querySelector("sk-app").shadowRoot.querySelector("sk-tool-page").shadowRoot.activeElement?.getAttribute("data-field")`)).toBe("titel");
    await expectAxeClean("form errors");

    // A file of the wrong type is refused before upload; a right one is listed with its size.
    await chooseFiles([{ name: "rapport.pdf", content: "%PDF-1.4", mimeType: "application/pdf" }]);
    await page.getByText("Inte en tillåten filtyp: rapport.pdf.").waitFor();
    // By keyboard: the button opens the system's file chooser.
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Välj filer" }).press("Enter");
    await (await chooser).setFiles([{ name: "elever.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) }]);
    await page.getByRole("list", { name: "Valda filer: 1" }).getByText("elever.csv").waitFor();
    // Dropped files join the list; too many for the field is said at once.
    await page.locator("sk-file-picker .zone").evaluate((zone, names) => {
      // This file is type-checked without the DOM library: the page's constructors, typed by hand.
      const w = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: string[], name: string, options: { type: string }) => unknown;
        DragEvent: new (type: string, init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean }) => unknown;
      };
      const data = new w.DataTransfer();
      for (const name of names) data.items.add(new w.File(["x"], name, { type: "text/csv" }));
      (zone as unknown as { dispatchEvent(event: unknown): boolean }).dispatchEvent(new w.DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, ["b.csv", "c.csv"]);
    await page.getByText("För många filer: välj högst 2.").waitFor();
    await page.getByRole("button", { name: "Ta bort c.csv" }).click();
    await page.getByRole("button", { name: "Ta bort b.csv" }).click();

    browser.allowHttpError("POST", "/api/v1/tools/betygsunderlag/run", 422);
    await page.getByLabel("Rubrik").fill("server-fel");
    await page.getByLabel("Maxpoäng").fill("25");
    await page.getByRole("combobox", { name: "Ämne" }).click();
    await page.getByRole("option", { name: "Svenska" }).click();
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByText("Servern godtar inte den här rubriken.").waitFor();
    await page.getByText("Filen ”elever.csv” innehåller inte det som namnet anger (text/csv).").waitFor();
    expect(tools.lastUpload).toEqual({ inputs: { titel: "server-fel", max_poang: 25, amne: "sv", kommentarer: true }, files: [{ name: "elever.csv", bytes: CSV.length }] });
    await expectAxeClean("server errors");
  }, TEST_TIMEOUT);

  test("session files: the previous run's files are offered; Använd igen runs with them, Rensa hides them", async () => {
    tools.sessionFiles.set("betygsunderlag:default", [{ name: "elever.csv", bytes: CSV.length }]);
    await logIn("/tools/betygsunderlag");
    await expectHeading("Betygsunderlag");
    await page.getByText("Filer från förra körningen: elever.csv").waitFor();
    await page.getByRole("button", { name: "Använd igen" }).click();
    await page.getByText("Filerna från förra körningen används.", { exact: false }).waitFor();
    await expectAxeClean("session files");
    await page.getByLabel("Rubrik").fill("Åk 9 vt");
    await page.getByRole("combobox", { name: "Ämne" }).click();
    await page.getByRole("option", { name: "Matematik" }).click();
    // no file chosen: the session files stand in for the required file field
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByText("Läste 1 fil(er) för Åk 9 vt (skala af).").waitFor();
    expect(tools.lastUpload?.files).toEqual([]);
    expect(tools.runs.at(-1)?.input_files).toEqual([{ name: "elever.csv", bytes: CSV.length }]);
    // Rensa: the offer goes away (the next run sends session_files_mode "clear")
    await page.getByRole("button", { name: "Rensa" }).click();
    await page.getByText("Filer från förra körningen").waitFor({ state: "detached" });
  }, TEST_TIMEOUT);

  test("run: progress, then every output kind, downloads, and focus on the result", async () => {
    await logIn("/tools/betygsunderlag");
    await expectHeading("Betygsunderlag");
    await page.getByLabel("Rubrik").fill("Åk 9 vt");
    await page.getByRole("combobox", { name: "Ämne" }).click();
    await page.getByRole("option", { name: "Matematik" }).click();
    await page.getByLabel("Notering").fill("Första försöket");
    await chooseFiles([{ name: "elever.csv", content: CSV }]);
    await page.getByRole("button", { name: "Kör", exact: true }).click();

    await page.getByRole("heading", { name: "Resultat", level: 2 }).waitFor();
    await page.waitForURL(`${ui.url}/tools/betygsunderlag?run=r001`);
    expect(await focusedText()).toBe("Resultat");
    expect(tools.lastUpload?.inputs).toEqual({ titel: "Åk 9 vt", max_poang: 20, amne: "ma", kommentarer: true, notering: "Första försöket" });

    // notice, markdown (sanitized), table, chart, json, sandboxed html
    await page.getByText("Läste 1 fil(er) för Åk 9 vt (skala af).").waitFor();
    await page.getByRole("heading", { name: "Sammanfattning", level: 4 }).waitFor();
    expect(await page.locator("sk-run-result sk-markdown img").count()).toBe(0);
    const table = page.getByRole("table", { name: "Poäng per elev" });
    await table.waitFor();
    const firstColumn = () => table.locator("tbody tr td:first-child").allTextContents();
    expect(await firstColumn()).toEqual(["Anna Andersson", "Bo Berg", "Örjan Öst", "Åsa Ek"]);
    await table.getByRole("button", { name: "Namn" }).click();
    expect(await firstColumn()).toEqual(["Anna Andersson", "Bo Berg", "Åsa Ek", "Örjan Öst"]);
    expect(await table.getByRole("columnheader", { name: "Namn" }).getAttribute("aria-sort")).toBe("ascending");
    await table.getByRole("button", { name: "Poäng" }).click();
    await table.getByRole("button", { name: "Poäng" }).click();
    expect(await firstColumn()).toEqual(["Anna Andersson", "Örjan Öst", "Bo Berg", "Åsa Ek"]);
    await page.getByRole("searchbox", { name: "Filtrera rader" }).fill("ö");
    expect(await firstColumn()).toEqual(["Örjan Öst"]);
    await page.getByText("Visar 1 av 4 rader").waitFor();
    await page.getByRole("searchbox", { name: "Filtrera rader" }).fill("");

    const csvDownload = page.waitForEvent("download");
    await page.getByRole("button", { name: "CSV", exact: true }).click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toBe("Poäng per elev.csv");
    const csvBytes = new Uint8Array(await Bun.file((await csv.path())!).arrayBuffer());
    // UTF-8 with a byte order mark: Swedish Excel then reads å, ä, ö right.
    expect([...csvBytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(csvBytes).startsWith("Namn;Poäng;Betyg;Klar\r\nAnna Andersson;18;A;TRUE\r\nBo Berg;9,5;D;FALSE\r\n")).toBe(true);
    expect(await page.getByRole("link", { name: "Excel", exact: true }).getAttribute("href")).toBe("/api/v1/runs/r001/outputs/2/table.xlsx");
    const xlsxDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Excel", exact: true }).click();
    // (Chromium names a download from Content-Disposition only for a real server's response, not a
    // mocked one: the binary's journey checks the names; here the downloads themselves.)
    expect((await xlsxDownload).suggestedFilename()).toEndWith(".xlsx");

    // the chart is drawn (CSP-safe renderer in its own chunk)
    await page.locator("sk-vega-chart svg .mark-rect path").first().waitFor();
    expect(await page.locator("sk-vega-chart svg .mark-rect path").count()).toBe(3);
    // Vega's own semantics: a named, focusable visualization.
    await page.locator('sk-vega-chart [aria-roledescription="visualization"][aria-label="Poäng per elev"]').waitFor();

    await page.getByText('"medel"').waitFor();
    await page.getByText("13.8").waitFor();
    const frame = page.locator("sk-run-result iframe");
    expect(await frame.getAttribute("sandbox")).toBe("");
    await page.frameLocator("sk-run-result iframe").getByRole("heading", { name: "Utskrift" }).waitFor();
    expect(await page.title()).toBe("Verktyg – Skriptoteket");

    // files: one by one and all as a zip
    const files = page.locator("sk-artifact-list");
    expect(await files.getByRole("link", { name: "betygsunderlag.pdf" }).getAttribute("href")).toBe("/api/v1/runs/r001/artifacts/a0");
    const one = page.waitForEvent("download");
    await files.getByRole("link", { name: "poang.csv" }).click();
    expect((await one).suggestedFilename()).toBe("poang.csv");
    const zip = page.waitForEvent("download");
    await page.getByRole("link", { name: "Ladda ner alla 2 filer (.zip)" }).click();
    expect((await zip).suggestedFilename()).toEndWith(".zip");
    await expectAxeClean("result");

    // The run stays in the URL: a reload shows it again.
    await page.reload();
    await page.getByRole("table", { name: "Poäng per elev" }).waitFor();
  }, TEST_TIMEOUT);

  test("a failed run shows why", async () => {
    await logIn("/tools/trasig");
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByText("Körningen misslyckades.").waitFor();
    await page.getByText("Filen saknar kolumnen ”namn”.").waitFor();
    await expectAxeClean("failed run");
  }, TEST_TIMEOUT);

  test("settings: saved per user, kept across reloads, a conflict reloads the saved values", async () => {
    await logIn("/tools/betygsunderlag");
    await expectHeading("Betygsunderlag");
    await page.getByRole("button", { name: "Mina inställningar för verktyget" }).click();
    await page.getByRole("combobox", { name: "Betygsskala" }).click();
    await page.getByRole("option", { name: "IG–MVG" }).click();
    await page.getByLabel("Skolans namn").fill("Björkskolan");
    await page.getByRole("button", { name: "Spara inställningarna" }).click();
    await page.getByText("Dina inställningar är sparade.").waitFor();
    expect(tools.settings.get("betygsunderlag")).toEqual({ values: { skala: "ig", skola: "Björkskolan" }, rev: 1 });

    await page.reload();
    await page.getByRole("button", { name: "Mina inställningar för verktyget" }).click();
    await expect(page.getByLabel("Skolans namn").inputValue()).resolves.toBe("Björkskolan");

    // Saved elsewhere meanwhile: the save is refused and the saved values come back.
    tools.settings.set("betygsunderlag", { values: { skala: "af", skola: "Annan skola" }, rev: 2 });
    browser.allowHttpError("PUT", "/api/v1/tools/betygsunderlag/settings", 409);
    await page.getByLabel("Skolans namn").fill("Min ändring");
    await page.getByRole("button", { name: "Spara inställningarna" }).click();
    await page.getByText("Dina inställningar har ändrats någon annanstans").waitFor();
    await expect(page.getByLabel("Skolans namn").inputValue()).resolves.toBe("Annan skola");

    browser.allowHttpError("PUT", "/api/v1/tools/betygsunderlag/settings", 422);
    await page.getByLabel("Skolans namn").fill("x".repeat(41));
    await page.getByRole("button", { name: "Spara inställningarna" }).click();
    await page.getByText("Högst 40 tecken.").waitFor();
    await expectAxeClean("settings");
  }, TEST_TIMEOUT);

  test("a two-step tool by keyboard: run, add a pupil, finish; a stale state says so and shows the latest", async () => {
    await logIn("/tools/narvarolista");
    await expectHeading("Närvarolista");
    // Seen before and unchanged: closed.
    expect(await page.locator("wa-details.instructions").getAttribute("open")).toBeNull();
    await page.getByLabel("Klass").focus();
    await page.keyboard.type("9A");
    await page.keyboard.press("Enter");
    await page.getByText("Klass 9A: inga elever än.").waitFor();
    expect(await focusedText()).toBe("Resultat");
    await page.getByRole("heading", { name: "Nästa steg" }).waitFor();

    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Anna");
    await page.keyboard.press("Tab");
    expect(await focusedText()).toBe("Lägg till elev");
    await page.keyboard.press("Enter");
    await page.getByText("Elever: Anna").waitFor();
    expect(tools.runs.at(-1)?.action).toEqual({ action_id: "lagg_till", input: { namn: "Anna" }, state: { elever: [] } });

    // An empty required action field is caught at the field.
    await page.getByRole("button", { name: "Lägg till elev" }).click();
    await page.locator("sk-next-actions").getByText("Fältet måste fyllas i.").waitFor();

    // Another tab moved on: the action is refused, the latest result and its actions are shown.
    const stale = tools.state.get("narvarolista:default")!;
    tools.state.set("narvarolista:default", { rev: stale.rev + 1, state: { elever: ["Anna", "Bo"] } });
    browser.allowHttpError("POST", "/api/v1/tools/narvarolista/actions", 409);
    await page.getByRole("button", { name: "Klar" }).click();
    await page.getByText("Verktyget har gått vidare någon annanstans").waitFor();
    tools.state.set("narvarolista:default", stale);

    await page.getByRole("button", { name: "Klar" }).click();
    await page.getByText("Listan är klar: Anna.").waitFor();
    expect(await page.getByRole("heading", { name: "Nästa steg" }).count()).toBe(0);
    await expectAxeClean("two-step done");
  }, TEST_TIMEOUT);

  test("a long run shows its progress and can be cancelled", async () => {
    await logIn("/tools/lang-korning");
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByText("Körs…").waitFor();
    await page.getByText(/Har körts i \d+ s/).waitFor();
    await expectAxeClean("progress");
    await page.getByRole("button", { name: "Avbryt" }).click();
    await page.getByText("Körningen avbröts.").waitFor();
    expect(tools.runs.at(-1)?.status).toBe("cancelled");
    expect(tools.calls).toContain("POST /api/v1/runs/r001/cancel");
  }, TEST_TIMEOUT);
});

describe("my runs", () => {
  test("list with filters, a run's page with its inputs and result, run again, delete", async () => {
    await logIn("/tools/betygsunderlag");
    await page.getByLabel("Rubrik").fill("Åk 8");
    await page.getByRole("combobox", { name: "Ämne" }).click();
    await page.getByRole("option", { name: "Svenska" }).click();
    await chooseFiles([{ name: "elever.csv", content: CSV }]);
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByRole("heading", { name: "Resultat" }).waitFor();
    await page.goto(`${ui.url}/tools/trasig`);
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByText("Körningen misslyckades.").waitFor();

    await page.getByRole("link", { name: "Mina körningar" }).click();
    await expectHeading("Mina körningar");
    await page.getByText("Körningar: 2").waitFor();
    await expectAxeClean("runs");
    await page.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Misslyckades" }).click();
    await page.waitForURL(`${ui.url}/runs?status=failed`);
    await page.getByText("Körningar: 1").waitFor();
    await page.getByRole("cell", { name: /Filen saknar kolumnen/ }).waitFor();
    await page.goto(`${ui.url}/runs?from=2026-11-24`);
    await page.getByText("Inga körningar matchar filtren.").waitFor();
    await page.getByRole("link", { name: "Visa alla körningar" }).click();
    await page.getByText("Körningar: 2").waitFor();

    await page.getByRole("link", { name: "Betygsunderlag" }).click();
    await page.waitForURL(`${ui.url}/runs/r001`);
    await expectHeading("Betygsunderlag");
    await page.getByRole("definition").filter({ hasText: "Åk 8" }).waitFor();
    await page.getByText("elever.csv").first().waitFor();
    await page.getByRole("table", { name: "Poäng per elev" }).waitFor();
    await expectAxeClean("run page");

    await page.getByRole("button", { name: "Kör igen med samma indata" }).click();
    await page.waitForURL(`${ui.url}/runs/r003`);
    await page.getByRole("table", { name: "Poäng per elev" }).waitFor();
    expect(tools.runs.at(-1)?.inputs).toEqual({ titel: "Åk 8", max_poang: 20, amne: "sv", kommentarer: true });

    await page.getByRole("button", { name: "Ta bort körningen" }).click();
    await page.getByRole("dialog", { name: "Ta bort körningen?" }).waitFor();
    await page.locator("sk-confirm-dialog").getByRole("button", { name: "Ta bort körningen" }).click();
    await page.waitForURL(`${ui.url}/runs?deleted=1`);
    await page.getByText("Körningen är borttagen.").waitFor();
    await page.getByText("Körningar: 2").waitFor();
    expect(tools.runs.map((r) => r.run_id)).toEqual(["r001", "r002"]);
  }, TEST_TIMEOUT);
});

describe("administration", () => {
  test("taxonomy: add, rename, reorder, refusal while in use, remove", async () => {
    await logIn("/admin/taxonomy", "erik.it@skola.se", "erik-losen-123");
    await expectHeading("Yrkesroller och kategorier");
    await expectAxeClean("taxonomy");
    const professions = page.locator("sk-taxonomy-editor[kind=professions]");

    await professions.getByLabel("Svenskt namn").fill("Studie- och yrkesvägledare");
    await professions.getByLabel("Engelskt namn").fill("Career counsellor");
    await professions.getByLabel("Kortnamn (slug)").fill("syv");
    await professions.getByRole("button", { name: "Lägg till" }).click();
    await professions.getByText("Studie- och yrkesvägledare har lagts till.").waitFor();
    expect(tools.professions.map((p) => p.slug)).toEqual(["larare", "rektor", "specialpedagog", "syv"]);

    browser.allowHttpError("POST", "/api/v1/catalog/professions", 409);
    await professions.getByLabel("Svenskt namn").fill("Dubblett");
    await professions.getByLabel("Engelskt namn").fill("Duplicate");
    await professions.getByLabel("Kortnamn (slug)").fill("rektor");
    await professions.getByRole("button", { name: "Lägg till" }).click();
    await professions.getByText("Det finns redan en post med den kortadressen").first().waitFor();

    await professions.getByRole("button", { name: "Flytta upp Studie- och yrkesvägledare" }).click();
    await professions.getByText("Studie- och yrkesvägledare är nu nummer 3.").waitFor();
    expect(tools.professions.map((p) => p.slug)).toEqual(["larare", "rektor", "syv", "specialpedagog"]);

    await professions.getByRole("button", { name: "Byt namn Rektor" }).click();
    await professions.getByLabel("Svenskt namn").first().fill("Skolledare");
    await professions.getByRole("button", { name: "Spara" }).click();
    await professions.getByText("Skolledare har fått nytt namn.").waitFor();

    browser.allowHttpError("DELETE", "/api/v1/catalog/professions/larare", 409);
    await professions.getByRole("button", { name: "Ta bort Lärare" }).click();
    await professions.locator("sk-confirm-dialog").getByRole("button", { name: "Ta bort" }).click();
    await professions.getByText("Yrkesrollen ”larare” används av 2 verktyg: ”Betygsunderlag”, ”Närvarolista”.", { exact: false }).waitFor();
    expect(tools.professions.some((p) => p.slug === "larare")).toBe(true);

    const categories = page.locator("sk-taxonomy-editor[kind=categories]");
    await categories.getByRole("button", { name: "Ta bort Oanvänd" }).click();
    await categories.locator("sk-confirm-dialog").getByRole("button", { name: "Ta bort" }).click();
    await categories.getByText("Oanvänd har tagits bort.").waitFor();
    await expectAxeClean("taxonomy after changes");
  }, TEST_TIMEOUT);

  test("a teacher may not open the taxonomy page", async () => {
    await logIn("/");
    await page.goto(`${ui.url}/admin/taxonomy`);
    await expectHeading("Ingen behörighet");
  }, TEST_TIMEOUT);
});

describe("English", () => {
  test("the tool page, a result and the run list in English", async () => {
    await logIn("/tools/betygsunderlag");
    await page.getByRole("button", { name: "English" }).click();
    await expectHeading("Betygsunderlag");
    await page.getByRole("heading", { name: "Run the tool" }).waitFor();
    await page.getByText("Accepted: .csv. 1–2 files. At most 1 MB in total.").waitFor();
    await page.getByLabel("Rubrik").fill("Year 9");
    await page.getByRole("combobox", { name: "Ämne" }).click();
    await page.getByRole("option", { name: "Matematik" }).click();
    await chooseFiles([{ name: "elever.csv", content: CSV }]);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByRole("heading", { name: "Result" }).waitFor();
    await page.getByText("Showing 4 of 4 rows").waitFor();
    await page.getByRole("link", { name: "Download all 2 files (.zip)" }).waitFor();
    await expectAxeClean("result (en)");
    await page.getByRole("link", { name: "My runs" }).click();
    await page.getByText("Runs: 1").waitFor();
    await page.getByRole("cell", { name: "Succeeded" }).waitFor();
    await expectAxeClean("runs (en)");
  }, TEST_TIMEOUT);
});

describe("320 px wide", () => {
  beforeEach(async () => {
    await browser.close();
    await open({ width: 320, height: 640 });
  }, HOOK_TIMEOUT);

  test("the teacher pages fit the width and stay axe-clean", async () => {
    await logIn("/tools/betygsunderlag");
    await page.getByLabel("Rubrik").fill("Åk 9");
    await page.getByRole("combobox", { name: "Ämne" }).click();
    await page.getByRole("option", { name: "Matematik" }).click();
    await chooseFiles([{ name: "elever.csv", content: CSV }]);
    await page.getByRole("button", { name: "Kör", exact: true }).click();
    await page.getByRole("table", { name: "Poäng per elev" }).waitFor();
    await page.locator("sk-vega-chart svg").waitFor();
    for (const path of ["/", "/tools", "/tools?professions=larare", "/tools/betygsunderlag?run=r001", "/runs", "/runs/r001"]) {
      await page.goto(`${ui.url}${path}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForTimeout(400);
      expect({ path, width: await page.evaluate<number>("document.documentElement.scrollWidth") }).toEqual({ path, width: 320 });
      expect({ path, axe: await browser.axe({ skipFrames: true }) }).toEqual({ path, axe: [] });
    }
  }, TEST_TIMEOUT);
});
