import type { accessEn } from "./access.en";

/** Swedish texts of the access feature, spread into sv.ts; typed by the English ids. */
export const accessSv: Record<keyof typeof accessEn, string> = {};
