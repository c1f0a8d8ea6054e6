// Text extraction speed: unpdf as the document pipeline uses it (the worker-thread pool of
// src/documents/pdf-text-pool.ts, one thread per core up to two; its ratio is the one that counts)
// and in one thread (src/documents/pdf-text.ts), next to poppler's pdftotext on the same 100-page
// PDFs in the same run, against the target ≥ 0.5× pdftotext.
//
//   bun scripts/bench/extract.ts [--pages 100] [--rounds 11] [--pdf file.pdf]
//
// PDFs: one written by src/documents/test-pdf.ts (Helvetica, WinAnsi), and one printed by headless
// Chromium from generated HTML (embedded subset fonts with ToUnicode maps, like most real documents)
// when /usr/bin/chromium exists; or the file given with --pdf. After a warm-up each tool extracts
// every page `rounds` times, taking turns; the median counts. pdftotext runs as a process per extraction (that is how it would be used);
// unpdf runs in this process (and its pool's threads), as in the server. pdftotext comes from the apt package poppler-utils,
// installed here when missing (as root).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { extractPdfPages } from "../../src/documents/pdf-text";
import { sharedPdfTextPool } from "../../src/documents/pdf-text-pool";
import { makeTextPdf } from "../../src/documents/test-pdf";

const TARGET_RATIO = 0.5;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const pageCount = Math.max(1, Number(option("--pages", "100")) || 100);
const rounds = Math.max(1, Number(option("--rounds", "11")) || 11);
const given = option("--pdf", "");

function ensurePdftotext(): string {
  const found = Bun.which("pdftotext");
  if (found) return found;
  console.log("pdftotext is missing: installing poppler-utils with apt-get");
  const run = (argv: string[]) => Bun.spawnSync(argv, { stdout: "inherit", stderr: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (run(["apt-get", "install", "-y", "--no-install-recommends", "poppler-utils"]).exitCode !== 0) {
    run(["apt-get", "update"]);
    if (run(["apt-get", "install", "-y", "--no-install-recommends", "poppler-utils"]).exitCode !== 0) throw new Error("could not install poppler-utils (run as root, or install it yourself)");
  }
  const after = Bun.which("pdftotext");
  if (!after) throw new Error("pdftotext still missing after installing poppler-utils");
  return after;
}

const WORDS = "skolan eleverna lärarna betyg kursplan läsåret mötet beslut protokoll elevhälsan åtgärder utvecklingssamtal rektor vårdnadshavare schema lektion prov resultat".split(" ");
/** Deterministic Swedish-looking prose: about 40 lines of 85 characters a page. */
function pageText(n: number): string {
  let seed = n * 7919;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const lines = [`Sida ${n}: Protokoll och anteckningar`];
  for (let l = 0; l < 40; l++) {
    let line = "";
    while (line.length < 80) line += `${WORDS[next() % WORDS.length]} `;
    lines.push(line.trim() + ".");
  }
  return lines.join("\n");
}

function chromiumPdf(dir: string, pages: number): Uint8Array | null {
  if (!existsSync("/usr/bin/chromium")) return null;
  const html = join(dir, "doc.html");
  const body = Array.from({ length: pages }, (_, i) => `<section style="page-break-after:always"><p>${pageText(i + 1).replaceAll("\n", "<br>")}</p></section>`).join("");
  writeFileSync(html, `<!doctype html><meta charset="utf-8"><style>body{font:10.5pt sans-serif;margin:0}@page{size:A4;margin:15mm}</style>${body}`);
  const out = join(dir, "chromium.pdf");
  const p = Bun.spawnSync(
    ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--no-pdf-header-footer", `--user-data-dir=${join(dir, "profile")}`, `--print-to-pdf=${out}`, `file://${html}`],
    { stdout: "ignore", stderr: "ignore" },
  );
  return p.exitCode === 0 && existsSync(out) ? new Uint8Array(readFileSync(out)) : null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const pool = sharedPdfTextPool();

async function bench(label: string, file: string, bytes: Uint8Array, pdftotext: string): Promise<number> {
  const first = performance.now();
  const check = await pool.extract(bytes, { maxPages: 100_000 });
  const coldMs = performance.now() - first;
  const single = await extractPdfPages(bytes, { maxPages: 100_000 });
  if (single.pages.join("\f") !== check.pages.join("\f")) throw new Error("the pool's text differs from the one-thread extraction");
  const pages = check.pages.length;
  // Warm-up of pdftotext too (page cache, dynamic linker), then the two tools take turns in every
  // round, so a load spike from other processes on a shared machine hits both rather than one.
  // Wall time and CPU time of each; CPU time is what the extraction itself costs.
  const runPdftotext = () => {
    const p = Bun.spawnSync([pdftotext, "-enc", "UTF-8", file, "-"], { stdout: "pipe", stderr: "pipe" });
    if (p.exitCode !== 0) throw new Error(`pdftotext failed: ${p.stderr.toString()}`);
    return p;
  };
  let popplerText = runPdftotext().stdout.toString();
  const unpdfMs: number[] = [];
  const unpdfCpuMs: number[] = [];
  const popplerMs: number[] = [];
  const popplerCpuMs: number[] = [];
  const singleMs: number[] = [];
  const singleCpuMs: number[] = [];
  const timed = async (wall: number[], cpu: number[], extract: () => Promise<unknown>) => {
    const t = performance.now();
    const c = process.cpuUsage(); // every thread of this process: the pool's threads included
    await extract();
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  };
  for (let i = 0; i < rounds; i++) {
    await timed(unpdfMs, unpdfCpuMs, () => pool.extract(bytes, { maxPages: 100_000 }));
    await timed(singleMs, singleCpuMs, () => extractPdfPages(bytes, { maxPages: 100_000 }));
    const t = performance.now();
    const p = runPdftotext();
    popplerMs.push(performance.now() - t);
    const cpu = p.resourceUsage?.cpuTime;
    if (cpu) popplerCpuMs.push(Number(cpu.user + cpu.system) / 1000);
    popplerText = p.stdout.toString();
  }
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  const u = pages / (median(unpdfMs) / 1000);
  const p = pages / (median(popplerMs) / 1000);
  const ratio = u / p;
  console.log(`\n${label}: ${pages} pages, ${(bytes.byteLength / 1024).toFixed(0)} KiB; words: unpdf ${words(check.pages.join("\n"))}, pdftotext ${words(popplerText)}`);
  console.log(`  unpdf      median ${median(unpdfMs).toFixed(1)} ms wall (${median(unpdfCpuMs).toFixed(1)} ms CPU) → ${u.toFixed(0)} pages/s   (pool of ${availableParallelism() > 1 ? 2 : 1} threads, as the server; first call incl. starting pdf.js in the threads: ${coldMs.toFixed(1)} ms)`);
  console.log(`  unpdf      median ${median(singleMs).toFixed(1)} ms wall (${median(singleCpuMs).toFixed(1)} ms CPU) → ${(pages / (median(singleMs) / 1000)).toFixed(0)} pages/s   (in one thread, for comparison)`);
  console.log(`  pdftotext  median ${median(popplerMs).toFixed(1)} ms wall (${popplerCpuMs.length ? median(popplerCpuMs).toFixed(1) : "?"} ms CPU) → ${p.toFixed(0)} pages/s   (a process per extraction)`);
  console.log(`  ratio unpdf/pdftotext = ${ratio.toFixed(2)}× by wall time (target ≥ ${TARGET_RATIO}×) ${ratio >= TARGET_RATIO ? "OK" : "BELOW TARGET"}`);
  if (popplerCpuMs.length) console.log(`  ratio by CPU time = ${(median(popplerCpuMs) / median(unpdfCpuMs)).toFixed(2)}×`);
  return ratio;
}

const pdftotext = ensurePdftotext();
const dir = mkdtempSync(join(tmpdir(), "skt-bench-extract-"));
try {
  console.log(`text extraction benchmark: ${rounds} rounds each, median; Bun ${Bun.version}, ${(await Bun.$`pdftotext -v 2>&1`.nothrow().text()).split("\n")[0]}`);
  // wall-time ratios are only meaningful on an otherwise idle machine: say how busy it was
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
  const ratios: number[] = [];
  if (given) {
    ratios.push(await bench(given, given, new Uint8Array(await Bun.file(given).arrayBuffer()), pdftotext));
  } else {
    const simple = makeTextPdf(Array.from({ length: pageCount }, (_, i) => pageText(i + 1)));
    const simplePath = join(dir, "simple.pdf");
    writeFileSync(simplePath, simple);
    ratios.push(await bench("test-pdf.ts (Helvetica, WinAnsi)", simplePath, simple, pdftotext));
    const chrome = chromiumPdf(dir, pageCount);
    if (chrome?.byteLength) ratios.push(await bench("Chromium print-to-pdf (embedded fonts)", join(dir, "chromium.pdf"), chrome, pdftotext));
    else console.log("\n(Chromium not available: only the simple PDF was measured)");
  }
  const worst = Math.min(...ratios);
  console.log(`\nworst ratio ${worst.toFixed(2)}× — ${worst >= TARGET_RATIO ? "meets" : "misses"} the target of ${TARGET_RATIO}× pdftotext`);
  process.exitCode = worst >= TARGET_RATIO ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
  pool.close();
}
