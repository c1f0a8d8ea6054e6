import { html } from "lit";
import type { AccessRouteName } from "../../router/routes.access";
import type { PageRenderer } from "./page-registry";
import "../../pages/api-keys-page/api-keys-page";
import "../../pages/admin-api-keys-page/admin-api-keys-page";
import "../../pages/admin-audit-page/admin-audit-page";
import "../../pages/admin-groups-page/admin-groups-page";
import "../../pages/device-page/device-page";

/** Which element renders each page of the access feature (spread into PAGES in page-registry.ts). */
export const ACCESS_PAGES: Record<AccessRouteName, PageRenderer> = {
  "api-keys": () => html`<sk-api-keys-page></sk-api-keys-page>`,
  "admin-api-keys": () => html`<sk-admin-api-keys-page></sk-admin-api-keys-page>`,
  "admin-audit": (_, search) => html`<sk-admin-audit-page .search=${search}></sk-admin-audit-page>`,
  "admin-groups": (_, search) => html`<sk-admin-groups-page .search=${search}></sk-admin-groups-page>`,
  device: (_, search) => html`<sk-device-page .search=${search}></sk-device-page>`,
};
