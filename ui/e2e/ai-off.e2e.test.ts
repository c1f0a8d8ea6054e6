// With [ai] enabled = false there is no AI anywhere in the UI: every page of the app (every route in
// ui/src/router/routes.ts, admin and editor pages included) is opened as a superuser and searched,
// through every shadow root, for elements marked data-ai, a rendered assistant drawer, and AI words in
// texts and labels; the admin AI page is not a page; documents are sorted by the user's rules only
// (no type, summary or fields). An Ollama-compatible server stands at [ai] ollama_url the whole time
// and must receive nothing. Runs against the BUILT binary; no Docker needed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startTestOllama, TEST_CHAT_MODEL, TEST_EMBED_MODEL, type TestOllama } from "../../src/ai/test-ollama-server";
import { makeTextPdf } from "../../src/documents/test-pdf";
import { openBrowser, type BrowserSession } from "../../scripts/e2e/browser";
import { BINARY, startServer, type RunningServer } from "../../scripts/e2e/server";
import { ROUTES } from "../src/router/routes";

const SUPERUSER = { email: "chef@skola.se", password: "Kanelbullar-och-te-9", role: "superuser" as const };
const STEP_TIMEOUT = 180_000;
const TOOL = "e2e-pdfinfo";
/** What would betray an AI feature in a text or a label (case matters for "AI": Swedish words contain "ai"). */
const AI_WORDS = /\bAI\b|\bAI-|AI:n|[Aa]ssistent|Ollama|embedding|Beskriv vad du behöver|Describe what you need/;

interface Scan {
  aiElements: number;
  drawers: number;
  texts: string[];
}

// Every element of the page, through every open shadow root: data-ai marks, assistant drawers that
// rendered something, and the text and labelling attributes people and screen readers get.
// (A string: this file is type-checked without the DOM library.)
const SCAN = `(() => {
  const result = { aiElements: 0, drawers: 0, texts: [] };
  const attributes = ["aria-label", "label", "hint", "placeholder", "summary", "title", "alt"];
  const walk = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (text && node.parentElement && !["STYLE", "SCRIPT"].includes(node.parentElement.tagName)) result.texts.push(text);
    }
    for (const el of root.querySelectorAll("*")) {
      if (el.hasAttribute("data-ai")) result.aiElements++;
      if (el.tagName === "SK-ASSISTANT-DRAWER" && el.shadowRoot && el.shadowRoot.querySelector("*")) result.drawers++;
      for (const name of attributes) {
        const value = el.getAttribute(name);
        if (value && value.trim()) result.texts.push(value.trim());
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return result;
})()`;

let fake: TestOllama;
let server: RunningServer;
let browser: BrowserSession;
let page: Page;

describe("AI turned off", () => {
  beforeAll(async () => {
    fake = await startTestOllama();
    server = await startServer({ ai: { enabled: false, ollama_url: fake.url, chat_model: TEST_CHAT_MODEL, embed_model: TEST_EMBED_MODEL } });
    await server.createUser(SUPERUSER);
    const cli = Bun.spawn([BINARY, "tool", "import", join(import.meta.dir, "tools", TOOL), "--publish", "--config", server.configPath], { stdout: "pipe", stderr: "pipe" });
    const [code, out, err] = await Promise.all([cli.exited, new Response(cli.stdout).text(), new Response(cli.stderr).text()]);
    if (code !== 0) throw new Error(`tool import failed (${code}): ${out}${err}`);
    browser = await openBrowser(server.url);
    page = browser.page;
    browser.allowHttpError("GET", "/api/v1/auth/me", 401);
    await page.goto(`${server.url}/login`);
    await page.getByLabel("E-postadress").fill(SUPERUSER.email);
    await page.getByLabel("Lösenord", { exact: true }).fill(SUPERUSER.password);
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForURL(`${server.url}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.stop();
  }, 30_000);

  async function scan(where: string): Promise<void> {
    const found = (await page.evaluate(SCAN)) as Scan;
    const words = found.texts.filter((text) => AI_WORDS.test(text));
    expect({ where, aiElements: found.aiElements, drawers: found.drawers, words }).toEqual({ where, aiElements: 0, drawers: 0, words: [] });
  }

  test(
    "documents are sorted by the user's rules only: no type, summary, fields or model anywhere",
    async () => {
      await page.goto(`${server.url}/documents`);
      await page.getByRole("heading", { level: 1, name: "Mina dokument" }).waitFor();
      await page.getByRole("button", { name: "Ny kategori" }).click();
      const dialog = page.locator(`wa-dialog[label="Ny kategori"]`);
      await dialog.getByLabel("Namn").fill("Intyg");
      await dialog.getByLabel("Nyckelord").fill("intyg");
      await dialog.getByRole("button", { name: "Spara" }).click();
      await page.getByText("Kategorin Intyg har skapats.").waitFor();
      await page.locator("sk-document-upload input[type=file]").setInputFiles([
        { name: "intyg.pdf", mimeType: "application/pdf", buffer: Buffer.from(makeTextPdf(["Intyg om närvaro för Åsa Öberg."])) },
        { name: "brev.pdf", mimeType: "application/pdf", buffer: Buffer.from(makeTextPdf(["Ett brev om skolresan."])) },
      ]);
      const list = page.getByRole("list", { name: "Dokument", exact: true });
      // The rule matched one document (something to review); nothing matched the other (done).
      await list.getByRole("listitem").filter({ hasText: "intyg.pdf" }).getByText("Behöver granskas").waitFor({ timeout: 30_000 });
      await list.getByRole("listitem").filter({ hasText: "brev.pdf" }).getByText("Klar", { exact: true }).waitFor({ timeout: 30_000 });
      // No type filter: types come from the AI.
      expect(await page.getByRole("combobox", { name: "Dokumenttyp" }).count()).toBe(0);
      await scan("documents");

      await page.getByRole("link", { name: "Granska förslagen" }).click();
      const article = page.getByRole("article", { name: "intyg.pdf" });
      await article.getByRole("checkbox", { name: "Intyg (förslag från dina regler)" }).waitFor();
      expect(await article.getByRole("combobox", { name: "Dokumenttyp" }).count()).toBe(0);
      expect(await article.getByLabel("Sammanfattning").count()).toBe(0);
      await scan("review");
      await article.getByRole("button", { name: "Godkänn" }).click();
      await page.getByText("Sparat: intyg.pdf.").waitFor();
      expect(browser.problems).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  test(
    "every page of the app shows no AI element",
    async () => {
      const me = (await page.evaluate("fetch('/api/v1/auth/me').then((r) => r.json())")) as { user: { id: string } };
      const params: Record<string, string> = { slug: TOOL, id: me.user.id };
      const visited: string[] = [];
      for (const route of ROUTES) {
        if (route.access === "guest") continue; // login and register send a logged-in user home
        const path = route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? "x"));
        await page.goto(`${server.url}${path}`);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        await page.waitForLoadState("networkidle");
        await scan(path);
        visited.push(path);
      }
      expect(visited).toContain("/admin/ai");
      expect(visited).toContain("/tools");
      expect(visited).toContain(`/tools/${TOOL}/edit`);

      // The admin AI page does not exist, and the catalog has no "describe what you need".
      await page.goto(`${server.url}/admin/ai`);
      await page.getByRole("heading", { level: 1, name: "Sidan finns inte" }).waitFor();
      await page.goto(`${server.url}/tools`);
      await page.getByRole("heading", { level: 1, name: "Verktyg" }).waitFor();
      expect(await page.getByRole("searchbox", { name: "Sök verktyg" }).count()).toBe(1);
      // The element is there (the catalog page includes it) but renders nothing.
      const rendered = await page.locator("sk-semantic-search").evaluate((el) => (el as unknown as { shadowRoot: { childElementCount: number } }).shadowRoot.childElementCount);
      expect(rendered).toBe(0);

      // Pages given made-up ids may answer 404 (a run or a user that does not exist); nothing else may go wrong.
      expect(browser.problems.filter((p) => !p.startsWith("unexpected HTTP 404"))).toEqual([]);
      // And nothing ever tried to reach the AI server.
      expect(fake.requests).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
