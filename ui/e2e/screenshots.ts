// Developer tool, not a test: screenshots of every page against the mocked API, to look at layout
// and appearance after UI changes (needs a `vite build` first).
//
//   bun ui/e2e/screenshots.ts [width=1280] [outDir=/tmp/skriptoteket-shots]
import { mkdir } from "node:fs/promises";
import { openBrowser } from "../../scripts/e2e/browser";
import { startUiServer } from "../../scripts/e2e/ui-server";
import { installMockApi } from "./mock-api";
import { installMockToolsApi } from "./mock-tools-api";

const width = Number(process.argv[2] ?? "1280");
const outDir = process.argv[3] ?? "/tmp/skriptoteket-shots";
await mkdir(outDir, { recursive: true });

const ui = await startUiServer();
const browser = await openBrowser(ui.url, { viewport: { width, height: 900 } });
browser.allowHttpError("GET", "/api/v1/auth/me", 401);
browser.allowHttpError("POST", "/api/v1/auth/verify-email", 400);
const mock = await installMockApi(browser.context, { extraUsers: 40 });
await installMockToolsApi(browser.context, mock);
const page = browser.page;

async function shot(name: string) {
  await page.waitForTimeout(400);
  const file = `${outDir}/${width}-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  const axe = await browser.axe();
  console.log(`${file}  axe: ${axe.length ? axe.join("; ") : "clean"}`);
}

for (const path of ["/login", "/register", "/forgot-password", "/reset-password?token=x", "/verify-email?token=bad"]) {
  await page.goto(ui.url + path);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot(path.slice(1).replace(/[?=]/g, "-"));
}
await page.goto(`${ui.url}/login`);
await page.getByLabel("E-postadress").fill("rektor@skola.se");
await page.getByLabel("Lösenord", { exact: true }).fill("superhemligt-123");
await page.getByRole("button", { name: "Logga in" }).click();
await page.waitForURL(`${ui.url}/`);
for (const [name, path] of [["home", "/"], ["profile", "/profile"], ["admin-users", "/admin/users"], ["admin-user", "/admin/users/u2"], ["not-found", "/nope"]] as const) {
  await page.goto(ui.url + path);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot(name);
}
await page.getByRole("button", { name: /Sara Superadmin/ }).click();
await shot("user-menu-open");
await page.keyboard.press("Escape");
await page.getByRole("button", { name: "English" }).click();
await page.goto(`${ui.url}/admin/users`);
await page.getByText("Matches:").waitFor();
await page.getByRole("button", { name: "Reset password" }).nth(1).click();
await page.getByRole("dialog").waitFor();
await shot("en-reset-dialog");

console.log(browser.problems.length ? browser.problems : "no browser problems");
await browser.close();
ui.stop();
