// An action request (tool contract §5): the user pressed one of the buttons of a run's next actions.
// The request is checked against the next_actions stored in that run's payload — never against what
// the browser claims the action looks like — and its input is normalized with the same value rules as
// the input schema (normalizeFormValues: strings trimmed, "" omitted, numbers parsed, booleans from
// yes/no words, enum values must match, defaults applied, required enforced). Keys that are no field of
// the pressed action are rejected: the UI shows one shared field set, so it must send only the fields
// of the button that was pressed. The normalized input must fit 48 KiB (CONTRACT_LIMITS.actionInputBytes:
// SKRIPTOTEKET_ACTION also carries up to 64 KiB of state inside Linux's 128 KiB per environment string).
import { normalizeFormValues, type FormCheck } from "../tools/input-schema.rules";
import { CONTRACT_LIMITS, type Bilingual, type FormAction } from "./contract.types";

/** Texts for the HTTP layer's errors around action runs. */
export const ACTION_TEXT = {
  notFound: {
    en: "This step is no longer offered for the run. Reload the page and try again.",
    sv: "Det här steget erbjuds inte längre för körningen. Ladda om sidan och försök igen.",
  },
  staleState: {
    en: "The tool has moved on since this page was loaded. Reload the page to continue from the latest step.",
    sv: "Verktyget har gått vidare sedan sidan laddades. Ladda om sidan för att fortsätta från det senaste steget.",
  },
} satisfies Record<string, Bilingual>;

/** The stored next action with this id, or null (unknown ids are refused, never trusted). */
export function findNextAction(nextActions: readonly FormAction[], actionId: string): FormAction | null {
  return nextActions.find((a) => a.action_id === actionId) ?? null;
}

/** The input of an action request, normalized against the stored action's fields; errors have paths like "/title". */
export function validateActionInput(action: FormAction, input: unknown): FormCheck {
  return normalizeFormValues(action.fields, input, CONTRACT_LIMITS.actionInputBytes);
}
