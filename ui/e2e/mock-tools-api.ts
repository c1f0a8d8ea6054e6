// An in-memory stand-in for the catalog, taxonomy, run and settings API (src/catalog/*.routes.ts,
// src/execution/runs.routes.ts, settings.routes.ts), served through Playwright's page.route on top of
// mock-api.ts, so the teacher pages can be exercised and screenshotted without the server and the
// runner. It follows the contract's shapes, status codes and error codes, not the server's internals:
// a run finishes as soon as its event stream is read, with a payload the tool's `result` builds.
import type { BrowserContext, Request, Route } from "playwright-core";
import type { MockApi } from "./mock-api";

type Json = Record<string, unknown>;
type Status = "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled";

export interface MockTaxonomyEntry {
  slug: string;
  label_sv: string;
  label_en: string;
}

export interface MockTool {
  slug: string;
  title: string;
  summary: string;
  professions: string[];
  categories: string[];
  usage_instructions: string;
  input_schema: Json[];
  settings_schema: Json[] | null;
  version: number;
  published_at: string;
  /** Builds the finished run from the submitted values and file names (or the action). */
  result(input: { inputs: Json; files: string[]; action: Json | null; settings: Json }): { status: Status; error_summary?: string; outputs: Json[]; next_actions?: Json[]; state?: Json; artifacts?: string[] };
  /** Runs that never finish by themselves (until cancelled). */
  long?: boolean;
}

export interface MockRun {
  run_id: string;
  tool_slug: string;
  status: Status;
  is_action: boolean;
  context: string;
  inputs: Json;
  input_files: { name: string; bytes: number }[];
  action: Json | null;
  error_summary: string | null;
  ui_payload: Json | null;
  state_rev: number | null;
  artifacts: { artifact_id: string; path: string; bytes: number; download_url: string }[];
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface MockToolsApi {
  tools: MockTool[];
  professions: MockTaxonomyEntry[];
  categories: MockTaxonomyEntry[];
  runs: MockRun[];
  favorites: Set<string>;
  /** slug → the version whose instructions were marked seen */
  seen: Map<string, number>;
  settings: Map<string, { values: Json; rev: number }>;
  state: Map<string, { rev: number; state: Json }>;
  /** "slug:context" → the session files (the latest form run's input files; reused, cleared, given to actions). */
  sessionFiles: Map<string, { name: string; bytes: number }[]>;
  /** Every request seen, as "METHOD /path". */
  calls: string[];
  /** Uploads of the last run request: field "inputs" and file names with sizes. */
  lastUpload: { inputs: Json; files: { name: string; bytes: number }[] } | null;
}

const TABLE_ROWS = [
  { namn: "Anna Andersson", poang: 18, betyg: "A", klar: true },
  { namn: "Bo Berg", poang: 9.5, betyg: "D", klar: false },
  { namn: "Örjan Öst", poang: 14, betyg: "C", klar: true },
  { namn: "Åsa Ek", poang: null, betyg: "", klar: false },
];

const CHART = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  description: "Poäng per elev",
  data: { values: TABLE_ROWS.filter((r) => r.poang !== null).map((r) => ({ elev: r.namn, poang: r.poang })) },
  mark: "bar",
  encoding: { x: { field: "elev", type: "nominal", title: "Elev" }, y: { field: "poang", type: "quantitative", title: "Poäng" } },
};

export function seedTools(): MockTool[] {
  return [
    {
      slug: "betygsunderlag",
      title: "Betygsunderlag",
      summary: "Sammanställer poäng från en elevlista till ett betygsunderlag.",
      professions: ["larare"],
      categories: ["bedomning"],
      usage_instructions: "# Så gör du\n\n1. Exportera elevlistan som **CSV**.\n2. Välj ämne och ladda upp filen.\n\n<script>alert(1)</script>\n\n![extern](https://example.com/x.png)\n\n[Läs mer](https://example.org/hjalp)",
      input_schema: [
        { kind: "string", name: "titel", label: "Rubrik", required: true, min: 2, max: 60, help: "Syns överst i underlaget.", placeholder: "Åk 9 vt" },
        { kind: "integer", name: "max_poang", label: "Maxpoäng", min: 1, max: 30, default: 20 },
        { kind: "enum", name: "amne", label: "Ämne", required: true, options: [{ value: "ma", label: "Matematik" }, { value: "sv", label: "Svenska" }] },
        { kind: "boolean", name: "kommentarer", label: "Ta med kommentarer", default: true },
        { kind: "text", name: "notering", label: "Notering" },
        { kind: "file", name: "elever", label: "Elevlista", accept: [".csv"], min: 1, max: 2, help: "En rad per elev." },
      ],
      settings_schema: [
        { kind: "enum", name: "skala", label: "Betygsskala", options: [{ value: "af", label: "A–F" }, { value: "ig", label: "IG–MVG" }], default: "af" },
        { kind: "string", name: "skola", label: "Skolans namn" },
      ],
      version: 3,
      published_at: "2026-11-20T08:00:00.000Z",
      result: ({ inputs, files, settings }) => ({
        status: "succeeded",
        outputs: [
          { kind: "notice", level: "info", message: `Läste ${files.length} fil(er) för ${String(inputs.titel)} (skala ${String(settings.skala ?? "af")}).` },
          { kind: "markdown", markdown: "## Sammanfattning\n\nTre av fyra elever har **godkänt**.\n\n<img src=x onerror=alert(1)>" },
          { kind: "table", title: "Poäng per elev", columns: [{ key: "namn", label: "Namn" }, { key: "poang", label: "Poäng" }, { key: "betyg", label: "Betyg" }, { key: "klar", label: "Klar" }], rows: TABLE_ROWS },
          { kind: "vega_lite", spec: CHART },
          { kind: "json", title: "Statistik", value: { medel: 13.8, antal: 4, fordelning: { A: 1, C: 1, D: 1 } } },
          { kind: "html_sandboxed", html: "<h1 style='color:#0a5'>Utskrift</h1><p>Klar att skriva ut.</p><script>parent.document.title='hacked'</script>" },
        ],
        artifacts: ["output/betygsunderlag.pdf", "output/poang.csv"],
      }),
    },
    {
      slug: "narvarolista",
      title: "Närvarolista",
      summary: "Bygg en närvarolista steg för steg.",
      professions: ["larare", "rektor"],
      categories: ["narvaro"],
      usage_instructions: "Lägg till elever en i taget och tryck **Klar** när listan är färdig.",
      input_schema: [{ kind: "string", name: "klass", label: "Klass", required: true }],
      settings_schema: null,
      version: 1,
      published_at: "2026-11-22T08:00:00.000Z",
      result: ({ inputs, action }) => {
        const actions = [
          { action_id: "lagg_till", label: "Lägg till elev", kind: "form", fields: [{ kind: "string", name: "namn", label: "Elevens namn", required: true }] },
          { action_id: "klar", label: "Klar", kind: "form", fields: [] },
        ];
        if (!action) return { status: "succeeded", outputs: [{ kind: "markdown", markdown: `Klass **${String(inputs.klass)}**: inga elever än.` }], next_actions: actions, state: { elever: [] } };
        const elever = [...(((action.state as Json | undefined)?.elever as string[] | undefined) ?? [])];
        if (action.action_id === "lagg_till") elever.push(String((action.input as Json).namn));
        if (action.action_id === "klar") return { status: "succeeded", outputs: [{ kind: "notice", level: "info", message: `Listan är klar: ${elever.join(", ")}.` }], state: { elever } };
        return { status: "succeeded", outputs: [{ kind: "markdown", markdown: `Elever: ${elever.join(", ")}` }], next_actions: actions, state: { elever } };
      },
    },
    {
      slug: "lang-korning",
      title: "Lång körning",
      summary: "Ett verktyg som tar lång tid.",
      professions: ["rektor"],
      categories: ["planering"],
      usage_instructions: "",
      input_schema: [],
      settings_schema: null,
      version: 1,
      published_at: "2026-10-01T08:00:00.000Z",
      long: true,
      result: () => ({ status: "succeeded", outputs: [] }),
    },
    {
      slug: "trasig",
      title: "Trasigt verktyg",
      summary: "Misslyckas alltid.",
      professions: ["specialpedagog"],
      categories: ["planering"],
      usage_instructions: "",
      input_schema: [],
      settings_schema: null,
      version: 2,
      published_at: "2026-09-01T08:00:00.000Z",
      result: () => ({ status: "failed", error_summary: "Filen saknar kolumnen ”namn”.\nLägg till den och försök igen.", outputs: [] }),
    },
  ];
}

const PROFESSIONS: MockTaxonomyEntry[] = [
  { slug: "larare", label_sv: "Lärare", label_en: "Teacher" },
  { slug: "rektor", label_sv: "Rektor", label_en: "Principal" },
  { slug: "specialpedagog", label_sv: "Specialpedagog", label_en: "Special needs teacher" },
];
const CATEGORIES: MockTaxonomyEntry[] = [
  { slug: "bedomning", label_sv: "Bedömning", label_en: "Assessment" },
  { slug: "narvaro", label_sv: "Närvaro", label_en: "Attendance" },
  { slug: "planering", label_sv: "Planering", label_en: "Planning" },
  { slug: "oanvand", label_sv: "Oanvänd", label_en: "Unused" },
];

function error(status: number, code: string, message: string, details: unknown = null) {
  return { status, body: { error: { code, message, details }, request_id: "mock-req" } };
}

/** The parts of a multipart/form-data body: text fields and files (name, size). */
export function parseMultipart(request: Request): { fields: Record<string, string>; files: { name: string; bytes: number }[] } {
  const type = request.headers()["content-type"] ?? "";
  const boundary = /boundary=(.+)$/.exec(type)?.[1];
  const body = request.postDataBuffer();
  const fields: Record<string, string> = {};
  const files: { name: string; bytes: number }[] = [];
  if (!boundary || !body) return { fields, files };
  const text = body.toString("latin1");
  for (const part of text.split(`--${boundary}`)) {
    const end = part.indexOf("\r\n\r\n");
    if (end < 0) continue;
    const head = part.slice(0, end);
    const content = part.slice(end + 4).replace(/\r\n$/, "");
    const name = /name="([^"]*)"/.exec(head)?.[1];
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) files.push({ name: Buffer.from(filename, "latin1").toString("utf8"), bytes: Buffer.byteLength(content, "latin1") });
    else if (name) fields[name] = Buffer.from(content, "latin1").toString("utf8");
  }
  return { fields, files };
}

export async function installMockToolsApi(context: BrowserContext, base: MockApi, options: { tools?: MockTool[] } = {}): Promise<MockToolsApi> {
  const api: MockToolsApi = {
    tools: options.tools ?? seedTools(),
    professions: PROFESSIONS.map((p) => ({ ...p })),
    categories: CATEGORIES.map((c) => ({ ...c })),
    runs: [],
    favorites: new Set(["narvarolista"]),
    seen: new Map([["narvarolista", 1]]),
    settings: new Map(),
    state: new Map(),
    sessionFiles: new Map(),
    calls: [],
    lastUpload: null,
  };
  let counter = 0;
  const now = () => new Date(Date.UTC(2026, 10, 23, 9, 0, counter++)).toISOString();
  const me = () => base.users.find((u) => u.id === base.currentUserId) ?? null;
  const label = (entries: MockTaxonomyEntry[], slug: string) => entries.findIndex((e) => e.slug === slug);
  const item = (tool: MockTool) => ({
    slug: tool.slug,
    title: tool.title,
    summary: tool.summary,
    professions: [...tool.professions].sort((a, b) => label(api.professions, a) - label(api.professions, b)),
    categories: [...tool.categories].sort((a, b) => label(api.categories, a) - label(api.categories, b)),
    is_favorite: api.favorites.has(tool.slug),
  });
  const entries = (kind: "professions" | "categories", counted: MockTool[]) =>
    api[kind].map((e, i) => ({ ...e, sort_order: i, tool_count: counted.filter((t) => t[kind].includes(e.slug)).length }));

  function finish(run: MockRun) {
    const tool = api.tools.find((t) => t.slug === run.tool_slug)!;
    const settings = api.settings.get(tool.slug)?.values ?? {};
    const out = tool.result({ inputs: run.inputs, files: run.input_files.map((f) => f.name), action: run.action, settings });
    run.status = out.status;
    run.error_summary = out.error_summary ?? null;
    run.started_at ??= now();
    run.finished_at = now();
    run.ui_payload = { contract_version: 2, outputs: out.outputs, next_actions: out.next_actions ?? [] };
    run.artifacts = (out.artifacts ?? []).map((path, i) => ({ artifact_id: `a${i}`, path, bytes: 1200 + i * 800, download_url: `/api/v1/runs/${run.run_id}/artifacts/a${i}` }));
    if (out.state && (out.next_actions?.length || run.action)) {
      const key = `${tool.slug}:${run.context}`;
      const rev = (api.state.get(key)?.rev ?? 0) + 1;
      api.state.set(key, { rev, state: out.state });
      run.state_rev = rev;
    }
  }

  function newRun(tool: MockTool, inputs: Json, files: { name: string; bytes: number }[], action: Json | null, context = "default"): MockRun {
    const run: MockRun = {
      run_id: `r${String(api.runs.length + 1).padStart(3, "0")}`,
      tool_slug: tool.slug,
      status: "queued",
      is_action: action !== null,
      context,
      inputs,
      input_files: files,
      action,
      error_summary: null,
      ui_payload: null,
      state_rev: null,
      artifacts: [],
      queued_at: now(),
      started_at: null,
      finished_at: null,
    };
    api.runs.push(run);
    return run;
  }

  const view = (run: MockRun) => {
    const { action: _action, ...rest } = run;
    return { ...rest, tool_title: api.tools.find((t) => t.slug === run.tool_slug)?.title ?? run.tool_slug };
  };

  const handler = async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const method = request.method();
    const path = url.pathname;
    const reply = (status: number, json?: unknown) => route.fulfill({ status, contentType: "application/json", body: json === undefined ? "" : JSON.stringify(json) });
    const fail = (e: { status: number; body: unknown }) => reply(e.status, e.body);
    const ours = /^\/api\/v1\/(catalog|runs|tools\/[^/]+\/(run|actions|settings|session-files))(\/|$|\?)/.test(path) || path === "/api/v1/runs";
    if (!ours) return route.fallback();
    api.calls.push(`${method} ${path}`);
    const user = me();
    if (!user) return fail(error(401, "auth.required", "Du behöver logga in."));
    if (method !== "GET" && !(request.headers()["x-csrf-token"] ?? "").startsWith("csrf-")) return fail(error(403, "csrf.invalid", "Säkerhetstoken saknas."));
    const json = (): Json => {
      try {
        return (request.postDataJSON() ?? {}) as Json;
      } catch {
        return {};
      }
    };
    const toolOf = (slug: string) => api.tools.find((t) => t.slug === decodeURIComponent(slug));
    let m: RegExpExecArray | null;

    // ---- catalog
    if (method === "GET" && path === "/api/v1/catalog/tools") {
      const q = (url.searchParams.get("q") ?? "").toLowerCase();
      const ps = (url.searchParams.get("professions") ?? "").split(",").filter(Boolean);
      const cs = (url.searchParams.get("categories") ?? "").split(",").filter(Boolean);
      const byQ = api.tools.filter((t) => !q || `${t.title} ${t.summary} ${t.usage_instructions}`.toLowerCase().includes(q));
      const byP = (list: MockTool[]) => list.filter((t) => ps.length === 0 || t.professions.some((p) => ps.includes(p)));
      const byC = (list: MockTool[]) => list.filter((t) => cs.length === 0 || t.categories.some((c) => cs.includes(c)));
      const items = byC(byP(byQ)).sort((a, b) => a.title.localeCompare(b.title, "sv"));
      return reply(200, { items: items.map(item), professions: entries("professions", byC(byQ)), categories: entries("categories", byP(byQ)) });
    }
    if (method === "GET" && path === "/api/v1/catalog/home") {
      const recent = [...api.runs].reverse().map((r) => r.tool_slug).filter((s, i, all) => all.indexOf(s) === i).slice(0, 6);
      return reply(200, {
        favorites: api.tools.filter((t) => api.favorites.has(t.slug)).map(item),
        recent: recent.map((slug) => ({ ...item(toolOf(slug)!), last_run_at: [...api.runs].reverse().find((r) => r.tool_slug === slug)!.queued_at })),
        new: [...api.tools].sort((a, b) => b.published_at.localeCompare(a.published_at)).slice(0, 3).map((t) => ({ ...item(t), published_at: t.published_at })),
      });
    }
    if ((m = /^\/api\/v1\/catalog\/tools\/([^/]+)(\/seen|\/favorite)?$/.exec(path))) {
      const tool = toolOf(m[1]!);
      if (!tool) return fail(error(404, "catalog.tool_not_found", "Verktyget finns inte eller är inte publicerat."));
      if (method === "GET" && !m[2]) {
        const seen = api.seen.get(tool.slug) ?? null;
        return reply(200, {
          ...item(tool),
          usage_instructions: tool.usage_instructions,
          input_schema: tool.input_schema,
          settings_schema: tool.settings_schema,
          version: tool.version,
          updated_at: tool.published_at,
          instructions_changed_since_seen: seen !== null && seen !== tool.version,
          instructions_seen_version: seen,
        });
      }
      if (method === "POST" && m[2] === "/seen") {
        api.seen.set(tool.slug, Number(json().version ?? tool.version));
        return reply(200, { version: tool.version, instructions_changed_since_seen: false });
      }
      if (m[2] === "/favorite" && (method === "PUT" || method === "DELETE")) {
        if (method === "PUT") api.favorites.add(tool.slug);
        else api.favorites.delete(tool.slug);
        return reply(200, { slug: tool.slug, is_favorite: method === "PUT" });
      }
    }
    if ((m = /^\/api\/v1\/catalog\/(professions|categories)(\/order|\/[^/]+)?$/.exec(path))) {
      const kind = m[1] as "professions" | "categories";
      const list = api[kind];
      const rest = m[2] ?? "";
      if (method === "GET" && rest === "") return reply(200, { items: entries(kind, api.tools) });
      if (user.role !== "admin" && user.role !== "superuser") return fail(error(403, "auth.forbidden", "Ingen behörighet."));
      const body = json();
      if (method === "POST" && rest === "") {
        const slug = String(body.slug ?? "");
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) return fail(error(422, "validation.failed", "Fel.", [{ path: "/slug", message: "Använd små bokstäver, siffror och bindestreck." }]));
        if (list.some((e) => e.slug === slug)) return fail(error(409, "taxonomy.slug_taken", "Det finns redan en post med den kortadressen (slug). Välj en annan."));
        list.push({ slug, label_sv: String(body.label_sv), label_en: String(body.label_en) });
        return reply(201, { entry: entries(kind, api.tools).find((e) => e.slug === slug) });
      }
      if (method === "PUT" && rest === "/order") {
        const slugs = body.slugs as string[];
        if (slugs.length !== list.length || !list.every((e) => slugs.includes(e.slug))) return fail(error(409, "taxonomy.order_mismatch", "Listan har ändrats."));
        api[kind] = slugs.map((s) => list.find((e) => e.slug === s)!);
        return reply(200, { items: entries(kind, api.tools) });
      }
      const slug = decodeURIComponent(rest.slice(1));
      const entry = list.find((e) => e.slug === slug);
      if (!entry) return fail(error(404, "taxonomy.not_found", "Posten finns inte (längre). Ladda om listan."));
      if (method === "PATCH") {
        if (typeof body.label_sv === "string") entry.label_sv = body.label_sv;
        if (typeof body.label_en === "string") entry.label_en = body.label_en;
        return reply(200, { entry: entries(kind, api.tools).find((e) => e.slug === slug) });
      }
      if (method === "DELETE") {
        const using = api.tools.filter((t) => t[kind].includes(slug));
        if (using.length) {
          const names = using.map((t) => `”${t.title}”`).join(", ");
          return fail(error(409, "taxonomy.in_use", `${kind === "professions" ? "Yrkesrollen" : "Kategorin"} ”${slug}” används av ${using.length} verktyg: ${names}. Ta bort den ur verktygens tool.json och importera dem igen, eller behåll posten.`, { tools: using.map((t) => ({ slug: t.slug, title: t.title })) }));
        }
        api[kind] = list.filter((e) => e.slug !== slug);
        return route.fulfill({ status: 204, body: "" });
      }
    }

    // ---- settings
    if ((m = /^\/api\/v1\/tools\/([^/]+)\/settings$/.exec(path))) {
      const tool = toolOf(m[1]!);
      if (!tool) return fail(error(404, "runs.tool_not_found", "Verktyget finns inte."));
      const saved = api.settings.get(tool.slug) ?? { values: {}, rev: 0 };
      if (method === "GET") return reply(200, { schema: tool.settings_schema, values: saved.values, rev: saved.rev });
      if (method === "PUT") {
        const body = json();
        if (body.expected_rev !== saved.rev) return fail(error(409, "settings.conflict", "Inställningarna har ändrats någon annanstans."));
        const values = body.values as Json;
        if (typeof values.skola === "string" && values.skola.length > 40) return fail(error(422, "settings.invalid", "Några inställningar är felaktiga.", [{ path: "/values/skola", message: "Högst 40 tecken." }]));
        const next = { values, rev: saved.rev + 1 };
        api.settings.set(tool.slug, next);
        return reply(200, { schema: tool.settings_schema, values: next.values, rev: next.rev });
      }
    }

    // ---- runs
    if (method === "POST" && (m = /^\/api\/v1\/tools\/([^/]+)\/run$/.exec(path))) {
      const tool = toolOf(m[1]!);
      if (!tool) return fail(error(404, "runs.tool_not_found", "Verktyget finns inte."));
      const { fields, files } = parseMultipart(request);
      const inputs = JSON.parse(fields.inputs ?? "{}") as Json;
      api.lastUpload = { inputs, files };
      // The server's own checks, as far as the UI tests need them.
      if (inputs.titel === "server-fel") return fail(error(422, "runs.invalid_inputs", "Några fält eller filer är felaktiga.", [{ path: "/inputs/titel", message: "Servern godtar inte den här rubriken." }, { path: "/inputs/elever", message: "Filen ”elever.csv” innehåller inte det som namnet anger (text/csv)." }]));
      const context = fields.context || "default";
      const key = `${tool.slug}:${context}`;
      if (fields.session_files_mode === "clear") api.sessionFiles.delete(key);
      const used = files.length === 0 && fields.session_files_mode === "reuse" ? (api.sessionFiles.get(key) ?? []) : files;
      if (used.length) api.sessionFiles.set(key, used);
      const run = newRun(tool, inputs, used, null, context);
      return reply(202, { run_id: run.run_id });
    }
    if (method === "POST" && (m = /^\/api\/v1\/tools\/([^/]+)\/actions$/.exec(path))) {
      const tool = toolOf(m[1]!);
      if (!tool) return fail(error(404, "runs.tool_not_found", "Verktyget finns inte."));
      const body = json();
      const context = String(body.context ?? "default");
      const current = api.state.get(`${tool.slug}:${context}`);
      if (!current || current.rev !== body.expected_state_rev) {
        return fail(error(409, "runs.state_conflict", "Sidan visar ett gammalt läge. Ladda om sidan.", { expected_state_rev: body.expected_state_rev, current_state_rev: current?.rev ?? 0 }));
      }
      const input = (body.input ?? {}) as Json;
      const run = newRun(tool, {}, api.sessionFiles.get(`${tool.slug}:${context}`) ?? [], { action_id: body.action_id, input, state: current.state }, context);
      return reply(202, { run_id: run.run_id });
    }
    if (method === "GET" && (m = /^\/api\/v1\/tools\/([^/]+)\/session-files$/.exec(path))) {
      const tool = toolOf(m[1]!);
      if (!tool) return fail(error(404, "runs.tool_not_found", "Verktyget finns inte."));
      const context = url.searchParams.get("context") ?? "default";
      const files = api.sessionFiles.get(`${tool.slug}:${context}`) ?? [];
      const owner = [...api.runs].reverse().find((r) => r.tool_slug === tool.slug && r.context === context && r.action === null && r.input_files.length > 0);
      return reply(200, { files, run_id: files.length ? (owner?.run_id ?? null) : null });
    }
    if (method === "GET" && path === "/api/v1/runs") {
      const tool = url.searchParams.get("tool");
      const status = url.searchParams.get("status");
      const from = url.searchParams.get("from");
      const to = url.searchParams.get("to");
      const page = Number(url.searchParams.get("page") ?? "1");
      const size = Number(url.searchParams.get("page_size") ?? "25");
      const all = [...api.runs]
        .reverse()
        .filter((r) => (!tool || r.tool_slug === tool) && (!status || status.split(",").includes(r.status)) && (!from || r.queued_at >= from) && (!to || r.queued_at < to));
      const items = all.slice((page - 1) * size, page * size).map((r) => {
        const v = view(r);
        return {
          run_id: v.run_id,
          tool_slug: v.tool_slug,
          tool_title: v.tool_title,
          status: v.status,
          is_action: v.is_action,
          context: v.context,
          error_summary: v.error_summary,
          state_rev: v.state_rev,
          queued_at: v.queued_at,
          started_at: v.started_at,
          finished_at: v.finished_at,
          duration_ms: v.started_at && v.finished_at ? Date.parse(v.finished_at) - Date.parse(v.started_at) : null,
        };
      });
      return reply(200, { items, total: all.length, page, page_size: size });
    }
    if ((m = /^\/api\/v1\/runs\/([^/]+)(\/.*)?$/.exec(path))) {
      const run = api.runs.find((r) => r.run_id === m![1]);
      if (!run) return fail(error(404, "runs.not_found", "Körningen finns inte."));
      const rest = m[2] ?? "";
      const tool = toolOf(run.tool_slug)!;
      if (method === "GET" && rest === "") return reply(200, view(run));
      if (method === "GET" && rest === "/events") {
        // The whole stream at once; EventSource reads the events, then the UI closes it on `finished`.
        let body = "retry: 200\n\n";
        if (run.status === "queued" || run.status === "running") {
          body += `event: queued\ndata: ${JSON.stringify({ position: 2 })}\n\n`;
          body += "event: running\ndata: {}\n\n";
          run.status = "running";
          run.started_at ??= now();
          if (!tool.long) finish(run);
        }
        if (run.status !== "running") body += `event: finished\ndata: ${JSON.stringify({ status: run.status })}\n\n`;
        return route.fulfill({ status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-cache" }, body });
      }
      if (method === "POST" && rest === "/cancel") {
        if (run.status === "queued" || run.status === "running") {
          run.status = "cancelled";
          run.finished_at = now();
          run.error_summary = "Körningen avbröts.";
          run.ui_payload = { contract_version: 2, outputs: [], next_actions: [] };
        }
        return reply(202, { status: run.status });
      }
      if (method === "DELETE" && rest === "") {
        if (run.status === "queued" || run.status === "running") return fail(error(409, "runs.still_active", "Körningen pågår fortfarande."));
        api.runs = api.runs.filter((r) => r !== run);
        return route.fulfill({ status: 204, body: "" });
      }
      if (method === "POST" && rest === "/rerun") {
        if (run.is_action || run.status === "queued" || run.status === "running") return fail(error(409, "runs.rerun_not_possible", "Den här körningen kan inte köras igen."));
        const again = newRun(tool, run.inputs, run.input_files, null, run.context);
        return reply(202, { run_id: again.run_id });
      }
      // Content-Disposition as the server writes it (RFC 6266 / 8187): an ASCII fallback and, for other
      // names, the UTF-8 one. (Chromium does not name a mocked download from it; the real journey checks.)
      const download = (name: string, type: string, content: string) =>
        route.fulfill({
          status: 200,
          headers: {
            "content-type": type,
            "content-disposition": /^[\x20-\x7e]*$/.test(name)
              ? `attachment; filename="${name}"`
              : `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
            "x-content-type-options": "nosniff",
          },
          body: content,
        });
      if (method === "GET" && rest === "/artifacts.zip") return download(`${run.tool_slug}-2026-11-23.zip`, "application/zip", "PK\u0005\u0006" + "\u0000".repeat(18));
      if (method === "GET" && (m = /^\/outputs\/(\d+)\/table\.xlsx$/.exec(rest))) return download("Poäng per elev.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK");
      if (method === "GET" && (m = /^\/artifacts\/([^/]+)$/.exec(rest))) {
        const artifact = run.artifacts.find((a) => a.artifact_id === m![1]);
        if (!artifact) return fail(error(404, "runs.artifact_not_found", "Filen finns inte längre."));
        return download(artifact.path.split("/").pop()!, "application/octet-stream", "x".repeat(artifact.bytes));
      }
    }
    return fail(error(404, "not_found", "Finns inte."));
  };

  await context.route("**/api/v1/**", handler);
  return api;
}
