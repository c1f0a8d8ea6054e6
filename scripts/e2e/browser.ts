// Headless Debian chromium for the browser tests, watching for what must never happen in the UI:
// a request to another origin (the product runs air-gapped), a Content-Security-Policy violation,
// a console error or an uncaught exception, and HTTP errors the test did not expect.
// A fresh user-data-dir per launch: no state leaks between runs.
//
//   const browser = await openBrowser(baseUrl);
//   browser.allowHttpError("GET", "/api/v1/auth/me", 401); // the UI asks before anyone logs in
//   await browser.page.goto(baseUrl + "/login");
//   …
//   browser.expectClean();   // throws, listing every problem seen
//   await browser.close();
import AxeBuilder from "@axe-core/playwright";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface AllowedHttpError {
  path: string;
  status: number;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong so far, one line each. */
  problems: string[];
  /**
   * Declares an HTTP error the test expects (it is then not a problem). The browser reports failed
   * loads without their method, so `method` only documents the call.
   */
  allowHttpError(method: string, path: string, status: number): void;
  /** Throws when any problem was seen. */
  expectClean(): void;
  /**
   * Runs axe on the current page; returns the serious and critical violations, formatted.
   * `skipFrames`: do not look inside iframes (the frame elements themselves are still checked). Needed
   * where a run result shows tool output in a sandboxed frame: axe cannot run in it and would wait forever.
   */
  axe(options?: { skipFrames?: boolean }): Promise<string[]>;
  close(): Promise<void>;
}

export async function openBrowser(
  baseUrl: string,
  { viewport = { width: 1280, height: 900 }, locale = "sv-SE" }: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<BrowserSession> {
  const origin = new URL(baseUrl).origin;
  const userDataDir = await mkdtemp(join(tmpdir(), "skriptoteket-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale,
  });
  const problems: string[] = [];
  const allowed: AllowedHttpError[] = [];

  // Watched from inside the page and reported through the console (the page's own view is exact, and
  // it avoids Playwright's request/response events, which proved flaky under Bun): CSP violations, and
  // every resource the page loaded (scripts, styles, icons, fetch) checked for its origin.
  // (A string, as this file is type-checked without the DOM library.)
  await context.addInitScript({
    content: `
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "(inline)"));
      });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const url = new URL(entry.name, location.href);
          if ((url.protocol === "http:" || url.protocol === "https:") && url.origin !== location.origin) {
            console.error("request to another origin: " + entry.name);
          }
        }
      }).observe({ type: "resource", buffered: true });
    `,
  });

  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      // The browser logs every HTTP error response like this; the test may expect some of them.
      const failed = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
      if (failed) {
        const url = new URL(message.location().url, origin);
        const status = Number(failed[1]);
        const ok = allowed.some((a) => a.path === url.pathname && a.status === status);
        if (!ok) problems.push(`unexpected HTTP ${status}: ${url.pathname}${url.search}`);
        return;
      }
      problems.push(`console error: ${text}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.message}`));
  };
  context.on("page", watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  return {
    context,
    page,
    problems,
    allowHttpError(_method, path, status) {
      allowed.push({ path, status });
    },
    expectClean() {
      if (problems.length > 0) throw new Error(`browser problems:\n  ${problems.join("\n  ")}`);
    },
    async axe({ skipFrames = false }: { skipFrames?: boolean } = {}) {
      const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]);
      // The legacy runner honours `iframes: false`; the default one still descends into every frame.
      if (skipFrames) builder.options({ iframes: false }).setLegacyMode(true);
      const results = await builder.analyze();
      return results.violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .map(
          (violation) =>
            `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
              .slice(0, 3)
              .map((node) => node.target.join(" "))
              .join(" | ")})`,
        );
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
