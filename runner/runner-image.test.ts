// The runner image and its harness.
//  1. The harness's Python unittest suite (runner/harness/test_*.py), one bun test per module, so the
//     CI summary counts it. Needs python3 on the host, no Docker.
//  2. The image (runner/build-image.sh) under the hardened profile of tool-contract.md §8, driven with
//     the docker CLI and a bind-mounted /work: a contract-v2 script that uses every promised library.
//     Skipped locally when Docker does not answer; with CI=true it FAILS instead. When the image is
//     missing or out of date and we are root, the build script is run (idempotent).
// SKRIPTOTEKET_TEST_RUNNER_IMAGE points the image tests at another tag, which is then not rebuilt.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNNER_DIR = import.meta.dir;
const HARNESS_DIR = join(RUNNER_DIR, "harness");
const IMAGE = process.env.SKRIPTOTEKET_TEST_RUNNER_IMAGE || "skriptoteket-runner:latest";
const REQUIRED = process.env.CI === "true";
// An image built elsewhere (e.g. from runner/Dockerfile) is tested as it is, never rebuilt.
const EXTERNAL_IMAGE = Boolean(process.env.SKRIPTOTEKET_TEST_RUNNER_IMAGE);
const RUNNER_UID = 10001;
const BUILD_TIMEOUT_MS = 30 * 60_000;

function spawnText(cmd: string[], options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}) {
  const p = Bun.spawnSync(cmd, {
    cwd: options.cwd ?? RUNNER_DIR,
    env: { ...process.env, ...options.env },
    stdout: "pipe",
    stderr: "pipe",
    timeout: options.timeoutMs ?? 60_000,
  });
  return { exitCode: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

function dockerAnswers(): boolean {
  try {
    return spawnText(["docker", "info"], { timeoutMs: 15_000 }).exitCode === 0;
  } catch {
    return false; // no docker binary at all
  }
}

describe("runner harness (python unittest)", () => {
  const modules = readdirSync(HARNESS_DIR)
    .filter((f) => /^test_\w+\.py$/.test(f))
    .sort();
  test("the suite exists", () => expect(modules.length).toBeGreaterThanOrEqual(5));
  for (const file of modules) {
    test(file, () => {
      const run = spawnText(["python3", "-m", "unittest", file.slice(0, -3)], {
        cwd: HARNESS_DIR,
        env: { PYTHONDONTWRITEBYTECODE: "1" }, // no __pycache__ in the source tree
      });
      if (run.exitCode !== 0) console.error(run.stderr);
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toMatch(/Ran [1-9]\d* tests? in [\d.]+s\s+OK/);
    });
  }
});

const docker = dockerAnswers();
const scratch = mkdtempSync(join(tmpdir(), "skt-runner-image-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
if (!docker && !REQUIRED) console.warn("runner-image.test.ts: image tests skipped — Docker does not answer; with CI=true they fail instead");

/** A /work folder on the host, writable by the runner uid, with an input/ and output/ inside. */
function makeWork(): { work: string; input: string; output: string } {
  const work = mkdtempSync(join(scratch, "work-"));
  const input = join(work, "input");
  const output = join(work, "output");
  mkdirSync(input);
  mkdirSync(output);
  for (const dir of [work, input, output]) {
    try {
      chownSync(dir, RUNNER_UID, RUNNER_UID);
    } catch {
      chmodSync(dir, 0o777); // not root: let uid 10001 write anyway
    }
  }
  return { work, input, output };
}

interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  result: Record<string, unknown>;
}

/** One run of the image with the hardened profile of tool-contract.md §8 and the contract's environment. */
function runImage(work: string, script: string, env: Record<string, string> = {}): RunResult {
  writeFileSync(join(work, "script.py"), script);
  const name = `skt-image-test-${Bun.randomUUIDv7()}`;
  const contractEnv: Record<string, string> = {
    SKRIPTOTEKET_SCRIPT_PATH: "/work/script.py",
    SKRIPTOTEKET_ENTRYPOINT: "run_tool",
    SKRIPTOTEKET_INPUT_DIR: "/work/input",
    SKRIPTOTEKET_OUTPUT_DIR: "/work/output",
    SKRIPTOTEKET_RESULT_PATH: "/work/result.json",
    SKRIPTOTEKET_INPUT_MANIFEST: '{"files":[]}',
    SKRIPTOTEKET_INPUTS: "{}",
    SKRIPTOTEKET_MEMORY_PATH: "/work/memory.json",
    HOME: "/tmp/home",
    XDG_CACHE_HOME: "/tmp/home/.cache",
    ...env,
  };
  const cmd = [
    "docker", "run", "--name", name,
    "--network", "none", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
    "--read-only", "--tmpfs", "/tmp:rw,noexec,nosuid,nodev,size=256m",
    "--user", `${RUNNER_UID}:${RUNNER_UID}`, "--memory", "1g", "--memory-swap", "1g",
    "--pids-limit", "256", "--cpus", "1",
    "-v", `${work}:/work`,
    ...Object.entries(contractEnv).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    IMAGE,
  ];
  try {
    const run = spawnText(cmd, { timeoutMs: 120_000 });
    if (run.exitCode !== 0) console.error(run.stderr);
    const result = JSON.parse(readFileSync(join(work, "result.json"), "utf8")) as Record<string, unknown>;
    return { ...run, exitCode: run.exitCode ?? -1, result };
  } finally {
    // a CLI killed by the timeout leaves its container running; remove it either way
    spawnText(["docker", "rm", "-f", name], { timeoutMs: 30_000 });
  }
}

function magic(path: string, length: number): string {
  return readFileSync(path).subarray(0, length).toString("latin1");
}

/** A contract-v2 tool that touches every library the image promises. */
const LIBRARY_TOUR = String.raw`
import errno, os, socket
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pypandoc
from docx import Document
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pdf_helper import save_as_pdf
from skriptoteket_toolkit import get_action_parts, list_input_files, read_inputs, read_settings


def probe_sandbox():
    try:
        Path("/usr/skriptoteket-probe").write_text("x")
        root = "writable"
    except OSError as e:
        root = errno.errorcode.get(e.errno, str(e.errno))
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=2)
        network = "connected"
    except OSError as e:
        network = errno.errorcode.get(e.errno, type(e).__name__) if e.errno else type(e).__name__
    return {"uid": os.getuid(), "root": root, "network": network}


def run_tool(input_dir, output_dir):
    out = Path(output_dir)
    action_id, _, _ = get_action_parts()
    title = read_inputs()["rubrik"]
    school = read_settings()["skola"]
    csv = Path(list_input_files()[0]["path"])

    scores = pd.read_csv(csv)
    means = scores.groupby("klass")["poang"].mean().round(1)

    wb = Workbook()
    ws = wb.active
    ws.append(["klass", "medel"])
    for klass, mean in means.items():
        ws.append([klass, float(mean)])
    wb.save(out / "medel.xlsx")
    reread = load_workbook(out / "medel.xlsx").active["B2"].value

    doc = Document()
    doc.add_heading(f"{title} – {school}", level=1)
    doc.add_paragraph("Åäö fungerar.")
    doc.save(out / "brev.docx")

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(list(means.index), list(means.values))
    fig.savefig(out / "diagram.png", dpi=80)

    pdf = canvas.Canvas(str(out / "reportlab.pdf"), pagesize=A4)
    for page in range(2):
        pdf.drawString(72, 770, f"Sida {page + 1}: {title}")
        pdf.showPage()
    pdf.save()
    pages = len(PdfReader(str(out / "reportlab.pdf")).pages)

    html = (f"<h1>{title}</h1><p>Skola: {school}. Åäö €</p><img src='output/diagram.png'>"
            "<p style=\"font-family: 'Liberation Sans'\">Liberation</p>")
    weasy_path = save_as_pdf(html, output_dir, "rapporter/weasy.pdf")

    markdown = f"# {title}\n\nEtt **stycke** med åäö."
    pypandoc.convert_text(markdown, "docx", format="md", outputfile=str(out / "pandoc.docx"))
    pandoc_html = pypandoc.convert_text(markdown, "html", format="md")

    print("klar: sex filer")
    return {
        "outputs": [
            {"kind": "markdown", "markdown": f"## {title}"},
            {"kind": "table", "columns": [{"key": "klass", "label": "Klass"}, {"key": "medel", "label": "Medel"}],
             "rows": [{"klass": k, "medel": float(v)} for k, v in means.items()]},
        ],
        "next_actions": [{"action_id": "igen", "label": "Igen", "kind": "form", "fields": []}],
        "state": {
            "action_id": action_id,
            "xlsx_b2": reread,
            "pages": pages,
            "weasy_path": weasy_path,
            "pandoc_html": pandoc_html.strip(),
            "sandbox": probe_sandbox(),
            "means": means,
        },
    }
`;

describe.skipIf(!docker && !REQUIRED)("runner image (real Docker)", () => {
  test("Docker answers", () => {
    if (!docker) throw new Error("CI=true but `docker info` fails: scripts/test.sh should have started Docker");
  });

  test(
    "build-image.sh leaves an up-to-date image",
    () => {
      if (EXTERNAL_IMAGE) {
        expect(spawnText(["docker", "image", "inspect", IMAGE]).exitCode).toBe(0);
        return;
      }
      let check = spawnText(["bash", "build-image.sh"], { env: { IMAGE, CHECK: "1" } });
      if (check.exitCode === 3) {
        if (process.getuid?.() !== 0) throw new Error(`${IMAGE} is missing or out of date; run: sudo runner/build-image.sh`);
        const build = spawnText(["bash", "build-image.sh"], { env: { IMAGE }, timeoutMs: BUILD_TIMEOUT_MS });
        if (build.exitCode !== 0) console.error(build.stderr);
        expect(build.exitCode).toBe(0);
        check = spawnText(["bash", "build-image.sh"], { env: { IMAGE, CHECK: "1" } });
      }
      expect(check.exitCode).toBe(0);
    },
    BUILD_TIMEOUT_MS,
  );

  test("image settings: non-root user, tini, harness command, contract label", () => {
    const inspect = spawnText(["docker", "image", "inspect", IMAGE, "--format", "{{json .Config}}"]);
    expect(inspect.exitCode).toBe(0);
    const config = JSON.parse(inspect.stdout) as {
      User: string;
      Entrypoint: string[];
      Cmd: string[];
      WorkingDir: string;
      Labels: Record<string, string>;
    };
    expect(config.User).toBe(`${RUNNER_UID}:${RUNNER_UID}`);
    expect(config.Entrypoint).toEqual(["/usr/bin/tini", "--"]);
    expect(config.Cmd).toEqual(["python3", "/opt/skriptoteket/skriptoteket_harness.py"]);
    expect(config.WorkingDir).toBe("/work");
    expect(config.Labels["org.skriptoteket.contract-version"]).toBe("2");
  });

  test("a contract-v2 tool using every promised library runs under the hardened profile", () => {
    const { work, input, output } = makeWork();
    writeFileSync(join(input, "poang.csv"), "namn,klass,poang\nAda,7A,10\nBo,7A,14\nCid,7B,9\n");
    writeFileSync(join(work, "memory.json"), JSON.stringify({ settings: { skola: "Åsaskolan" } }));
    const run = runImage(work, LIBRARY_TOUR, {
      SKRIPTOTEKET_INPUTS: JSON.stringify({ rubrik: "Prov v.47" }),
      SKRIPTOTEKET_INPUT_MANIFEST: JSON.stringify({ files: [{ name: "poang.csv", path: "/work/input/poang.csv", bytes: 50 }] }),
    });
    expect(run.exitCode).toBe(0);
    const result = run.result;
    expect(result.error_summary ?? null).toBeNull();
    expect(result.status).toBe("succeeded");
    expect(result.contract_version).toBe(2);
    expect(run.stdout).toContain("klar: sex filer");

    const files = ["brev.docx", "diagram.png", "medel.xlsx", "pandoc.docx", "rapporter/weasy.pdf", "reportlab.pdf"];
    expect(result.artifacts).toEqual(files.map((f) => ({ path: `output/${f}`, bytes: statSync(join(output, f)).size })));
    for (const f of ["brev.docx", "medel.xlsx", "pandoc.docx"]) expect(magic(join(output, f), 4)).toBe("PK\x03\x04");
    for (const f of ["reportlab.pdf", "rapporter/weasy.pdf"]) expect(magic(join(output, f), 5)).toBe("%PDF-");
    expect(magic(join(output, "diagram.png"), 4)).toBe("\x89PNG");
    // zip entry names are stored uncompressed: pandoc produced a real Word document
    expect(readFileSync(join(output, "pandoc.docx")).includes("word/document.xml")).toBe(true);
    // WeasyPrint embedded the chart (relative URL resolved against /work/) and both font families;
    // pydyf writes object dictionaries uncompressed
    const weasy = readFileSync(join(output, "rapporter/weasy.pdf")).toString("latin1");
    expect(weasy.includes("/Subtype /Image")).toBe(true);
    const fonts = new Set([...weasy.matchAll(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/g)].map((m) => m[1]));
    expect([...fonts].sort()).toEqual(["DejaVu-Serif", "DejaVu-Serif-Bold", "Liberation-Sans"]);

    expect(result.outputs).toEqual([
      { kind: "markdown", markdown: "## Prov v.47" },
      {
        kind: "table",
        columns: [
          { key: "klass", label: "Klass" },
          { key: "medel", label: "Medel" },
        ],
        rows: [
          { klass: "7A", medel: 12 },
          { klass: "7B", medel: 9 },
        ],
      },
    ]);
    expect(result.next_actions).toEqual([{ action_id: "igen", label: "Igen", kind: "form", fields: [] }]);
    const state = result.state as Record<string, unknown>;
    expect(state.action_id).toBeNull();
    expect(state.xlsx_b2).toBe(12);
    expect(state.pages).toBe(2);
    expect(state.weasy_path).toBe("/work/output/rapporter/weasy.pdf");
    expect(state.pandoc_html).toBe('<h1 id="prov-v.47">Prov v.47</h1>\n<p>Ett <strong>stycke</strong> med åäö.</p>');
    expect(state.sandbox).toEqual({ uid: RUNNER_UID, root: "EROFS", network: "ENETUNREACH" });
    expect(typeof state.means).toBe("string"); // a pandas Series is no JSON: coerced with str()
  }, 120_000);

  test("ToolUserError on an action run: failed with the message, partial artifacts kept, exit 0", () => {
    const { work, output } = makeWork();
    const run = runImage(
      work,
      [
        "from pathlib import Path",
        "from tool_errors import ToolUserError",
        "from skriptoteket_toolkit import get_action_parts",
        "def run_tool(input_dir, output_dir):",
        "    action_id, action_input, state = get_action_parts()",
        "    Path(output_dir, 'delvis.txt').write_text(f\"{action_id} {action_input['n']} {state['steg']}\")",
        "    raise ToolUserError('Kolumnen \"Namn\" saknas.')",
      ].join("\n"),
      { SKRIPTOTEKET_ACTION: JSON.stringify({ action_id: "nasta", input: { n: 3 }, state: { steg: 2 } }) },
    );
    expect(run.exitCode).toBe(0);
    expect(run.result).toEqual({
      contract_version: 2,
      status: "failed",
      error_summary: 'Kolumnen "Namn" saknas.',
      outputs: [],
      next_actions: [],
      state: null,
      artifacts: [{ path: "output/delvis.txt", bytes: 9 }],
    });
    expect(readFileSync(join(output, "delvis.txt"), "utf8")).toBe("nasta 3 2");
    expect(run.stderr).not.toContain("Traceback");
  });

  test("an unexpected exception: the type as summary, the traceback on stderr", () => {
    const { work } = makeWork();
    const run = runImage(work, "import json\ndef run_tool(input_dir, output_dir):\n    return json.loads('{oops')\n");
    expect(run.exitCode).toBe(0);
    expect(run.result.status).toBe("failed");
    expect(run.result.error_summary).toBe("Tool execution failed (JSONDecodeError).");
    expect(run.stderr).toContain('File "/work/script.py", line 3, in run_tool');
    expect(run.stderr).toContain("json.decoder.JSONDecodeError");
  });

  test("a legacy string return becomes one html_sandboxed output", () => {
    const { work } = makeWork();
    const run = runImage(work, "def run_tool(input_dir, output_dir):\n    return '<p>Hej</p>'\n");
    expect(run.result.status).toBe("succeeded");
    expect(run.result.outputs).toEqual([{ kind: "html_sandboxed", html: "<p>Hej</p>" }]);
  });
});
