// `skriptoteket worker` must not boot the web app (style-examples trap 6): its runtime import graph may
// reach only config/, store/, log/, execution/, the document pipeline (its jobs share the queue) with the
// AI client it calls, the rules, error definitions and table definitions those use, and the few CLI
// helpers. Type-only imports are erased at build time and so are not part of the graph.
import { describe, expect, test } from "bun:test";
import { dirname, relative, resolve } from "node:path";
import { parseWorkerArgs } from "./worker";

const ROOT = resolve(import.meta.dir, "../..");
const transpiler = new Bun.Transpiler({ loader: "ts" });

/** Every project file the entry reaches through runtime imports (packages and node: built-ins excluded). */
async function runtimeGraph(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(ts|js)$/.test(file)) continue;
    for (const imp of transpiler.scanImports(await Bun.file(file).text())) {
      if (!imp.path.startsWith(".")) continue; // a package or a built-in
      queue.push(Bun.resolveSync(imp.path, dirname(file)));
    }
  }
  return new Set([...seen].map((f) => relative(ROOT, f)));
}

const ALLOWED = [
  /^src\/cli\/(worker|command|help|context|cli-error)\.ts$/,
  /^src\/config\/[^/]+\.ts$/,
  /^src\/store\/[^/]+\.ts$/,
  /^src\/log\/[^/]+\.ts$/,
  /^src\/execution\/[^/]+\.ts$/,
  // rules (pure) and table definitions (the execution tables reference tools and users)
  /^src\/tools\/[^/]+\.rules\.ts$/,
  /^src\/(tools|identity)\/[^/]+\.schema\.(sqlite|pg)\.ts$/,
  /^migrations\/(sqlite|postgres)\/(embedded\.ts|meta\/_journal\.json|[^/]+\.sql)$/,
  // the document pipeline: worker, pipeline steps, repository, tables; never its routes or services
  /^src\/documents\/(document-worker|document-pipeline|pdf-text|pdf-text-pool|pdf-text-pool\.protocol|documents\.(repository|rules|types|errors|schema\.(sqlite|pg)))\.ts$/,
  /^src\/ai\/(ai-client|ai\.rules|ai-limiter|ai\.errors)\.ts$/,
  /^src\/catalog\/(search|swedish-stemmer)\.rules\.ts$/,
  // defineErrors (pure; documents.errors.ts and ai.errors.ts use it), not the HTTP app
  /^src\/http\/errors\.ts$/,
];

describe("skriptoteket worker", () => {
  test("imports only config, store, log, execution, the document pipeline and the rules they use — never http, identity services, ui", async () => {
    const graph = await runtimeGraph(resolve(ROOT, "src/cli/worker.ts"));
    expect(graph.has("src/execution/worker.ts")).toBe(true);
    expect(graph.has("src/execution/docker-driver.ts")).toBe(true);
    const forbidden = [...graph].filter((f) => (/^src\/(http|ops|audit|catalog|review|access)\//.test(f) && !ALLOWED.some((re) => re.test(f))) || /^ui\//.test(f) || /\.routes\.ts$/.test(f) || (/^src\/identity\//.test(f) && !/\.schema\./.test(f)));
    expect(forbidden).toEqual([]);
    const unexpected = [...graph].filter((f) => !ALLOWED.some((re) => re.test(f)));
    expect(unexpected).toEqual([]);
  });

  test("--concurrency is parsed and checked; --config passes through", () => {
    expect(parseWorkerArgs([])).toEqual({ concurrency: null, rest: [] });
    expect(parseWorkerArgs(["--concurrency", "4", "--config", "/etc/s.toml"])).toEqual({ concurrency: 4, rest: ["--config", "/etc/s.toml"] });
    expect(parseWorkerArgs(["--concurrency=2", "--config=x.toml"])).toEqual({ concurrency: 2, rest: ["--config=x.toml"] });
    for (const bad of ["0", "-1", "1.5", "x", "", "257"]) expect(parseWorkerArgs(["--concurrency", bad])).toHaveProperty("error");
    expect(parseWorkerArgs(["--verbose"])).toEqual({ error: 'Unknown argument "--verbose" for "worker".' });
  });
});
