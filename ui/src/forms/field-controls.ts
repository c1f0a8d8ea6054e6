/**
 * The Web Awesome control for each field kind of a tool's forms (input form, next actions, settings),
 * with its label, required mark, placeholder, help and bounds as the hint, and a problem in place of
 * the hint (`data-invalid`, like every form of the UI). The caller keeps the raw values and problems;
 * controls report edits through `onInput`.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { ValueField } from "../api/contract-types";
import { currentLocale, INTL_LOCALES } from "../i18n/locale";
import { t } from "../i18n/t";
import type { FieldProblem, RawValue } from "./schema-fields";

export interface FieldControlOptions {
  raw: RawValue;
  /** A problem text (client check or server 422) shown instead of the hint. */
  error?: string;
  onInput: (name: string, raw: RawValue) => void;
  disabled?: boolean;
}

function num(n: number): string {
  return new Intl.NumberFormat(INTL_LOCALES[currentLocale()], { maximumFractionDigits: 6 }).format(n);
}

/** A problem found by the client-side check, in words. */
export function problemText(problem: FieldProblem): string {
  switch (problem.code) {
    case "required":
      return t("field.required");
    case "integer":
      return t("field.integer");
    case "number":
      return t("field.number");
    case "not_option":
      return t("field.not_option");
    case "too_short":
      return t("field.too_short", { n: num(problem.limit) });
    case "too_long":
      return t("field.too_long", { n: num(problem.limit) });
    case "too_small":
      return t("field.too_small", { n: num(problem.limit) });
    case "too_large":
      return t("field.too_large", { n: num(problem.limit) });
    case "too_few":
      return t("field.too_few", { n: num(problem.limit) });
    case "too_many":
      return t("field.too_many", { n: num(problem.limit) });
  }
}

/** The bounds of a field in words, shown with its help ("Between 1 and 10."), or "". */
export function boundsText(field: ValueField): string {
  const { min, max } = field as { min?: number; max?: number };
  if (min === undefined && max === undefined) return "";
  const kind = field.kind === "integer" || field.kind === "number" ? "value" : field.kind === "multi_enum" ? "count" : "length";
  if (min !== undefined && max !== undefined) return t(`field.bounds_${kind}_between`, { min: num(min), max: num(max) });
  if (min !== undefined) return t(`field.bounds_${kind}_min`, { min: num(min) });
  return t(`field.bounds_${kind}_max`, { max: num(max ?? 0) });
}

function hintOf(field: ValueField, error: string | undefined): string {
  if (error) return error;
  return [field.help, boundsText(field)].filter(Boolean).join(" ");
}

function valueOf(event: Event): string {
  const target = event.currentTarget as { value?: unknown } | null;
  return typeof target?.value === "string" ? target.value : "";
}

/** The control of one value field. */
export function renderValueField(field: ValueField, options: FieldControlOptions): TemplateResult {
  const { raw, error, onInput, disabled = false } = options;
  const hint = hintOf(field, error);
  const invalid = Boolean(error);
  const text = typeof raw === "string" ? raw : "";
  switch (field.kind) {
    case "string":
    case "integer":
    case "number":
      return html`<wa-input
        data-field=${field.name}
        name=${field.name}
        label=${field.label}
        hint=${hint}
        placeholder=${field.placeholder ?? nothing}
        inputmode=${field.kind === "integer" ? "numeric" : field.kind === "number" ? "decimal" : nothing}
        maxlength=${field.kind === "string" && field.max !== undefined ? field.max : nothing}
        autocomplete="off"
        ?required=${field.required}
        ?disabled=${disabled}
        ?data-invalid=${invalid}
        .value=${text}
        @input=${(e: Event) => onInput(field.name, valueOf(e))}
      ></wa-input>`;
    case "text":
      return html`<wa-textarea
        data-field=${field.name}
        name=${field.name}
        label=${field.label}
        hint=${hint}
        placeholder=${field.placeholder ?? nothing}
        maxlength=${field.max !== undefined ? field.max : nothing}
        rows="4"
        resize="auto"
        ?required=${field.required}
        ?disabled=${disabled}
        ?data-invalid=${invalid}
        .value=${text}
        @input=${(e: Event) => onInput(field.name, valueOf(e))}
      ></wa-textarea>`;
    case "boolean":
      return html`<wa-checkbox
        data-field=${field.name}
        name=${field.name}
        hint=${hint}
        ?disabled=${disabled}
        ?data-invalid=${invalid}
        .checked=${raw === true}
        @change=${(e: Event) => onInput(field.name, (e.currentTarget as HTMLInputElement).checked)}
        >${field.label}</wa-checkbox
      >`;
    case "enum":
      return html`<wa-select
        data-field=${field.name}
        name=${field.name}
        label=${field.label}
        hint=${hint}
        placeholder=${field.placeholder ?? t("field.choose")}
        ?with-clear=${!field.required}
        ?required=${field.required}
        ?disabled=${disabled}
        ?data-invalid=${invalid}
        .value=${text}
        @change=${(e: Event) => onInput(field.name, valueOf(e))}
      >
        ${field.options.map((o) => html`<wa-option value=${o.value}>${o.label}</wa-option>`)}
      </wa-select>`;
    case "multi_enum": {
      const picked = Array.isArray(raw) ? raw : [];
      const toggle = (value: string, on: boolean) => onInput(field.name, on ? [...picked.filter((v) => v !== value), value] : picked.filter((v) => v !== value));
      return html`<wa-checkbox-group data-field=${field.name} label=${field.label} hint=${hint} ?required=${field.required} ?data-invalid=${invalid}>
        ${field.options.map(
          (o) =>
            html`<wa-checkbox
              value=${o.value}
              ?disabled=${disabled}
              .checked=${picked.includes(o.value)}
              @change=${(e: Event) => toggle(o.value, (e.currentTarget as HTMLInputElement).checked)}
              >${o.label}</wa-checkbox
            >`,
        )}
      </wa-checkbox-group>`;
    }
  }
}
