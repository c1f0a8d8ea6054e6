import { ApiError } from "../api/api-error";
import { errorText } from "../i18n/error-messages";
import { t } from "../i18n/t";

/** The text values of a form, Web Awesome controls included (they are form-associated). */
export function readForm(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string") values[name] = value;
  }
  return values;
}

/** What a failed submit shows: a message above the form and, for 422, a message at each field. */
export interface FormFailure {
  message: string;
  fields: Record<string, string>;
}

export function describeFailure(error: unknown): FormFailure {
  if (error instanceof ApiError && error.status === 422) {
    const fields = error.fieldErrors();
    if (Object.keys(fields).length > 0) return { message: t("common.check_fields"), fields };
  }
  return { message: errorText(error), fields: {} };
}

/**
 * After a failed submit, moves focus to the first control marked invalid so keyboard and screen
 * reader users land on the problem.
 */
export function focusFirstInvalid(root: ShadowRoot | null): void {
  const field = root?.querySelector<HTMLElement>("[data-invalid]");
  field?.focus();
}
