// Every script-bank tool, run in the real runner image (Docker) on realistic files that
// testdata/make_fixtures.py makes inside the image: what the run page would show (outputs after the
// server's payload rules, with no system notices), the next actions and state of two-step tools, and
// the artifacts, opened again with Python in the image.
// Locally the suite is skipped (with a note) when Docker or the image is missing; with CI=true it FAILS.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  artifact,
  type BankRun,
  dockerState,
  formErrors,
  noticeTexts,
  outputsOf,
  removeScratch,
  runBankAction,
  runBankTool,
  runPython,
  tableOf,
  type UploadFile,
} from "./test-bank-runs";

const REQUIRED = process.env.CI === "true";
const docker = await dockerState();
const skip = !REQUIRED && !docker.ok;
if (skip) console.warn(`script-bank.test.ts: skipped — ${docker.why}; with CI=true these tests fail instead`);

const SLOW = 60_000;
let fixtures = new Map<string, Uint8Array>();

function fixture(name: string): UploadFile {
  const data = fixtures.get(name);
  if (!data) throw new Error(`fixture ${name} was not made (is Docker up?)`);
  return { name, data };
}

/** The text of a file as written, byte order mark included. */
function text(data: Uint8Array, encoding: "utf-8" | "windows-1252" = "utf-8"): string {
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(data);
}

/** Runs `body` (Python statements using `files`, a dict name → path) and returns what it assigns to `result`. */
async function inspect(files: UploadFile[], body: string): Promise<Record<string, unknown>> {
  const indented = body
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  const script = `import os\n\ndef run_tool(input_dir, output_dir):\n    files = {n: os.path.join(input_dir, n) for n in os.listdir(input_dir)}\n    result = {}\n${indented}\n    return {"outputs": [{"kind": "json", "value": result}]}\n`;
  const { value } = await runPython(script, files);
  return value as Record<string, unknown>;
}

function succeeded(run: BankRun): void {
  if (run.result.status !== "succeeded") console.error(run.result.error_summary, run.stderr);
  expect(run.result.status).toBe("succeeded");
  expect(run.systemNotices).toEqual([]);
}

function failedWith(run: BankRun, message: string): void {
  expect(run.result.status).toBe("failed");
  expect(run.result.error_summary ?? "").toContain(message);
  expect(run.stderr).not.toContain("Traceback"); // a ToolUserError, not a crash
}

function markdownOf(run: BankRun): string {
  return outputsOf(run, "markdown")
    .map((m) => m.markdown)
    .join("\n");
}

afterAll(removeScratch);

describe.skipIf(skip)("script bank in the runner image", () => {
  beforeAll(async () => {
    if (!docker.ok) return; // the first test fails with the reason
    const source = readFileSync(join(import.meta.dir, "testdata", "make_fixtures.py"), "utf8");
    fixtures = (await runPython(source)).files;
  }, SLOW);

  test("Docker and the runner image are available", () => {
    expect(docker.why).toBe("");
    expect(fixtures.size).toBeGreaterThan(10);
  });

  describe("vardnadshavare-epost", () => {
    const expected = [
      "maria.andersson@exempel.se",
      "johan.andersson@exempel.se",
      "anna.berg@exempel.se",
      "sara.carlsson@gmail.com",
      "peter.carlsson@gmail.com",
      "lena.dahl@telia.com",
      "karin.forsberg@hotmail.con",
      "erik.holm@exempel.se",
      "amira.ibrahim@exempel.se",
      "yusuf.ibrahim@exempel.se",
      "jonas.jonsson@exempel.se",
      "eva.jonsson@exempel.se",
      "stina.lind@exempel.se",
      "fatima.hassan@exempel.se",
      "omar.hassan@exempel.se",
      "gunnel.oberg@exempel.se",
    ];

    test("two class lists (xlsx with a title row, cp1252 CSV): one deduped Bcc list, problems listed", async () => {
      const run = await runBankTool("vardnadshavare-epost", { files: [fixture("klasslista-7b.xlsx"), fixture("klasslista-7c.csv")] });
      succeeded(run);
      expect(noticeTexts(run)[0]).toBe("16 unika adresser från 16 elevrader i 2 filer. 2 dubbletter togs bort.");
      expect(markdownOf(run)).toContain("```\n" + expected.join("; ") + "\n```");
      expect(text(artifact(run, "bcc-lista.txt").data)).toBe(expected.join("; ") + "\n");
      const csv = text(artifact(run, "adresser.csv").data);
      expect(csv.startsWith("\uFEFFE-post;Elever\r\n")).toBe(true);
      expect(csv).toContain("anna.berg@exempel.se;Elias Berg, Maja Berg, Saga Berg\r\n");

      const problems = tableOf(run, "Att kontrollera").rows.map((r) => [r.elev, r.varde, r.problem]);
      expect(problems).toContainEqual(["Ella Dahl", "per.dahl@gmail", 'Domänen "gmail" saknar slutdel som .se eller .com.']);
      expect(problems).toContainEqual(["Hugo Ek", "lisa ek@skola.se", "Innehåller mellanslag."]);
      expect(problems).toContainEqual(["Wilma Forsberg", "karin.forsberg@hotmail.con", "Används, men kontrollera stavningen: menade du @hotmail.com?"]);
      const withoutAddress = problems.filter((p) => p[2] === "Ingen användbar e-postadress till vårdnadshavare.").map((p) => p[0]);
      expect(withoutAddress).toEqual(["Hugo Ek", "Liam Gustafsson", "Nils Ängström"]);

      const columns = tableOf(run, "Kolumner som lästes").rows.map((r) => [r.kolumn, r.anvands]);
      expect(columns).toContainEqual(["Elev e-post", "Nej (elevens egen adress)"]);
      expect(columns).toContainEqual(["Vårdnadshavare 2 e-post", "Ja"]);
    }, SLOW);

    test("comma-separated, pupils' own addresses included, split into sends of at most 5", async () => {
      const run = await runBankTool("vardnadshavare-epost", {
        files: [fixture("klasslista-7b.xlsx")],
        values: { avgransare: "komma", max_per_utskick: "5", med_elevadresser: "yes" },
      });
      succeeded(run);
      const blocks = text(artifact(run, "bcc-lista.txt").data).trim().split("\n\n");
      expect(blocks.length).toBe(5); // 13 guardian + 12 pupil addresses
      expect(blocks.map((b) => b.split(", ").length)).toEqual([5, 5, 5, 5, 5]);
      expect(blocks.join(", ")).toContain("alva.andersson@elev.exempelskolan.se");
      expect(markdownOf(run)).toContain("**Utskick 5 av 5** (5 adresser)");
    }, SLOW);

    test("a plain list of addresses without headings works too", async () => {
      const list = new TextEncoder().encode("anna@exempel.se\nper@exempel.se; lisa@exempel.se\nfel-adress@\n");
      const run = await runBankTool("vardnadshavare-epost", { files: [{ name: "adresser.txt", data: list }] });
      succeeded(run);
      expect(text(artifact(run, "bcc-lista.txt").data)).toBe("anna@exempel.se; per@exempel.se; lisa@exempel.se\n");
      expect(tableOf(run, "Att kontrollera").rows[0]).toMatchObject({ rad: 3, varde: "fel-adress@", problem: "Något saknas före eller efter @." });
    }, SLOW);

    test("a file without e-mail columns and an empty file fail with Swedish messages; the file is required", async () => {
      failedWith(await runBankTool("vardnadshavare-epost", { files: [fixture("betyg.xlsx")] }), "Hittade ingen kolumn med vårdnadshavares e-postadresser i betyg.xlsx");
      failedWith(await runBankTool("vardnadshavare-epost", { files: [fixture("tom.csv")] }), "Filen tom.csv är tom.");
      expect(formErrors("vardnadshavare-epost", {})).toEqual([["/klasslistor", "Choose at least 1 file."]]);
    }, SLOW);
  });

  describe("slumpa-grupper", () => {
    const names = ["Alva Andersson", "Elias Berg", "Maja Berg", "Noah Carlsson", "Ella Dahl", "Hugo Ek", "Wilma Forsberg", "Liam Gustafsson", "Olivia Holm", "Lucas Ibrahim", "Astrid Jönsson", "Oscar Lind"];
    const groupsOf = (run: BankRun) => tableOf(run, "Grupper").rows.map((r) => String(r.elever).split(", "));
    const pairsOf = (groups: string[][]) => new Set(groups.flatMap((g) => g.flatMap((a, i) => g.slice(i + 1).map((b) => [a, b].sort().join(" + ")))));
    let first: BankRun;
    let second: BankRun;

    test("first round: groups of about 3, the absent pupil left out, an unknown absentee reported", async () => {
      first = await runBankTool("slumpa-grupper", {
        values: { elever: names.join("\n"), indelning: "storlek", antal: "3", franvarande: "oscar lind\nOkänd Person" },
      });
      succeeded(first);
      const groups = groupsOf(first);
      expect(groups.map((g) => g.length).sort()).toEqual([2, 3, 3, 3]);
      expect(groups.flat().sort()).toEqual(names.filter((n) => n !== "Oscar Lind").sort());
      expect(noticeTexts(first)).toEqual([
        "4 grupper med 2–3 elever var (11 elever).",
        "Frånvarande (inte med i grupperna): Oscar Lind.",
        "Hittade inte i klasslistan: Okänd Person. Kontrollera stavningen.",
      ]);
      expect(first.payload.next_actions.map((a) => [a.action_id, a.label, a.prefill])).toEqual([
        ["nya_grupper", "Nya grupper", { antal: 3, franvarande: "Oscar Lind", indelning: "storlek" }],
      ]);
      expect(first.state.elever).toEqual(names);
      expect(first.state.omgang).toBe(1);
      expect(Object.keys(first.state.par as object).length).toBe(pairsOf(groups).size);
      expect([...first.artifacts.keys()].sort()).toEqual(["grupper.docx", "grupper.xlsx"]);
    }, SLOW);

    test("Nya grupper: round 2 repeats no pair of round 1; round 3 reports its repeats truthfully", async () => {
      second = await runBankAction(first, "nya_grupper", { indelning: "storlek", antal: "3", franvarande: "" });
      succeeded(second);
      const round2 = groupsOf(second);
      expect(round2.map((g) => g.length)).toEqual([3, 3, 3, 3]);
      expect(round2.flat().sort()).toEqual([...names].sort());
      const before = pairsOf(groupsOf(first));
      expect([...pairsOf(round2)].filter((p) => before.has(p))).toEqual([]);
      expect(noticeTexts(second)[0]).toBe("4 grupper med 3 elever var (12 elever). Omgång 2: ingen hamnade med någon de redan har arbetat med.");
      expect(second.state.omgang).toBe(2);

      const third = await runBankAction(second, "nya_grupper", { indelning: "antal", antal: "4" });
      succeeded(third);
      const seen = new Set([...before, ...pairsOf(round2)]);
      const repeats = [...pairsOf(groupsOf(third))].filter((p) => seen.has(p)).length;
      expect(noticeTexts(third)[0]).toBe(
        `4 grupper med 3 elever var (12 elever). Omgång 3: ${repeats === 0 ? "ingen hamnade med någon de redan har arbetat med." : `${repeats} par har arbetat ihop förut – det gick inte att undvika helt.`}`,
      );
      expect(repeats).toBeLessThanOrEqual(2); // 12 pupils in threes allow 5 rounds without any repeat
      expect(third.state.omgang).toBe(3);
    }, SLOW);

    test("the Excel and Word files hold the groups of round 2", async () => {
      const facts = await inspect(
        [artifact(second, "grupper.xlsx"), artifact(second, "grupper.docx")],
        `
import openpyxl, docx
wb = openpyxl.load_workbook(files["grupper.xlsx"])
sheet = wb["Grupper"]
result["title"] = sheet["A1"].value
result["headers"] = [c.value for c in sheet[2]]
result["columns"] = [[c.value for c in col[2:] if c.value] for col in sheet.iter_cols()]
result["list_rows"] = wb["Lista"].max_row - 1
d = docx.Document(files["grupper.docx"])
result["headings"] = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
result["bullets"] = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
`,
      );
      const groups = groupsOf(second);
      expect(facts.title).toBe("Grupper – omgång 2");
      expect(facts.headers).toEqual(["Grupp 1", "Grupp 2", "Grupp 3", "Grupp 4"]);
      expect(facts.columns).toEqual(groups);
      expect(facts.list_rows).toBe(12);
      expect(facts.headings).toEqual(["Grupper – omgång 2", "Grupp 1", "Grupp 2", "Grupp 3", "Grupp 4"]);
      expect(facts.bullets).toEqual(groups.flat());
    }, SLOW);

    test("saved class lists (settings): the class is chosen by name, the saved group size applies", async () => {
      const settings = { klasslistor: "# 7B\nAlva Andersson\nElias Berg\n\n# 8A\nSaga Lund\nAli Hassan\nÅsa Öberg\nNils Ängström", gruppstorlek: 2 };
      const run = await runBankTool("slumpa-grupper", { values: { klass: "8a" }, settings });
      succeeded(run);
      expect(tableOf(run, "Grupper 8A – omgång 1").rows.length).toBe(2);
      expect(groupsOf(run).flat().sort()).toEqual(["Ali Hassan", "Nils Ängström", "Saga Lund", "Åsa Öberg"]);
      failedWith(await runBankTool("slumpa-grupper", { settings }), "Dina sparade klasslistor innehåller flera klasser (7B, 8A).");
    }, SLOW);

    test("names from an uploaded class list (Förnamn + Efternamn), split into a number of groups", async () => {
      const run = await runBankTool("slumpa-grupper", { files: [fixture("klasslista-7b.xlsx")], values: { indelning: "antal", antal: "5" } });
      succeeded(run);
      expect(groupsOf(run).map((g) => g.length).sort()).toEqual([2, 2, 2, 3, 3]);
      expect(groupsOf(run).flat().sort()).toEqual([...names].sort());
      failedWith(await runBankTool("slumpa-grupper", { files: [fixture("utan-namn.csv")] }), "Hittade ingen namnkolumn i utan-namn.csv");
    }, SLOW);
  });

  describe("markdown-till-word", () => {
    test("a .md file with a reference .docx: headings, lists, table and the template's styles", async () => {
      const run = await runBankTool("markdown-till-word", { files: [fixture("veckobrev.md"), fixture("mall.docx")] });
      succeeded(run);
      expect(noticeTexts(run)).toEqual(["veckobrev.docx är klar: 3 rubriker, 1 tabell, med formatmallarna från mall.docx."]);
      expect(markdownOf(run)).toContain("# Veckobrev vecka 12");
      const facts = await inspect(
        [artifact(run, "veckobrev.docx")],
        `
import docx
from docx.oxml.ns import qn
d = docx.Document(files["veckobrev.docx"])
result["headings"] = [[p.style.name, p.text] for p in d.paragraphs if p.style.name.startswith("Heading")]
result["list_items"] = [p.text for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
result["bold"] = [r.text for p in d.paragraphs for r in p.runs if r.bold]
result["table"] = [[c.text for c in row.cells] for row in d.tables[0].rows]
h1 = d.styles["Heading 1"].font
result["h1"] = [h1.name, str(h1.color.rgb)]
result["language"] = d.core_properties.language
`,
      );
      expect(facts.headings).toEqual([
        ["Heading 1", "Veckobrev vecka 12"],
        ["Heading 2", "Att ta med"],
        ["Heading 2", "Schema"],
      ]);
      expect(facts.list_items).toEqual(["Idrottskläder på tisdag", "Matsäck till utflykten", "Påskrivet utvecklingssamtalsformulär", "Läs kapitel 4", "Öva glosor"]);
      expect(facts.bold).toEqual(["veckans"]);
      expect(facts.table).toEqual([
        ["Dag", "Aktivitet", "Tid"],
        ["Måndag", "Utflykt till Naturum", "08.30–14.00"],
        ["Onsdag", "Prov i matematik", "10.00"],
      ]);
      expect(facts.h1).toEqual(["Liberation Serif", "1F5C99"]);
      expect(facts.language).toBe("sv-SE");
    }, SLOW);

    test("typed Markdown with a title and a file name; missing text and a template without styles fail", async () => {
      const run = await runBankTool("markdown-till-word", {
        values: { markdown: "Hej!\n\n# Veckans läxor\n\n## Svenska\n\n- Läs sidan 12", titel: "Månadsbrev", filnamn: "brev april", numrerade_rubriker: "on" },
      });
      succeeded(run);
      const facts = await inspect(
        [artifact(run, "brev-april.docx")],
        `
import docx
d = docx.Document(files["brev-april.docx"])
result["paragraphs"] = [[p.style.name, p.text] for p in d.paragraphs if p.text]
result["title"] = d.core_properties.title
`,
      );
      expect(facts.paragraphs).toContainEqual(["Title", "Månadsbrev"]);
      expect(facts.paragraphs).toContainEqual(["Heading 1", "1\tVeckans läxor"]);
      expect(facts.paragraphs).toContainEqual(["Heading 2", "1.1\tSvenska"]);
      expect(facts.title).toBe("Månadsbrev");
      failedWith(await runBankTool("markdown-till-word"), "Det finns ingen text att omvandla.");
      failedWith(await runBankTool("markdown-till-word", { files: [fixture("veckobrev.md"), fixture("trasig-mall.docx")] }), "trasig-mall.docx är ingen Word-mall");
    }, SLOW);
  });

  describe("html-till-pdf", () => {
    test("step 1 shows a preview and offers Skapa PDF; step 2 makes a landscape PDF of 2 pages", async () => {
      const first = await runBankTool("html-till-pdf", { files: [fixture("inbjudan.html")], values: { sidformat: "a4-liggande" } });
      succeeded(first);
      expect(outputsOf(first, "html_sandboxed").map((o) => o.html)).toEqual([text(fixture("inbjudan.html").data)]);
      expect(noticeTexts(first)).toContain("JavaScript i HTML-koden körs inte, varken i förhandsvisningen eller i PDF:en.");
      expect(first.payload.next_actions.map((a) => [a.action_id, a.label, a.prefill])).toEqual([["skapa_pdf", "Skapa PDF", { filnamn: "inbjudan.pdf" }]]);
      expect(first.state.sidformat).toBe("a4-liggande");
      expect(first.artifacts.size).toBe(0);

      const second = await runBankAction(first, "skapa_pdf", { filnamn: "Föräldramöte 7B" });
      succeeded(second);
      expect(noticeTexts(second)).toEqual(["Föräldramöte-7B.pdf är klar (2 sidor). Ladda ned den under Filer."]);
      const facts = await inspect(
        [artifact(second, "Föräldramöte-7B.pdf")],
        `
from pypdf import PdfReader
reader = PdfReader(files["Föräldramöte-7B.pdf"])
result["pages"] = len(reader.pages)
box = reader.pages[0].mediabox
result["size"] = [round(float(box.width)), round(float(box.height))]
result["texts"] = [page.extract_text() for page in reader.pages]
`,
      );
      expect(facts.pages).toBe(2);
      expect(facts.size).toEqual([842, 595]); // A4 landscape in points
      const texts = facts.texts as string[];
      expect(texts[0]).toContain("Inbjudan till föräldramöte");
      expect(texts[0]).toContain("Välkomna och fika");
      expect(texts[1]).toContain("Svarstalong");
      expect(texts.join(" ")).not.toContain("alert");
    }, SLOW);

    test("typed HTML with an image from the internet warns; text without tags fails", async () => {
      const run = await runBankTool("html-till-pdf", { values: { html: '<h1>Lappen</h1><img src="https://example.org/logo.png">', sidformat: "a5" } });
      succeeded(run);
      expect(noticeTexts(run)).toContain("Bilder, typsnitt och stilmallar från internet kan inte hämtas och saknas i PDF:en: https://example.org/logo.png");
      expect(run.payload.next_actions[0]?.prefill).toEqual({ filnamn: "Lappen.pdf" });
      const pdf = await runBankAction(run, "skapa_pdf", {});
      succeeded(pdf);
      expect(pdf.artifacts.has("Lappen.pdf")).toBe(true);
      failedWith(await runBankTool("html-till-pdf", { values: { html: "bara vanlig text" } }), "Texten innehåller inga HTML-taggar.");
    }, SLOW);
  });

  describe("narvaro-och-betyg", () => {
    test("long format with Excel percentages: per pupil, per subject, flags, charts and a summary workbook", async () => {
      const run = await runBankTool("narvaro-och-betyg", { files: [fixture("narvaro-betyg.xlsx")] });
      succeeded(run);
      expect(noticeTexts(run)).toEqual([
        '5 elever och 4 ämnen från narvaro-betyg.xlsx (flik "Närvaro och betyg"). Närvaro från kolumnen "Närvaro". Närvaron var sparad som andelar (0,92) och visas i procent (92 %).',
        "2 elever att uppmärksamma (närvaro under 80 % eller betyget F): Elias Berg, Noah Carlsson.",
      ]);
      const pupils = tableOf(run, "Per elev").rows;
      expect(pupils.map((p) => [p.elev, p.narvaro, p.summa, p.antal_f])).toEqual([
        ["Alva Andersson", 95.5, 72.5, 0],
        ["Elias Berg", 67.5, 20, 2],
        ["Maja Berg", 91, 67.5, 0],
        ["Noah Carlsson", 79, 45, 0],
        ["Ella Dahl", 98, 55, 0],
      ]);
      expect(pupils[1]!.att_uppmarksamma).toBe("Låg närvaro totalt (67,5 %); F i Matematik, Idrott och hälsa");
      expect(pupils[3]!.att_uppmarksamma).toBe("Låg närvaro totalt (79 %); låg närvaro i Matematik (78 %), Idrott och hälsa (76 %)");
      expect(pupils[4]!.betyg).toBe(3); // "-" is no grade
      const swedish = tableOf(run, "Per ämne").rows.find((s) => s.amne === "Svenska")!;
      expect([swedish.narvaro, swedish.A, swedish.B, swedish.C, swedish.D, swedish.E, swedish.F]).toEqual([87.8, 1, 1, 1, 1, 1, 0]);

      const charts = outputsOf(run, "vega_lite");
      expect(charts.length).toBe(2);
      const layer = (charts[0]!.spec.layer as { data: { values: { Elev: string; Status: string }[] } }[])[0]!;
      expect(layer.data.values.filter((v) => v.Status === "Under gränsen").map((v) => v.Elev)).toEqual(["Elias Berg", "Noah Carlsson"]);

      const facts = await inspect(
        [artifact(run, "sammanstallning.xlsx"), artifact(run, "narvaro.png"), artifact(run, "betygsfordelning.png")],
        `
import openpyxl
from PIL import Image
wb = openpyxl.load_workbook(files["sammanstallning.xlsx"])
result["sheets"] = wb.sheetnames
result["flagged"] = [[c.value for c in row] for row in wb["Att uppmärksamma"].iter_rows(min_row=2, max_col=2)]
result["header"] = [c.value for c in wb["Elever"][1]]
result["png"] = [list(Image.open(files[n]).size) for n in ("narvaro.png", "betygsfordelning.png")]
`,
      );
      expect(facts.sheets).toEqual(["Elever", "Ämnen", "Att uppmärksamma"]);
      expect(facts.flagged).toEqual([
        ["Elias Berg", 67.5],
        ["Noah Carlsson", 79],
      ]);
      expect((facts.header as string[]).slice(0, 2)).toEqual(["Elev", "Närvaro (%)"]);
      expect((facts.png as number[][]).map((s) => s[0])).toEqual([960, 960]); // 8 in × 120 dpi
    }, SLOW);

    test("wide format with absence: attendance = 100 − absence, one grade column per subject", async () => {
      const run = await runBankTool("narvaro-och-betyg", { files: [fixture("betyg-bred.csv")], values: { narvarograns: "85" } });
      succeeded(run);
      expect(noticeTexts(run)[0]).toContain('Närvaro räknad som 100 % minus frånvaron i "Frånvaro totalt (%)". Ett betyg per ämneskolumn: Svenska, Matematik, Engelska.');
      expect(tableOf(run, "Per elev").rows.map((p) => [p.elev, p.narvaro, p.betyg, p.att_uppmarksamma])).toEqual([
        ["Saga Berg", 95.5, 3, ""],
        ["Ali Hassan", 77, 2, "Låg närvaro totalt (77 %); F i Matematik"],
        ["Åsa Öberg", 100, 3, ""],
      ]);
      const maths = tableOf(run, "Per ämne").rows.find((s) => s.amne === "Matematik")!;
      expect([maths.A, maths.D, maths.F, maths.andel_f]).toEqual([1, 1, 1, 33.3]);
      expect(outputsOf(run, "vega_lite").length).toBe(2);
    }, SLOW);

    test("no attendance or grade columns, a missing sheet and a bad threshold are refused", async () => {
      failedWith(await runBankTool("narvaro-och-betyg", { files: [fixture("klasslista-7c.csv")] }), "Hittade varken närvaro eller betyg.");
      failedWith(
        await runBankTool("narvaro-och-betyg", { files: [fixture("narvaro-betyg.xlsx")], values: { flik: "VT26" } }),
        'Fliken "VT26" finns inte i narvaro-betyg.xlsx. Flikar i filen: Närvaro och betyg.',
      );
      expect(formErrors("narvaro-och-betyg", { narvarograns: "150" }, [fixture("narvaro-betyg.xlsx")])).toEqual([["/narvarograns", "Enter 100 or less."]]);
    }, SLOW);
  });

  describe("namnlappar", () => {
    test("3×8 sheet from a class list: two labels per pupil with the class, two used labels skipped", async () => {
      const run = await runBankTool("namnlappar", {
        files: [fixture("klasslista-7b.xlsx")],
        values: { format: "3x8", extra_rad: "klass", kopior: "2", hoppa_over: "2" },
      });
      succeeded(run);
      expect(noticeTexts(run)).toEqual([
        "24 etiketter (12 namn) på 2 ark. Format 3 × 8 på A4, 70 × 37 mm.",
        "De första 2 etiketterna på första arket lämnas tomma.",
        '22 etiketter blir över på sista arket. Skriv 2 i "Hoppa över" nästa gång du använder arket.',
      ]);
      expect(tableOf(run, "Namn").rows[0]).toEqual({ nr: 1, namn: "Alva Andersson", extra: "7B" });
      const facts = await inspect(
        [artifact(run, "namnlappar-3x8.pdf")],
        `
from pypdf import PdfReader
reader = PdfReader(files["namnlappar-3x8.pdf"])
result["pages"] = len(reader.pages)
box = reader.pages[0].mediabox
result["size"] = [round(float(box.width)), round(float(box.height))]
result["texts"] = [page.extract_text() for page in reader.pages]
`,
      );
      expect(facts.pages).toBe(2);
      expect(facts.size).toEqual([595, 842]);
      const [page1, page2] = facts.texts as [string, string];
      expect(page1.split("Alva Andersson").length - 1).toBe(2);
      expect(page1).toContain("7B");
      expect(page1).not.toContain("Oscar Lind"); // 22 labels fit after the skipped two: Oscar is 23rd and 24th
      expect(page2.split("Oscar Lind").length - 1).toBe(2);
      expect(page1 + page2).toContain("Astrid Jönsson");
    }, SLOW);

    test("typed names on big 2×4 table cards: 'Efternamn, Förnamn' is turned round, a long name still fits", async () => {
      const run = await runBankTool("namnlappar", {
        values: { namn: "Andersson, Alva\nMaximiliana Charlotta von Essen-Westerberg", format: "2x4", teckenstorlek: "40", stodlinjer: "false" },
      });
      succeeded(run);
      const facts = await inspect(
        [artifact(run, "namnlappar-2x4.pdf")],
        `
from pypdf import PdfReader
reader = PdfReader(files["namnlappar-2x4.pdf"])
result["pages"] = len(reader.pages)
result["text"] = reader.pages[0].extract_text()
`,
      );
      expect(facts.pages).toBe(1);
      const words = String(facts.text).split(/\s+/);
      expect(words).toEqual(expect.arrayContaining(["Alva", "Andersson", "Maximiliana", "Charlotta", "von", "Essen-Westerberg"]));
      failedWith(await runBankTool("namnlappar"), "Det finns inga namn att skriva ut.");
      failedWith(await runBankTool("namnlappar", { values: { namn: "Alva", hoppa_over: "30" } }), "Arket har 24 etiketter, så du kan hoppa över högst 23.");
    }, SLOW);
  });

  describe("lasbarhet-lix", () => {
    // elevhalsoplan: "Elevhälsoplan" (heading) + "Elevhälsan arbetar förebyggande." + "Vi träffas varje vecka och
    // planerar stödinsatser tillsammans med mentorerna." = 14 words, 3 sentences, 9 long words:
    // LIX = 14/3 + 100·9/14 = 68.95; the PDF lacks the heading but has "Kontakta skolsköterskan vid behov."
    // on page 2: 17 words, 3 sentences, 10 long: 17/3 + 1000/17 = 64.49.
    test("a Word document: LIX, its level, key figures and word lists", async () => {
      const run = await runBankTool("lasbarhet-lix", { files: [fixture("elevhalsoplan.docx")] });
      succeeded(run);
      expect(markdownOf(run)).toContain("## LIX 69 – mycket svår");
      const json = outputsOf(run, "json")[0]!.value as Record<string, unknown>;
      expect([json.lix, json.ord, json.meningar, json.langa_ord, json.niva]).toEqual([69, 14, 3, 9, "Mycket svår"]);
      expect(tableOf(run, "Längsta orden").rows[0]).toEqual({ ord: "Elevhälsoplan", bokstaver: 13 });
      expect(tableOf(run, "Längsta meningarna").rows[0]).toEqual({ ord: 10, mening: "Vi träffas varje vecka och planerar stödinsatser tillsammans med mentorerna." });
    }, SLOW);

    test("a PDF over two pages", async () => {
      const run = await runBankTool("lasbarhet-lix", { files: [fixture("elevhalsoplan.pdf")] });
      succeeded(run);
      const json = outputsOf(run, "json")[0]!.value as Record<string, unknown>;
      expect([json.lix, json.ord, json.meningar, json.langa_ord]).toEqual([64.5, 17, 3, 10]);
    }, SLOW);

    test("pasted text: small words counted on request, abbreviations and times do not end sentences", async () => {
      const run = await runBankTool("lasbarhet-lix", {
        values: { text: "Eleverna läser. Eleverna skriver och läser. Och eleverna räknar.", utan_smaord: "false" },
      });
      succeeded(run);
      const json = outputsOf(run, "json")[0]!.value as Record<string, unknown>;
      // 9 words, 3 sentences, 4 long (eleverna ×3, skriver): 3 + 44.4 = 47.4
      expect([json.lix, json.niva, json.ord, json.meningar]).toEqual([47.4, "Medelsvår", 9, 3]);
      expect(tableOf(run, "Vanligaste orden").rows.slice(0, 3)).toEqual([
        { ord: "eleverna", antal: 3, andel: 33.3 },
        { ord: "läser", antal: 2, andel: 22.2 },
        { ord: "och", antal: 2, andel: 22.2 },
      ]);
      const abbreviations = await runBankTool("lasbarhet-lix", { values: { text: "Vi ses kl. 18.00 i aulan. Ta t.ex. med en penna!" } });
      succeeded(abbreviations);
      expect((outputsOf(abbreviations, "json")[0]!.value as Record<string, unknown>).meningar).toBe(2);
    }, SLOW);

    test("a scanned PDF without text and an empty form fail with advice", async () => {
      failedWith(await runBankTool("lasbarhet-lix", { files: [fixture("inskannad.pdf")] }), "innehåller ingen text som går att läsa ut");
      failedWith(await runBankTool("lasbarhet-lix"), "Det finns ingen text att analysera.");
    }, SLOW);
  });

  describe("csv-excel", () => {
    test("cp1252 CSV and UTF-8 tab text → Excel; each sheet of an .xlsx → CSV (UTF-8 with BOM, semicolons)", async () => {
      const run = await runBankTool("csv-excel", { files: [fixture("elever-cp1252.csv"), fixture("elever-tabb.txt"), fixture("betyg.xlsx")] });
      succeeded(run);
      expect(tableOf(run, "Konverterat").rows.map((r) => [r.fil, r.flik, r.rader, r.resultat, r.info])).toEqual([
        ["elever-cp1252.csv", "", 4, "elever-cp1252.xlsx", "Läst som Windows-1252, semikolon"],
        ["elever-tabb.txt", "", 3, "elever-tabb.xlsx", "Läst som UTF-8 med BOM, tabb"],
        ["betyg.xlsx", "Betyg HT", 3, "betyg-Betyg-HT.csv", "UTF-8 med BOM, semikolon"],
        ["betyg.xlsx", "Betyg VT", 2, "betyg-Betyg-VT.csv", "UTF-8 med BOM, semikolon"],
      ]);
      expect(noticeTexts(run)).toContain('Fliken "Tom flik" i betyg.xlsx är tom och hoppades över.');
      const ht = artifact(run, "betyg-Betyg-HT.csv").data;
      expect([...ht.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(text(ht)).toBe("\uFEFFElev;Ämne;Betyg;Datum;Poäng\r\nÅsa Öberg;Svenska;B;2025-12-19;17,5\r\nNils Ängström;Matematik;C;2025-12-19;15\r\n");

      const facts = await inspect(
        [artifact(run, "elever-cp1252.xlsx"), artifact(run, "elever-tabb.xlsx")],
        `
import openpyxl
sheet = openpyxl.load_workbook(files["elever-cp1252.xlsx"]).active
result["rows"] = [[c.value for c in row] for row in sheet.iter_rows()]
result["types"] = [type(c.value).__name__ for c in sheet[2]]
result["bold"] = sheet["A1"].font.b
result["freeze"] = sheet.freeze_panes
result["tab"] = [[c.value for c in row] for row in openpyxl.load_workbook(files["elever-tabb.xlsx"]).active.iter_rows()]
`,
      );
      expect(facts.rows).toEqual([
        ["Namn", "Klass", "Postnummer", "Telefon", "Poäng", "Kommentar"],
        ["Åsa Öberg", "7C", "012 34", "0701234567", 12.5, "Bra jobbat; fortsätt så"],
        ["Nils Ängström", "7C", "123 45", "0709876543", 8, 'Övar på "långa" ord'],
        ["Émile Çelik", "7C", "543 21", "0731112233", 10.25, null],
      ]);
      expect(facts.types).toEqual(["str", "str", "str", "str", "float", "str"]);
      expect([facts.bold, facts.freeze]).toEqual([true, "A2"]);
      expect((facts.tab as unknown[][])[1]).toEqual(["Åsa Öberg", "7C", "012 34", "0701234567", 12.5, "Bra jobbat; fortsätt så"]);
    }, SLOW);

    test("commas in Windows-1252; all CSV files in one workbook; an empty file fails", async () => {
      const run = await runBankTool("csv-excel", { files: [fixture("betyg.xlsx")], values: { avgransare: "komma", kodning: "cp1252" } });
      succeeded(run);
      expect(text(artifact(run, "betyg-Betyg-HT.csv").data, "windows-1252")).toBe(
        "Elev,Ämne,Betyg,Datum,Poäng\r\nÅsa Öberg,Svenska,B,2025-12-19,17.5\r\nNils Ängström,Matematik,C,2025-12-19,15\r\n",
      );
      const combined = await runBankTool("csv-excel", { files: [fixture("elever-cp1252.csv"), fixture("elever-tabb.txt")], values: { en_arbetsbok: "true" } });
      succeeded(combined);
      expect([...combined.artifacts.keys()]).toEqual(["samlad.xlsx"]);
      const facts = await inspect(
        [artifact(combined, "samlad.xlsx")],
        `
import openpyxl
wb = openpyxl.load_workbook(files["samlad.xlsx"])
result["sheets"] = wb.sheetnames
result["rows"] = [ws.max_row for ws in wb.worksheets]
`,
      );
      expect(facts).toEqual({ sheets: ["elever-cp1252", "elever-tabb"], rows: [4, 3] });
      failedWith(await runBankTool("csv-excel", { files: [fixture("tom.csv")] }), "Filen tom.csv är tom.");
    }, SLOW);
  });
});
