import type { documentsEn } from "./documents.en";

/** Swedish texts of the documents feature, spread into sv.ts; typed by the English ids. */
export const documentsSv: Record<keyof typeof documentsEn, string> = {};
