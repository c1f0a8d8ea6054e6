/**
 * English texts of the access feature, spread into en.ts. Ids are prefixed by feature (e.g. "access.*", and
 * page titles "title.*"), so they never collide with other features' ids.
 */
export const accessEn = {} as const;
