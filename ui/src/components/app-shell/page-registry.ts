import { html, type TemplateResult } from "lit";
import type { AccessDecision, RouteMatch, RouteName } from "../../router/routes";
import "../../pages/admin-retention-page/admin-retention-page";
import "../../pages/admin-taxonomy-page/admin-taxonomy-page";
import "../../pages/admin-user-page/admin-user-page";
import "../../pages/admin-users-page/admin-users-page";
import "../../pages/forbidden-page/forbidden-page";
import "../../pages/forgot-password-page/forgot-password-page";
import "../../pages/catalog-page/catalog-page";
import "../../pages/home-page/home-page";
import "../../pages/login-page/login-page";
import "../../pages/not-found-page/not-found-page";
import "../../pages/profile-page/profile-page";
import "../../pages/register-page/register-page";
import "../../pages/reset-password-page/reset-password-page";
import "../../pages/run-page/run-page";
import "../../pages/runs-page/runs-page";
import "../../pages/tool-page/tool-page";
import "../../pages/verify-email-page/verify-email-page";
import { AUTHORING_PAGES } from "./pages.authoring";
import { DOCUMENTS_PAGES } from "./pages.documents";
import { ACCESS_PAGES } from "./pages.access";

export type PageRenderer = (params: Record<string, string>, search: string) => TemplateResult;

/** Which element renders each route. `search` is the raw query string, so pages react only to real changes. */
const PAGES: Record<RouteName, PageRenderer> = {
  home: () => html`<sk-home-page></sk-home-page>`,
  login: (_, search) => html`<sk-login-page .search=${search}></sk-login-page>`,
  register: () => html`<sk-register-page></sk-register-page>`,
  "verify-email": (_, search) => html`<sk-verify-email-page .search=${search}></sk-verify-email-page>`,
  "forgot-password": () => html`<sk-forgot-password-page></sk-forgot-password-page>`,
  "reset-password": (_, search) => html`<sk-reset-password-page .search=${search}></sk-reset-password-page>`,
  profile: () => html`<sk-profile-page></sk-profile-page>`,
  catalog: (_, search) => html`<sk-catalog-page .search=${search}></sk-catalog-page>`,
  tool: (params, search) => html`<sk-tool-page .slug=${params.slug ?? ""} .search=${search}></sk-tool-page>`,
  runs: (_, search) => html`<sk-runs-page .search=${search}></sk-runs-page>`,
  run: (params) => html`<sk-run-page .runId=${params.id ?? ""}></sk-run-page>`,
  "admin-users": (_, search) => html`<sk-admin-users-page .search=${search}></sk-admin-users-page>`,
  "admin-user": (params, search) =>
    html`<sk-admin-user-page .userId=${params.id ?? ""} .search=${search}></sk-admin-user-page>`,
  "admin-taxonomy": () => html`<sk-admin-taxonomy-page></sk-admin-taxonomy-page>`,
  "admin-retention": () => html`<sk-admin-retention-page></sk-admin-retention-page>`,
  "not-found": () => html`<sk-not-found-page></sk-not-found-page>`,
  ...AUTHORING_PAGES,
  ...DOCUMENTS_PAGES,
  ...ACCESS_PAGES,
};

export function renderPage(match: RouteMatch, decision: AccessDecision, search: string): TemplateResult {
  if (decision.kind === "forbidden") return html`<sk-forbidden-page></sk-forbidden-page>`;
  return PAGES[match.route.name](match.params, search);
}
