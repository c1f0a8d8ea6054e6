// Documents and local AI in a real browser against the BUILT binary, with an Ollama-compatible server
// started by the test (src/ai/test-ollama-server.ts, the only allowed stand-in) as [ai] ollama_url:
// upload three PDFs and watch them move through the pipeline → review the suggestions (accept, edit,
// reject) → filter and search → bulk-assign a category → process again, a failure with its reason and
// a retry → run a tool on a stored document (Docker) → the admin AI page (status, models, test chat and
// embedding, reindex) → "describe what you need" finds a tool by a paraphrase → the editor's assistant
// streams an answer whose diff can be previewed; a second question while one is answered is refused
// nicely → 320 px. axe on every page, no request to another origin, no CSP violation, no console error.
// Skipped without Docker and the runner image.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { startTestOllama, TEST_CHAT_MODEL, TEST_EMBED_MODEL, type FakeRequest, type FakeReply, type TestOllama } from "../../src/ai/test-ollama-server";
import { makeTextPdf } from "../../src/documents/test-pdf";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { BINARY, startServer, type RunningServer } from "../../scripts/e2e/server";

const IMAGE = "skriptoteket-runner:latest";
const dockerReady = Bun.spawnSync(["docker", "image", "inspect", IMAGE], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
if (!dockerReady) console.warn(`documents-journey.e2e.test.ts: skipped, Docker or the image ${IMAGE} is not available`);

const TOOLS = join(import.meta.dir, "tools");
const TEACHER = { email: "larare@skola.se", password: "Rodbetor-och-kalops-7", role: "user" as const };
const ADMIN = { email: "admin@skola.se", password: "Lingon-och-palt-och-kaffe-3", role: "admin" as const };
const STEP_TIMEOUT = 120_000;
const PIPELINE_WAIT = 45_000;

const DOCS = {
  intyg: { name: "narvarointyg.pdf", text: "Intyg om närvaro\nEleven Åsa Öberg har deltagit i undervisningen.\nDatum: 2026-03-02" },
  betyg: { name: "betyg-matematik.pdf", text: "Betyg i matematik\nOmdöme för årskurs 9: godtagbara kunskaper.\nDiarienummer 2026/114" },
  protokoll: { name: "klassrad-protokoll.pdf", text: "Protokoll från klassrådet\nKlass 9A diskuterade skolmaten och rasterna." },
};

/** What the fake model answers for a document (picked by the words in the prompt). */
function classification(prompt: string): Record<string, unknown> {
  const fields = { datum: null, avsändare: null, mottagare: null, diarienummer: null };
  if (prompt.includes("Intyg om närvaro"))
    return { doc_type: "blankett", summary: "Intyg om Åsa Öbergs närvaro.", categories: ["Intyg"], fields: { ...fields, datum: "2026-03-02" }, confidence: 0.91 };
  if (prompt.includes("Betyg i matematik"))
    return { doc_type: "rapport", summary: "Betyg i matematik för årskurs 9.", categories: ["Betyg"], fields: { ...fields, diarienummer: "2026/114" }, confidence: 0.82 };
  return { doc_type: "protokoll", summary: "Protokoll från klassrådet i 9A.", categories: [], fields, confidence: 0.64 };
}

const DIFF = "--- a/tool.py\n+++ b/tool.py\n@@ -1,3 +1,3 @@\n-\"\"\"PDF-kontroll\n+\"\"\"PDF-kontroll, med hälsning\n";
const ANSWER = `Lägg till en hälsning i docstringen:\n\n\`\`\`diff\n${DIFF}\`\`\`\n\nKör sedan verktyget i sandlådan.`;

/** How the fake model behaves for the next chat requests (the test switches it between steps). */
let chatMode: "ok" | "slow" | "unknown_model" = "slow";

function chatReply(request: FakeRequest): FakeReply {
  const body = request.body ?? {};
  const prompt = JSON.stringify(body.messages ?? body.prompt ?? "");
  if (!body.format) return { content: ANSWER, chunkDelayMs: chatMode === "slow" ? 150 : 10 };
  if (chatMode === "unknown_model") return { status: 404, error: `model "${TEST_CHAT_MODEL}" not found, try pulling it first` };
  return { json: classification(prompt), delayMs: chatMode === "slow" ? 1500 : 0 };
}

/** The tool id the editor gave its assistant drawer (found through the shadow roots; a string: no DOM types here). */
const FIND_DRAWER_TOOL_ID = `(() => {
  const find = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.tagName === "SK-ASSISTANT-DRAWER") return el;
      const inner = el.shadowRoot && find(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  return find(document).toolId;
})()`;

let fake: TestOllama;
let server: RunningServer;
let browser: BrowserSession;
let page: Page;

async function importTools() {
  const dirs = ["e2e-pdfinfo", "e2e-poang"].map((d) => join(TOOLS, d));
  const cli = Bun.spawn([BINARY, "tool", "import", ...dirs, "--publish", "--config", server.configPath], { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([cli.exited, new Response(cli.stdout).text(), new Response(cli.stderr).text()]);
  if (code !== 0) throw new Error(`tool import failed (${code}): ${out}${err}`);
}

describe.skipIf(!dockerReady)("documents and local AI", () => {
  beforeAll(async () => {
    fake = await startTestOllama();
    // Every chat request goes through chatReply (a queue of the same function, consumed in order).
    fake.script("chat", ...Array.from({ length: 500 }, () => chatReply));
    server = await startServer({
      ai: { enabled: true, ollama_url: fake.url, chat_model: TEST_CHAT_MODEL, embed_model: TEST_EMBED_MODEL, embed_sync_seconds: 10, timeout_seconds: 20, max_retries: 0 },
    });
    await server.createUser(TEACHER);
    await server.createUser(ADMIN);
    await importTools();
    browser = await openBrowser(server.url);
    page = browser.page;
    browser.allowHttpError("GET", "/api/v1/auth/me", 401);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.stop();
  }, 30_000);

  async function logIn(user: { email: string; password: string }) {
    await browser.context.clearCookies();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("E-postadress").fill(user.email);
    await page.getByLabel("Lösenord", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForURL(`${server.url}/`);
  }

  async function expectHeading(text: string) {
    await page.getByRole("heading", { level: 1, name: text, exact: true }).waitFor();
  }

  async function expectAxeClean(where: string) {
    expect({ where, violations: await browser.axe({ skipFrames: true }) }).toEqual({ where, violations: [] });
  }

  function expectNoProblems() {
    expect(browser.problems).toEqual([]);
  }

  const documentItem = (name: string) => page.getByRole("list", { name: "Dokument", exact: true }).getByRole("listitem").filter({ has: page.getByRole("heading", { name, level: 3 }) });

  async function waitForStatus(name: string, status: string, timeout = PIPELINE_WAIT) {
    await documentItem(name).getByText(status, { exact: true }).waitFor({ timeout });
  }

  async function createCategory(name: string, keywords: string) {
    await page.getByRole("button", { name: "Ny kategori" }).click();
    const dialog = page.locator(`wa-dialog[label="Ny kategori"]`);
    await dialog.getByLabel("Namn").fill(name);
    if (keywords) await dialog.getByLabel("Nyckelord").fill(keywords);
    await dialog.getByRole("button", { name: "Spara" }).click();
    await page.getByText(`Kategorin ${name} har skapats.`).waitFor();
  }

  /**
   * Ticks or unticks a wa-checkbox. Its drawn box covers the native input (Playwright refuses to click
   * through it), so the input gets the click event itself, as it does when the box is clicked.
   */
  async function setChecked(box: Locator, on: boolean) {
    if ((await box.isChecked()) !== on) await box.dispatchEvent("click");
    // The element re-renders its state a moment after the click.
    for (let waited = 0; (await box.isChecked()) !== on && waited < 5_000; waited += 100) await Bun.sleep(100);
    expect(await box.isChecked()).toBe(on);
  }

  async function chooseOption(label: string, option: string) {
    await page.getByRole("combobox", { name: label }).click();
    await page.getByRole("option", { name: option, exact: true }).click();
  }

  test(
    "categories with rules, three PDFs uploaded at once, their statuses followed live until review",
    async () => {
      await logIn(TEACHER);
      await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Dokument" }).click();
      await expectHeading("Mina dokument");
      await page.getByText("Du har inga dokument än. Ladda upp en PDF för att börja.").waitFor();
      await createCategory("Intyg", "intyg, närvaro");
      await createCategory("Betyg", "");
      const categories = page.getByRole("list", { name: "Mina kategorier" });
      await categories.getByText("Ord: intyg, närvaro").waitFor();
      await expectAxeClean("documents, empty");

      // A file named .pdf that is not a PDF is refused by its content.
      browser.allowHttpError("POST", "/api/v1/documents", 415);
      await page.locator("sk-document-upload input[type=file]").setInputFiles([{ name: "falsk.pdf", mimeType: "application/pdf", buffer: Buffer.from("namn;poang\nAnna;3\n") }]);
      await page.locator("sk-document-upload").getByRole("alert").filter({ hasText: /falsk\.pdf/ }).waitFor();

      chatMode = "slow";
      await page.locator("sk-document-upload input[type=file]").setInputFiles(
        Object.values(DOCS).map((d) => ({ name: d.name, mimeType: "application/pdf", buffer: Buffer.from(makeTextPdf([d.text])) })),
      );
      await page.getByText("Uppladdade dokument: 3. De bearbetas nu.").waitFor();
      await page.getByText("Dokument: 3", { exact: true }).waitFor();
      // Live: the slow model keeps the last document in the pipeline long enough to see it there.
      await documentItem(DOCS.protokoll.name).getByText(/Väntar|Läser texten|Sorterar/).waitFor();
      await waitForStatus(DOCS.intyg.name, "Behöver granskas");
      await waitForStatus(DOCS.betyg.name, "Behöver granskas");
      await waitForStatus(DOCS.protokoll.name, "Behöver granskas");
      await documentItem(DOCS.intyg.name).getByText("Sidor: 1", { exact: false }).waitFor();
      await page.getByText("Dokument som väntar på din granskning: 3.").waitFor();
      await expectAxeClean("documents, processed");
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "the review queue: accept one as suggested, edit and accept one, reject one",
    async () => {
      chatMode = "ok";
      await page.getByRole("link", { name: "Granska förslagen" }).click();
      await expectHeading("Granska förslag");
      await page.getByText("Dokument att granska: 3").waitFor();
      const intyg = page.getByRole("article", { name: DOCS.intyg.name });
      await intyg.getByText(`Förslag från AI-modellen ${TEST_CHAT_MODEL}, 91 % säker.`).waitFor();
      // The rule (keyword "intyg") and the model both named Intyg: the model's confidence wins.
      await intyg.getByRole("checkbox", { name: /Intyg/ }).waitFor();
      expect(await intyg.getByRole("checkbox", { name: /Intyg/ }).isChecked()).toBe(true);
      expect(await intyg.getByRole("combobox", { name: "Dokumenttyp" }).inputValue()).toBe("blankett");
      await expectAxeClean("review queue");
      await intyg.getByRole("button", { name: "Godkänn" }).click();
      await page.getByText(`Sparat: ${DOCS.intyg.name}.`).waitFor();
      await page.getByText("Dokument att granska: 2").waitFor();

      const betyg = page.getByRole("article", { name: DOCS.betyg.name });
      await betyg.getByRole("combobox", { name: "Dokumenttyp" }).click();
      await page.getByRole("option", { name: "elevarbete", exact: true }).click();
      await betyg.getByLabel("Sammanfattning").fill("Matematikbetyg, åk 9.");
      await betyg.getByLabel("mottagare").fill("Vårdnadshavare");
      await setChecked(betyg.getByRole("checkbox", { name: /Intyg/ }), true);
      await betyg.getByRole("button", { name: "Godkänn" }).click();
      await page.getByText(`Sparat: ${DOCS.betyg.name}.`).waitFor();

      const protokoll = page.getByRole("article", { name: DOCS.protokoll.name });
      await protokoll.getByRole("button", { name: "Avvisa förslaget" }).click();
      await page.getByText(`Förslaget för ${DOCS.protokoll.name} avvisades; dokumentet behålls som det var.`).waitFor();
      await page.getByText("Det finns inget att granska just nu.").waitFor();

      await page.getByRole("link", { name: "Tillbaka till mina dokument" }).click();
      await expectHeading("Mina dokument");
      const betygItem = documentItem(DOCS.betyg.name);
      await betygItem.getByText("Typ: elevarbete").waitFor();
      await betygItem.getByText("Matematikbetyg, åk 9.").waitFor();
      expect(await betygItem.getByRole("list", { name: "Kategorier" }).getByRole("listitem").allTextContents()).toEqual(["Betyg", "Intyg"]);
      await documentItem(DOCS.intyg.name).getByText("Typ: blankett").waitFor();
      // Rejected: nothing of the suggestion was kept.
      await waitForStatus(DOCS.protokoll.name, "Klar");
      expect(await documentItem(DOCS.protokoll.name).getByText(/^Typ:/).count()).toBe(0);
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "filters by status, type, category and dates, and full-text search with the hit marked",
    async () => {
      await chooseOption("Status", "Klar");
      await page.waitForURL(`${server.url}/documents?status=done`);
      await page.getByText("Dokument: 3", { exact: true }).waitFor();
      await chooseOption("Dokumenttyp", "elevarbete");
      await page.waitForURL(`${server.url}/documents?status=done&type=elevarbete`);
      await page.getByText("Dokument: 1", { exact: true }).waitFor();
      await documentItem(DOCS.betyg.name).waitFor();
      await page.goto(`${server.url}/documents`);
      await chooseOption("Kategori", "Intyg");
      await page.getByText("Dokument: 2", { exact: true }).waitFor();
      await page.goto(`${server.url}/documents`);

      const today = new Date();
      const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
      const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
      await page.getByLabel("Uppladdat från").fill(day(today));
      await page.getByText("Dokument: 3", { exact: true }).waitFor();
      await page.getByLabel("Uppladdat från").fill(day(tomorrow));
      await page.getByText("Inga dokument matchar.").waitFor();
      await page.getByRole("link", { name: "Visa alla dokument" }).click();
      await page.getByText("Dokument: 3", { exact: true }).waitFor();

      await page.getByRole("searchbox", { name: "Sök bland dokumenten" }).fill("skolmaten");
      await page.waitForURL(`${server.url}/documents?q=skolmaten`);
      await page.getByText("Dokument: 1", { exact: true }).waitFor();
      const hit = documentItem(DOCS.protokoll.name);
      expect(await hit.locator("mark").allTextContents()).toEqual(["skolmaten"]);
      await expectAxeClean("documents, searched");
      await page.getByRole("searchbox", { name: "Sök bland dokumenten" }).fill("");
      await page.waitForURL(`${server.url}/documents`);
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "bulk: a new category for every document, then process one again; a failure shows its reason and retries",
    async () => {
      await page.getByText("Dokument: 3", { exact: true }).waitFor();
      await createCategory("Läsår 25/26", "");
      await setChecked(page.getByRole("checkbox", { name: "Välj alla på sidan" }), true);
      const bulk = page.getByRole("group", { name: "Ändra de valda dokumenten" });
      await bulk.getByText("Valda dokument: 3").waitFor();
      await bulk.getByRole("combobox", { name: "Kategori" }).click();
      await page.getByRole("option", { name: "Läsår 25/26", exact: true }).click();
      await bulk.getByRole("button", { name: "Lägg till kategorin" }).click();
      await page.getByText("Kategorin Läsår 25/26 lades till på 3 dokument.").waitFor();
      for (const d of Object.values(DOCS)) await documentItem(d.name).getByRole("list", { name: "Kategorier" }).getByText("Läsår 25/26").waitFor();
      await page.getByRole("list", { name: "Mina kategorier" }).getByText("dokument: 3").waitFor();
      await expectAxeClean("documents, bulk");
      await setChecked(page.getByRole("checkbox", { name: "Välj alla på sidan" }), false);

      // Process again after a (simulated) model change: the pipeline runs from the start.
      chatMode = "slow";
      await page.getByRole("button", { name: `Bearbeta ${DOCS.protokoll.name} igen` }).click();
      await page.getByText("Dokument som bearbetas igen: 1.").waitFor();
      await documentItem(DOCS.protokoll.name).getByText(/Väntar|Läser texten|Sorterar/).waitFor();
      await waitForStatus(DOCS.protokoll.name, "Behöver granskas");

      // The model is missing on the Ollama server: the document fails with a reason, and retrying works.
      chatMode = "unknown_model";
      await setChecked(page.getByRole("checkbox", { name: `Välj ${DOCS.betyg.name}` }), true);
      await page.getByRole("group", { name: "Ändra de valda dokumenten" }).getByRole("button", { name: "Bearbeta igen" }).click();
      await waitForStatus(DOCS.betyg.name, "Misslyckades");
      const failed = documentItem(DOCS.betyg.name);
      // The reason says what to do (the server's translated text for ai.unknown_model).
      await failed.getByRole("alert").filter({ hasText: /Modellen finns inte på AI-servern/ }).waitFor();
      await expectAxeClean("documents, failed");
      chatMode = "ok";
      await failed.getByRole("button", { name: "Försök igen" }).click();
      await waitForStatus(DOCS.betyg.name, "Behöver granskas");
      // Accepted values survive processing again.
      await documentItem(DOCS.betyg.name).getByText("Typ: elevarbete").waitFor();
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "a tool runs on a stored document chosen on the tool page",
    async () => {
      await page.goto(`${server.url}/tools/e2e-pdfinfo`);
      await expectHeading("PDF-kontroll");
      await page.getByRole("button", { name: "Välj bland mina dokument" }).click();
      const dialog = page.locator(`wa-dialog[label="Välj dokument"]`);
      await setChecked(dialog.getByRole("checkbox", { name: new RegExp(DOCS.intyg.name) }), true);
      await dialog.getByRole("button", { name: "Använd de valda (1)" }).click();
      await page.getByRole("list", { name: "Valda dokument: 1" }).getByText(DOCS.intyg.name).waitFor();
      await expectAxeClean("tool page with a stored document");
      await page.getByRole("button", { name: "Kör", exact: true }).click();
      await page.getByRole("heading", { name: "Resultat", level: 2 }).waitFor({ timeout: 60_000 });
      const bytes = makeTextPdf([DOCS.intyg.text]).length;
      await page.getByText(`${DOCS.intyg.name}: ${bytes} byte, 1 sidor.`).waitFor();
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "the admin AI page: the server, its models, a test chat, a test embedding and the search index",
    async () => {
      await logIn(ADMIN);
      await page.goto(`${server.url}/admin/taxonomy`);
      await page.getByRole("navigation", { name: "Administrationssidor" }).getByRole("link", { name: "AI", exact: true }).click();
      await expectHeading("AI");
      await page.getByText("Servern svarar (version 0.12.3).").waitFor();
      const models = page.getByRole("table", { name: "Modeller på servern" });
      await models.getByText(TEST_CHAT_MODEL).waitFor();
      await models.getByText(TEST_EMBED_MODEL).waitFor();
      await expectAxeClean("admin AI");

      const chat = page.getByRole("region", { name: "Testa chatt" });
      expect(await chat.getByRole("combobox", { name: "Modell" }).inputValue()).toBe(TEST_CHAT_MODEL);
      await chat.getByLabel("Meddelande").fill("Hej, fungerar du?");
      await chat.getByRole("button", { name: "Skicka" }).click();
      await chat.getByText(`Modell ${TEST_CHAT_MODEL}`, { exact: false }).waitFor();
      expect(await chat.locator("p.reply").textContent()).toContain("Lägg till en hälsning");

      const embedding = page.getByRole("region", { name: "Testa embedding" });
      expect(await embedding.getByRole("combobox", { name: "Modell" }).inputValue()).toBe(TEST_EMBED_MODEL);
      await embedding.getByRole("button", { name: "Beräkna" }).click();
      await embedding.getByText(`Modell ${TEST_EMBED_MODEL}: en vektor med 256 dimensioner`, { exact: false }).waitFor();

      const index = page.getByRole("region", { name: "Verktygens sökindex" });
      await index.getByRole("button", { name: "Uppdatera indexet nu" }).click();
      await index.getByText(/Indexet uppdaterat:/).waitFor();
      await index.getByText("2 av 2").waitFor();
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "describe what you need: a paraphrase finds the tool by meaning",
    async () => {
      await logIn(TEACHER);
      await page.goto(`${server.url}/tools`);
      await expectHeading("Verktyg");
      await page.getByText("Beskriv vad du behöver").click();
      const phrase = "Kolla sidorna i ett PDF-dokument";
      await page.getByLabel("Vad vill du göra?").fill(phrase);
      await page.getByRole("button", { name: "Hitta verktyg" }).click();
      const results = page.getByRole("list", { name: `Verktyg för ”${phrase}”` });
      await results.waitFor();
      await page.getByText("Rangordnat efter betydelse av webbplatsens AI.").waitFor();
      expect((await results.getByRole("link").first().textContent())?.trim()).toBe("PDF-kontroll");
      await expectAxeClean("catalog, described");
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "the editor's assistant streams an answer, offers its diff for preview and refuses a second question nicely",
    async () => {
      await logIn(ADMIN);
      await page.goto(`${server.url}/tools/e2e-pdfinfo/edit`);
      // (Strings: this file is type-checked without the DOM library.)
      await page.evaluate(`window.proposals = []; window.addEventListener("sk-assistant-propose", (event) => window.proposals.push(event.detail.diff));`);
      await page.getByRole("button", { name: "AI-assistent" }).click();
      const drawer = page.locator(`wa-drawer[label="AI-assistent"]`);
      await drawer.getByText("Inga frågor än.").waitFor();
      chatMode = "ok";
      await drawer.getByLabel("Din fråga").fill("Kan verktyget hälsa på användaren?");
      await drawer.getByRole("button", { name: "Skicka" }).click();
      await drawer.getByText("Kör sedan verktyget i sandlådan.").waitFor({ timeout: 30_000 });
      await drawer.getByRole("button", { name: "Förhandsgranska ändring 1" }).click();
      expect(await page.evaluate("window.proposals")).toEqual([DIFF]);
      await expectAxeClean("assistant drawer");

      // The conversation is kept: after a reload it is loaded again.
      await page.reload();
      await page.getByRole("button", { name: "AI-assistent" }).click();
      await page.locator(`wa-drawer[label="AI-assistent"]`).getByText("Kan verktyget hälsa på användaren?").waitFor();

      // One question at a time per user and tool: another tab is waiting for an answer.
      chatMode = "slow";
      const toolId = (await page.evaluate(FIND_DRAWER_TOOL_ID)) as string;
      const messagesPath = `/api/v1/ai/assistant/${toolId}/messages`;
      browser.allowHttpError("POST", messagesPath, 409);
      await page.evaluate(async (path) => {
        const { csrf_token } = (await (await fetch("/api/v1/auth/csrf")).json()) as { csrf_token: string };
        void fetch(path, {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": csrf_token },
          body: JSON.stringify({ message: "Från en annan flik", context: { source: "print('x')" } }),
        });
      }, messagesPath);
      const again = page.locator(`wa-drawer[label="AI-assistent"]`);
      await again.getByLabel("Din fråga").fill("Och en fråga till?");
      await again.getByRole("button", { name: "Skicka" }).click();
      await again.getByText(/Assistenten svarar redan på en fråga om det här verktyget/).waitFor();
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );

  test(
    "320 px: documents, review queue and admin AI are usable on a phone",
    async () => {
      const phone = await openBrowser(server.url, { viewport: { width: 320, height: 740 } });
      try {
        phone.allowHttpError("GET", "/api/v1/auth/me", 401);
        const p = phone.page;
        const visit = async (user: { email: string; password: string }, paths: string[]) => {
          await phone.context.clearCookies();
          await p.goto(`${server.url}/login`);
          await p.getByLabel("E-postadress").fill(user.email);
          await p.getByLabel("Lösenord", { exact: true }).fill(user.password);
          await p.getByRole("button", { name: "Logga in" }).click();
          await p.waitForURL(`${server.url}/`);
          for (const path of paths) {
            await p.goto(`${server.url}${path}`);
            await p.getByRole("heading", { level: 1 }).waitFor();
            await p.waitForLoadState("networkidle");
            expect({ path, width: await p.evaluate("document.documentElement.scrollWidth") }).toEqual({ path, width: 320 });
            expect({ path, violations: await phone.axe() }).toEqual({ path, violations: [] });
          }
        };
        await visit(TEACHER, ["/documents/review", "/documents"]);
        expect(await p.getByRole("button", { name: "Välj PDF-filer" }).isVisible()).toBe(true);
        const item = p.getByRole("list", { name: "Dokument", exact: true }).getByRole("listitem").first();
        expect(await item.getByRole("button", { name: /^Ta bort / }).isVisible()).toBe(true);
        await visit(ADMIN, ["/admin/ai"]);
        expect(await p.getByRole("button", { name: "Skicka" }).isVisible()).toBe(true);
        expect(phone.problems).toEqual([]);
      } finally {
        await phone.close();
      }
    },
    STEP_TIMEOUT,
  );

  test(
    "download the original, then delete a document after confirming",
    async () => {
      await logIn(TEACHER);
      await page.goto(`${server.url}/documents`);
      await page.getByText("Dokument: 3", { exact: true }).waitFor();
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: `Ladda ner ${DOCS.intyg.name}` }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(DOCS.intyg.name);
      expect(new Uint8Array(await Bun.file((await file.path())!).arrayBuffer())).toEqual(makeTextPdf([DOCS.intyg.text]));

      const id = await documentItem(DOCS.protokoll.name).getAttribute("data-id");
      await page.getByRole("button", { name: `Ta bort ${DOCS.protokoll.name}` }).click();
      const dialog = page.locator(`wa-dialog[label="Ta bort dokumentet?"]`);
      await dialog.getByRole("button", { name: "Ta bort" }).click();
      await page.getByText(`${DOCS.protokoll.name} har tagits bort.`).waitFor();
      await page.getByText("Dokument: 2", { exact: true }).waitFor();
      // The stored original is gone too.
      browser.allowHttpError("GET", `/api/v1/documents/${id}/file`, 404);
      expect(await page.evaluate(async (path) => (await fetch(path)).status, `/api/v1/documents/${id}/file`)).toBe(404);
      expectNoProblems();
    },
    STEP_TIMEOUT,
  );
});
