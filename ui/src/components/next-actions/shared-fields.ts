import type { FormAction, ValueField } from "../../api/contract-types";

/**
 * The fields of all actions as one set: a field several actions share (same name) is shown once, as
 * the first action defines it, with the first prefill that names it.
 */
export function sharedFields(actions: readonly FormAction[]): { fields: ValueField[]; prefill: Record<string, unknown> } {
  const fields: ValueField[] = [];
  const prefill: Record<string, unknown> = {};
  for (const action of actions) {
    for (const field of action.fields) if (!fields.some((f) => f.name === field.name)) fields.push(field);
    for (const [name, value] of Object.entries(action.prefill ?? {})) if (!(name in prefill)) prefill[name] = value;
  }
  return { fields, prefill };
}
