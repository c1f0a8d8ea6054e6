import type { AuthoringRouteName } from "../../router/routes.authoring";
import type { PageRenderer } from "./page-registry";

/** Which element renders each page of the authoring feature (spread into PAGES in page-registry.ts). */
export const AUTHORING_PAGES: Record<AuthoringRouteName, PageRenderer> = {};
