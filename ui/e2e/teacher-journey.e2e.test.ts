// The teacher's journey in a real browser against the BUILT binary (dist/skriptoteket, scripts/build.sh)
// with its in-process workers, Docker and the runner image: tools imported with `skriptoteket tool
// import --publish` from ui/e2e/tools/; browse and filter the catalog → open a tool → a validation
// error at a field → upload → run → progress → table and chart → download a file, the zip and the
// Excel table; settings kept across reloads; a two-step tool; favorites and recent tools on the home
// page; my runs, a run's page, run again, delete; cancel a long run; 320 px. axe on the pages, no
// request to another origin, no CSP violation, no console error. Skipped without Docker and the image.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { strFromU8, unzipSync } from "fflate";
import { join } from "node:path";
import type { Download, Page } from "playwright-core";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { BINARY, startServer, type RunningServer } from "../../scripts/e2e/server";

const IMAGE = "skriptoteket-runner:latest";
const dockerReady = Bun.spawnSync(["docker", "image", "inspect", IMAGE], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
if (!dockerReady) console.warn(`teacher-journey.e2e.test.ts: skipped, Docker or the image ${IMAGE} is not available`);

const TOOLS = join(import.meta.dir, "tools");
const TEACHER = { email: "larare@skola.se", password: "Rodbetor-och-kalops-7", role: "user" as const };
const CSV = "namn;poang\nAnna Andersson;18\nBo Berg;9,5\nÖrjan Öst;14\n";
const PDF = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";
const STEP_TIMEOUT = 120_000;
// A sandboxed result frame refuses scripts and Chromium says so (the sandbox working, not a problem).
const SANDBOX_BLOCKED = "console error: Blocked script execution in 'about:srcdoc'";

let server: RunningServer;
let browser: BrowserSession;
let page: Page;

async function importTools() {
  const dirs = ["e2e-poang", "e2e-narvaro", "e2e-vanta"].map((d) => join(TOOLS, d));
  const cli = Bun.spawn([BINARY, "tool", "import", ...dirs, "--publish", "--config", server.configPath], { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([cli.exited, new Response(cli.stdout).text(), new Response(cli.stderr).text()]);
  if (code !== 0) throw new Error(`tool import failed (${code}): ${out}${err}`);
}

describe.skipIf(!dockerReady)("a teacher's journey with real runs", () => {
  beforeAll(async () => {
    server = await startServer();
    await server.createUser(TEACHER);
    await importTools();
    browser = await openBrowser(server.url);
    page = browser.page;
    browser.allowHttpError("GET", "/api/v1/auth/me", 401);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  async function expectHeading(text: string) {
    await page.getByRole("heading", { level: 1, name: text, exact: true }).waitFor();
  }

  async function expectAxeClean(where: string) {
    expect({ where, violations: await browser.axe({ skipFrames: true }) }).toEqual({ where, violations: [] });
  }

  function expectNoProblems() {
    expect(browser.problems.filter((p) => !p.startsWith(SANDBOX_BLOCKED))).toEqual([]);
  }

  async function downloadBytes(download: Download): Promise<Uint8Array> {
    return new Uint8Array(await Bun.file((await download.path())!).arrayBuffer());
  }

  async function chooseFile(name: string, content: string) {
    await page.locator("sk-file-picker input[type=file]").setInputFiles([{ name, mimeType: "text/csv", buffer: Buffer.from(content) }]);
  }

  const runButton = () => page.getByRole("button", { name: "Kör", exact: true });

  test(
    "browse and filter → open a tool → error at a field → upload → run → progress → table and chart → downloads",
    async () => {
      await page.goto(`${server.url}/login`);
      await page.getByLabel("E-postadress").fill(TEACHER.email);
      await page.getByLabel("Lösenord", { exact: true }).fill(TEACHER.password);
      await page.getByRole("button", { name: "Logga in" }).click();
      await page.waitForURL(`${server.url}/`);
      await page.getByRole("region", { name: "Nya verktyg" }).getByRole("link", { name: "Poängsammanställning" }).waitFor();
      await expectAxeClean("home");

      await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Verktyg" }).click();
      await expectHeading("Verktyg");
      await page.getByText("Verktyg: 3").waitFor();
      await page.getByRole("navigation", { name: "Bläddra efter yrkesroll" }).getByRole("link", { name: /Lärare \(2\)/ }).click();
      await page.waitForURL(`${server.url}/tools?professions=larare`);
      await page.getByText("Verktyg: 2").waitFor();
      await page.getByRole("navigation", { name: "Kategorier för Lärare" }).getByRole("link", { name: /Mentorskap \(1\)/ }).click();
      await page.waitForURL(`${server.url}/tools?professions=larare&categories=mentorskap`);
      await page.getByText("Verktyg: 1").waitFor();
      await page.getByRole("searchbox", { name: "Sök verktyg" }).fill("elevlista");
      await page.waitForURL(`${server.url}/tools?q=elevlista&professions=larare&categories=mentorskap`);
      await page.getByText("Verktyg: 1").waitFor();
      await expectAxeClean("catalog filtered");
      await page.getByRole("link", { name: "Poängsammanställning" }).click();

      await page.waitForURL(`${server.url}/tools/e2e-poang`);
      await expectHeading("Poängsammanställning");
      // New to this teacher: the instructions are open.
      await page.getByRole("heading", { name: "Så gör du", level: 3 }).waitFor();
      await page.getByText("Står överst i sammanställningen. 2–40 tecken.").waitFor();
      expect(await page.getByLabel("Maxpoäng").inputValue()).toBe("20");

      // The form's own check, at the field.
      await page.getByLabel("Rubrik").fill("x");
      await runButton().click();
      await page.getByText("Skriv minst 2 tecken.").waitFor();
      await page.getByText("Välj en fil.", { exact: true }).waitFor();

      // The server looks inside the file: a PDF named .csv is refused at the file field.
      browser.allowHttpError("POST", "/api/v1/tools/e2e-poang/run", 422);
      await page.getByLabel("Rubrik").fill("Åk 9 vt");
      await chooseFile("elever.csv", PDF);
      await runButton().click();
      await page.locator("sk-file-picker").getByText(/innehåller inte det som namnet anger/).waitFor();
      await expectAxeClean("server error at the file field");

      // The right file (same name: it replaces the wrong one), then run.
      await chooseFile("elever.csv", CSV);
      await page.getByRole("list", { name: "Valda filer: 1" }).waitFor();
      await runButton().click();
      await page.locator("sk-run-progress").waitFor({ state: "attached" });
      await page.getByRole("heading", { name: "Resultat", level: 2 }).waitFor({ timeout: 60_000 });

      await page.getByText("Åk 9 vt: 3 elever, sorterade efter namn.").waitFor();
      const table = page.getByRole("table", { name: "Poäng per elev" });
      expect(await table.locator("tbody tr td:first-child").allTextContents()).toEqual(["Anna Andersson", "Bo Berg", "Örjan Öst"]);
      expect(await table.locator("tbody tr").nth(1).locator("td").allTextContents()).toEqual(["Bo Berg", "9.5", "48"]);
      await page.locator('sk-vega-chart [aria-roledescription="visualization"][aria-label="Poäng per elev"]').waitFor();
      expect(await page.locator("sk-vega-chart svg .mark-rect path").count()).toBe(3);
      await expectAxeClean("result");

      // One file, then all files as a zip, then the table as an Excel workbook.
      const report = page.waitForEvent("download");
      await page.locator("sk-artifact-list").getByRole("link", { name: "rapport.txt" }).click();
      const reportDownload = await report;
      expect(reportDownload.suggestedFilename()).toBe("rapport.txt");
      expect(new TextDecoder().decode(await downloadBytes(reportDownload))).toStartWith("Åk 9 vt\nAnna Andersson: 18.0");

      const zip = page.waitForEvent("download");
      await page.getByRole("link", { name: "Ladda ner alla 2 filer (.zip)" }).click();
      const zipDownload = await zip;
      expect(zipDownload.suggestedFilename()).toMatch(/^e2e-poang-\d{4}-\d{2}-\d{2}\.zip$/);
      const entries = unzipSync(await downloadBytes(zipDownload));
      expect(Object.keys(entries).sort()).toEqual(["bilagor/poäng.csv", "rapport.txt"]);
      expect(strFromU8(entries["bilagor/poäng.csv"]!)).toContain("Örjan Öst;14.0");

      const xlsx = page.waitForEvent("download");
      await page.getByRole("link", { name: "Excel", exact: true }).click();
      const xlsxDownload = await xlsx;
      expect(xlsxDownload.suggestedFilename()).toBe("Poäng per elev.xlsx");
      const sheet = strFromU8(unzipSync(await downloadBytes(xlsxDownload))["xl/worksheets/sheet1.xml"]!);
      expect(sheet).toContain("Örjan Öst");
      expect(sheet).toContain("<v>9.5</v>");
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "settings are saved for the teacher, kept across reloads and used by the next run",
    async () => {
      await page.getByRole("button", { name: "Mina inställningar för verktyget" }).click();
      await page.getByRole("combobox", { name: "Sortera eleverna" }).click();
      await page.getByRole("option", { name: "Efter poäng" }).click();
      await page.getByRole("button", { name: "Spara inställningarna" }).click();
      await page.getByText("Dina inställningar är sparade.").waitFor();

      await page.goto(`${server.url}/tools/e2e-poang`);
      await expectHeading("Poängsammanställning");
      // Seen once: closed now.
      expect(await page.locator("wa-details.instructions").getAttribute("open")).toBeNull();
      await page.getByRole("button", { name: "Mina inställningar för verktyget" }).click();
      await expect(page.getByRole("combobox", { name: "Sortera eleverna" }).inputValue()).resolves.toBe("Efter poäng");

      await page.getByLabel("Rubrik").fill("Åk 8 ht");
      await chooseFile("elever.csv", CSV);
      await runButton().click();
      await page.getByText("Åk 8 ht: 3 elever, sorterade efter poang.").waitFor({ timeout: 60_000 });
      expect(await page.getByRole("table", { name: "Poäng per elev" }).locator("tbody tr td:first-child").allTextContents()).toEqual(["Anna Andersson", "Örjan Öst", "Bo Berg"]);
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "a two-step tool: run, add a pupil, finish",
    async () => {
      await page.goto(`${server.url}/tools/e2e-narvaro`);
      await expectHeading("Närvaro steg för steg");
      await page.getByLabel("Klass").fill("9A");
      await runButton().click();
      await page.getByText("Klass 9A: inga elever än.").waitFor({ timeout: 60_000 });
      await page.getByRole("heading", { name: "Nästa steg" }).waitFor();
      await page.getByLabel("Elevens namn").fill("Anna");
      await page.getByRole("button", { name: "Lägg till elev" }).click();
      await page.getByText("Klass 9A: Anna").waitFor({ timeout: 60_000 });
      await page.getByLabel("Elevens namn").fill("Bo");
      await page.getByRole("button", { name: "Lägg till elev" }).click();
      await page.getByText("Klass 9A: Anna, Bo").waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: "Klar" }).click();
      await page.getByText("Listan är klar: Anna, Bo.").waitFor({ timeout: 60_000 });
      expect(await page.getByRole("heading", { name: "Nästa steg" }).count()).toBe(0);
      await expectAxeClean("two-step done");
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "favorites and recently used tools on the home page",
    async () => {
      await page.goto(`${server.url}/tools/e2e-poang`);
      await page.getByRole("button", { name: "Lägg till Poängsammanställning bland favoriterna" }).click();
      await page.getByRole("button", { name: "Ta bort Poängsammanställning från favoriterna" }).waitFor();
      await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Start" }).click();
      await page.getByRole("region", { name: "Favoriter" }).getByRole("link", { name: "Poängsammanställning" }).waitFor();
      const recent = page.getByRole("region", { name: "Senast använda" });
      await recent.getByRole("link", { name: "Närvaro steg för steg" }).waitFor();
      await recent.getByRole("link", { name: "Poängsammanställning" }).waitFor();
      expect(await recent.getByRole("link", { name: "Lång beräkning" }).count()).toBe(0);
      await expectAxeClean("home with favorites");
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "my runs: the list, a run's page, run again with the same inputs, delete",
    async () => {
      await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Mina körningar" }).click();
      await expectHeading("Mina körningar");
      await page.getByText("Körningar: 6").waitFor();
      await page.getByRole("combobox", { name: "Verktyg" }).click();
      await page.getByRole("option", { name: "Poängsammanställning" }).click();
      await page.waitForURL(`${server.url}/runs?tool=e2e-poang`);
      await page.getByText("Körningar: 2").waitFor();
      await expectAxeClean("runs");

      await page.getByRole("link", { name: "Poängsammanställning" }).first().click();
      await page.waitForURL(/\/runs\/[0-9a-f-]+$/);
      const firstRunUrl = page.url();
      await expectHeading("Poängsammanställning");
      await page.getByRole("definition").filter({ hasText: "Åk 8 ht" }).waitFor();
      await page.getByRole("definition").filter({ hasText: "elever.csv" }).waitFor();
      await page.getByRole("table", { name: "Poäng per elev" }).waitFor();
      await expectAxeClean("run page");

      await page.getByRole("button", { name: "Kör igen med samma indata" }).click();
      await page.waitForURL((url) => url.pathname.startsWith("/runs/") && url.href !== firstRunUrl);
      await page.getByRole("table", { name: "Poäng per elev" }).waitFor({ timeout: 60_000 });
      await page.getByRole("definition").filter({ hasText: "Åk 8 ht" }).waitFor();

      await page.getByRole("button", { name: "Ta bort körningen" }).click();
      await page.locator("sk-confirm-dialog").getByRole("button", { name: "Ta bort körningen" }).click();
      await page.waitForURL(`${server.url}/runs?deleted=1`);
      await page.getByText("Körningen är borttagen.").waitFor();
      await page.getByText("Körningar: 6").waitFor();
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "an unknown tool says so; a long run shows its progress and stops when cancelled",
    async () => {
      browser.allowHttpError("GET", "/api/v1/catalog/tools/finns-inte", 404);
      await page.goto(`${server.url}/tools/finns-inte`);
      await page.getByText("Verktyget finns inte eller är inte publicerat.").waitFor();

      await page.goto(`${server.url}/tools/e2e-vanta`);
      await expectHeading("Lång beräkning");
      await runButton().click();
      await page.getByText("Körs…").waitFor({ timeout: 60_000 });
      await page.getByText(/Har körts i \d+ s/).waitFor();
      await expectAxeClean("running");
      await page.getByRole("button", { name: "Avbryt" }).click();
      await page.getByText("Körningen avbröts.").waitFor({ timeout: 30_000 });
      await page.goto(`${server.url}/runs?status=cancelled`);
      await page.getByText("Körningar: 1").waitFor();
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "320 px: the tool page with a result and the run list fit and stay axe-clean",
    async () => {
      await page.setViewportSize({ width: 320, height: 640 });
      const runs = await page.evaluate(async () => (await (await fetch("/api/v1/runs?tool=e2e-poang")).json()) as { items: { run_id: string }[] });
      const runId = runs.items[0]!.run_id;
      for (const path of ["/", "/tools", `/tools/e2e-poang?run=${runId}`, "/runs", `/runs/${runId}`]) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await page.waitForTimeout(500);
        expect({ path, width: await page.evaluate<number>("document.documentElement.scrollWidth") }).toEqual({ path, width: 320 });
        expect({ path, axe: await browser.axe({ skipFrames: true }) }).toEqual({ path, axe: [] });
      }
      // For looking at (not compared): the run's page as a teacher's phone shows it.
      await page.screenshot({ path: "/tmp/skriptoteket-shots/journey-320-run.png", fullPage: true }).catch(() => undefined);
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );
});
