import { msg } from "@lit/localize";
import { en, type MessageId } from "./en";

/** The `{name}` placeholders of a message text, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** A message with placeholders needs exactly those values; one without takes none. */
type ParamsFor<K extends MessageId> = [Placeholders<(typeof en)[K]>] extends [never]
  ? []
  : [params: Record<Placeholders<(typeof en)[K]>, string | number>];

/**
 * The translated text of a message in the current locale.
 *
 * Goes through @lit/localize's `msg()` with the id, so elements that called
 * `updateWhenLocaleChanges(this)` (every SkElement) re-render when the locale changes.
 *
 * @example t("home.greeting", { name: "Anna" }) // "Hej Anna!" in Swedish
 */
export function t<K extends MessageId>(id: K, ...params: ParamsFor<K>): string {
  const text = msg(en[id], { id });
  const values: Record<string, string | number> | undefined = params[0];
  return values ? fillPlaceholders(text, values) : text;
}

/** Replaces each `{name}` with its value; unknown names stay as written so a slip is visible. */
export function fillPlaceholders(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}
