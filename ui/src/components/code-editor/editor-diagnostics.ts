/**
 * Turns findings into CodeMirror diagnostics: the contract lint's (translated, with quick fixes as
 * diagnostic actions) and the server's validation problems (placed at their JSON pointer).
 */
import type { Diagnostic } from "@codemirror/lint";
import type { EditorView } from "@codemirror/view";
import { lintToolSource, type FixCode, type LintCode, type LintFinding } from "../../authoring/contract-lint.rules";
import { locateJsonPointer } from "../../authoring/json-pointer.rules";
import { t } from "../../i18n/t";

/** A server problem for this editor: `pointer` inside the editor's JSON ("" = the whole text). */
export interface EditorProblem {
  pointer: string;
  message: string;
}

const LINT_TEXT: Record<LintCode, (p: Record<string, string>) => string> = {
  unknown_kind: (p) => t("authoring.lint.unknown_kind", { kind: p.kind ?? "", known: p.known ?? "" }),
  missing_keys: (p) => t("authoring.lint.missing_keys", { kind: p.kind ?? "", keys: p.keys ?? "" }),
  bad_notice_level: (p) => t("authoring.lint.bad_notice_level", { level: p.level ?? "", known: p.known ?? "" }),
  network_import: (p) => t("authoring.lint.network_import", { module: p.module ?? "" }),
  subprocess_import: (p) => t("authoring.lint.subprocess_import", { module: p.module ?? "" }),
  process_call: (p) => t("authoring.lint.process_call", { call: p.call ?? "" }),
  entrypoint_missing: (p) => t("authoring.lint.entrypoint_missing", { name: p.name ?? "" }),
  entrypoint_async: (p) => t("authoring.lint.entrypoint_async", { name: p.name ?? "" }),
  entrypoint_params: (p) => t("authoring.lint.entrypoint_params", { name: p.name ?? "" }),
  tool_user_error_import: () => t("authoring.lint.tool_user_error_import"),
};

const FIX_TEXT: Record<FixCode, (detail: string) => string> = {
  replace_with: (detail) => t("authoring.fix.replace_with", { detail }),
  add_keys: (detail) => t("authoring.fix.add_keys", { detail }),
  remove_import: (detail) => t("authoring.fix.remove_import", { detail }),
  add_import: (detail) => t("authoring.fix.add_import", { detail }),
};

export function findingDiagnostic(finding: LintFinding, docLength: number): Diagnostic {
  const fix = finding.fix;
  return {
    from: Math.min(finding.from, docLength),
    to: Math.min(finding.to, docLength),
    severity: finding.severity,
    source: t("authoring.lint.source"),
    message: LINT_TEXT[finding.code](finding.params),
    ...(fix
      ? {
          actions: [
            {
              name: FIX_TEXT[fix.code](fix.detail),
              apply: (view: EditorView) => view.dispatch({ changes: fix.changes, userEvent: "input.fix" }),
            },
          ],
        }
      : {}),
  };
}

export function contractDiagnostics(source: string, entrypoint: string): Diagnostic[] {
  return lintToolSource(source, { entrypoint }).map((finding) => findingDiagnostic(finding, source.length));
}

/**
 * Server problems placed in the text: JSON editors at the pointer's value (or the nearest ancestor),
 * other editors (and JSON that does not parse now) on the first line.
 */
export function problemDiagnostics(text: string, problems: readonly EditorProblem[], isJson: boolean): Diagnostic[] {
  const firstLineEnd = text.indexOf("\n") < 0 ? text.length : text.indexOf("\n");
  return problems.map((problem) => {
    const range = isJson ? locateJsonPointer(text, problem.pointer) : null;
    return {
      from: range?.from ?? 0,
      to: range?.to ?? firstLineEnd,
      severity: "error",
      source: t("authoring.lint.server_source"),
      message: problem.pointer ? `${problem.pointer}: ${problem.message}` : problem.message,
    };
  });
}
