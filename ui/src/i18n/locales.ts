/**
 * The UI's languages, without any browser code: the type is shared by the API types, which the
 * server-side browser tests (ui/e2e, type-checked without the DOM library) import too.
 */
export const LOCALES = ["sv", "en"] as const;
export type Locale = (typeof LOCALES)[number];
