import type { authoringEn } from "./authoring.en";

/** Swedish texts of the authoring feature, spread into sv.ts; typed by the English ids. */
export const authoringSv: Record<keyof typeof authoringEn, string> = {};
