/**
 * English texts of the documents feature, spread into en.ts. Ids are prefixed by feature (e.g. "documents.*", and
 * page titles "title.*"), so they never collide with other features' ids.
 */
export const documentsEn = {} as const;
