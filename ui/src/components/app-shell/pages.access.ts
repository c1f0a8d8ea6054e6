import type { AccessRouteName } from "../../router/routes.access";
import type { PageRenderer } from "./page-registry";

/** Which element renders each page of the access feature (spread into PAGES in page-registry.ts). */
export const ACCESS_PAGES: Record<AccessRouteName, PageRenderer> = {};
