/**
 * English texts of the authoring feature, spread into en.ts. Ids are prefixed by feature (e.g. "authoring.*", and
 * page titles "title.*"), so they never collide with other features' ids.
 */
export const authoringEn = {} as const;
