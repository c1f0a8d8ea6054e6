/**
 * The chart renderer, loaded on demand (a separate chunk: vega and vega-lite are large, and most pages
 * never draw a chart). Runs under the app's CSP, which forbids eval: the Vega spec is parsed to ASTs
 * (`ast: true`) and evaluated by vega-interpreter instead of generated functions. A spec gets no
 * network: its data must be inline (`values`); URLs are refused (tool contract §4).
 */
import { loader as vegaLoader, parse, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { compile, type TopLevelSpec } from "vega-lite";

export class ChartDataUrlError extends Error {
  override readonly name = "ChartDataUrlError";
}

function offlineLoader() {
  const loader = vegaLoader();
  const refuse = async (uri: string): Promise<never> => {
    throw new ChartDataUrlError(`a chart may not load ${uri}`);
  };
  loader.load = refuse;
  loader.sanitize = refuse;
  loader.http = refuse;
  loader.file = refuse;
  return loader;
}

/** Draws a Vega-Lite spec as SVG into `container`; returns what to call when the chart goes away. */
export async function renderVegaLite(container: HTMLElement, spec: Record<string, unknown>): Promise<() => void> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const runtime = parse(compiled, undefined, { ast: true });
  const view = new View(runtime, { expr: expressionInterpreter, renderer: "svg", container, hover: true, loader: offlineLoader() });
  await view.runAsync();
  return () => view.finalize();
}
