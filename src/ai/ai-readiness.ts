// The Ollama entry of /readyz (ARCHITECTURE "Operations": readiness includes Ollama when [ai] is enabled).
// Registered only with AI on, so a site with AI off never opens a connection for it.
import type { ReadinessCheck } from "../ops/health.routes";
import { aiClientFor, type AiConfig } from "./ai-client";

const PROBE_MS = 3_000;

/** True when Ollama lists `model` ("name" and "name:latest" are the same model to Ollama). */
export function hasModel(names: string[], model: string): boolean {
  return names.some((n) => n === model || n === `${model}:latest` || `${n}:latest` === model);
}

/** Reachable, answers its version, and has the configured chat and embedding models pulled. */
export function ollamaReadiness(config: AiConfig): ReadinessCheck {
  return async () => {
    const client = aiClientFor(config);
    if (!client) return { ok: false, detail: "[ai] enabled = true needs ollama_url and chat_model" };
    const signal = AbortSignal.timeout(PROBE_MS);
    const [version, models] = await Promise.all([client.version(signal), client.listModels(signal)]);
    const names = models.map((m) => m.name);
    const missing = [config.chat_model, config.embed_model].filter((m) => m !== "" && !hasModel(names, m));
    return missing.length === 0
      ? { ok: true, detail: `ollama ${version}` }
      : { ok: false, detail: `not pulled on the Ollama server: ${missing.join(", ")} (run: ollama pull ${missing[0]})` };
  };
}
