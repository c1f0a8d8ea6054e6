// The example alert rules (prometheus-alerts.yml) stay usable: promtool accepts them and their unit
// tests pass (prometheus-alerts.promtool-test.yml), every skriptoteket_* metric they use is one the
// server exports (a renamed metric would silently never fire), and every alert has a unit test that
// makes it fire. promtool comes from scripts/test.sh (SKRIPTOTEKET_PROMTOOL) or the PATH; without it
// the promtool checks are skipped with a note, and fail with CI=true.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMetrics } from "./metrics";

const RULES_FILE = join(import.meta.dir, "prometheus-alerts.yml");
const UNIT_TESTS_FILE = join(import.meta.dir, "prometheus-alerts.promtool-test.yml");

type Rule = { alert?: unknown; expr?: unknown; for?: unknown; labels?: Record<string, unknown>; annotations?: Record<string, unknown> };
type RuleFile = { groups: { name: string; rules: Rule[] }[] };
type UnitTests = { rule_files: string[]; tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };

const rules = Bun.YAML.parse(readFileSync(RULES_FILE, "utf8")) as RuleFile;
const unitTests = Bun.YAML.parse(readFileSync(UNIT_TESTS_FILE, "utf8")) as UnitTests;
const alerts = rules.groups.flatMap((g) => g.rules);

const promtool = process.env.SKRIPTOTEKET_PROMTOOL || Bun.which("promtool");
if (!promtool) {
  if (process.env.CI) throw new Error("prometheus-alerts.test.ts: CI=true but promtool is missing (scripts/test.sh installs it)");
  console.warn("prometheus-alerts.test.ts: promtool checks skipped — promtool is not installed (scripts/lib/ensure-promtool.sh)");
}

describe("the example Prometheus alert rules", () => {
  test("every rule is an alert with a duration, a severity, a summary and a description", () => {
    expect(alerts.length).toBeGreaterThan(0);
    for (const r of alerts) {
      expect({ alert: r.alert, expr: typeof r.expr, for: typeof r.for, severity: r.labels?.severity, summary: typeof r.annotations?.summary, description: typeof r.annotations?.description }).toEqual({
        alert: expect.stringMatching(/^Skriptoteket[A-Z]\w+$/),
        expr: "string",
        for: "string",
        severity: expect.stringMatching(/^(critical|warning)$/),
        summary: "string",
        description: "string",
      });
    }
    expect(new Set(alerts.map((r) => r.alert)).size).toBe(alerts.length);
  });

  test("the alerts use only metrics the server exports", async () => {
    const exported = new Set((await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(alerts.flatMap((r) => String(r.expr).match(/\bskriptoteket_\w+/g) ?? []).map((name) => name.replace(/_(bucket|count|sum)$/, "")));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  test("every alert has a unit test in which it fires", () => {
    expect(unitTests.rule_files).toEqual(["prometheus-alerts.yml"]);
    const firing = new Set(unitTests.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect(alerts.map((r) => String(r.alert)).filter((name) => !firing.has(name))).toEqual([]);
  });

  test.skipIf(!promtool)("promtool accepts the rules and their unit tests pass", () => {
    for (const args of [["check", "rules", "prometheus-alerts.yml"], ["test", "rules", "prometheus-alerts.promtool-test.yml"]]) {
      const p = Bun.spawnSync([promtool!, ...args], { cwd: import.meta.dir, stdout: "pipe", stderr: "pipe" });
      expect({ args, exitCode: p.exitCode, output: p.exitCode === 0 ? "" : p.stdout.toString() + p.stderr.toString() }).toEqual({ args, exitCode: 0, output: "" });
    }
  });
});
