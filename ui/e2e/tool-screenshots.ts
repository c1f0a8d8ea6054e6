// Developer tool, not a test: screenshots of the teacher pages (home, catalog, tool with a result,
// two-step tool, runs, run, taxonomy admin) against the mocked API, to look at layout after UI changes
// (needs a `vite build` first). Prints axe's serious/critical findings per page.
//
//   bun ui/e2e/tool-screenshots.ts [width=1280] [outDir=/tmp/skriptoteket-shots]
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
const only = process.argv[4] ? new RegExp(process.argv[4]) : null;
browser.allowHttpError("GET", "/api/v1/auth/me", 401);
const mock = await installMockApi(browser.context);
await installMockToolsApi(browser.context, mock);
const page = browser.page;

async function shot(name: string) {
  await page.waitForTimeout(600);
  const file = `${outDir}/${width}-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  // Tall pages also in viewport-high parts, readable when looked at one by one.
  const height = await page.evaluate<number>("document.documentElement.scrollHeight");
  for (let y = 0, part = 1; y < height && height > 1200; y += 900, part++) {
    await page.screenshot({ path: file.replace(/\.png$/, `-part${part}.png`), fullPage: true, clip: { x: 0, y, width, height: Math.min(900, height - y) } });
  }
  const axe = await browser.axe({ skipFrames: true });
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth");
  console.log(`${file}  width ${overflow}  axe: ${axe.length ? axe.join("; ") : "clean"}`);
}

await page.goto(`${ui.url}/login?next=%2Ftools%2Fbetygsunderlag`);
await page.getByLabel("E-postadress").fill("rektor@skola.se");
await page.getByLabel("Lösenord", { exact: true }).fill("superhemligt-123");
await page.getByRole("button", { name: "Logga in" }).click();
await page.waitForURL(`${ui.url}/tools/betygsunderlag`);
await page.getByRole("heading", { level: 1, name: "Betygsunderlag" }).waitFor();
await shot("tool");
await page.getByRole("button", { name: "Kör", exact: true }).click();
await page.getByText("Kontrollera de markerade fälten.").first().waitFor();
await shot("tool-errors");
await page.getByLabel("Rubrik").fill("Åk 9 vt");
await page.getByRole("combobox", { name: "Ämne" }).click();
await page.getByRole("option", { name: "Matematik" }).click();
await page
  .locator("sk-file-picker input[type=file]")
  .setInputFiles([{ name: "elever.csv", mimeType: "text/csv", buffer: Buffer.from("namn;poang\nAnna;18\n") }]);
await page.getByRole("button", { name: "Kör", exact: true }).click();
await page.locator("sk-vega-chart svg").waitFor();
await shot("tool-result");

await page.goto(`${ui.url}/tools/narvarolista`);
await page.getByLabel("Klass").fill("9A");
await page.getByRole("button", { name: "Kör", exact: true }).click();
await page.getByRole("heading", { name: "Nästa steg" }).waitFor();
await shot("two-step");

await page.goto(`${ui.url}/tools/lang-korning`);
await page.getByRole("button", { name: "Kör", exact: true }).click();
await page.getByText("Körs…").waitFor();
await shot("progress");
await page.getByRole("button", { name: "Avbryt" }).click();
await page.getByText("Körningen avbröts.").waitFor();

for (const [name, path] of [
  ["home", "/"],
  ["catalog", "/tools"],
  ["catalog-filtered", "/tools?professions=larare"],
  ["runs", "/runs"],
  ["run", "/runs/r001"],
  ["admin-taxonomy", "/admin/taxonomy"],
] as const) {
  await page.goto(ui.url + path);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot(name);
}
await page.getByRole("button", { name: "English" }).click();
await page.goto(`${ui.url}/tools/betygsunderlag?run=r001`);
await page.locator("sk-vega-chart svg").waitFor();
await shot("en-tool-result");

console.log(browser.problems.filter((p) => !p.includes("Blocked script execution in 'about:srcdoc'")));
await browser.close();
ui.stop();
