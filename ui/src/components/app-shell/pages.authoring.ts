import { html } from "lit";
import type { AuthoringRouteName } from "../../router/routes.authoring";
import type { PageRenderer } from "./page-registry";
import "../../pages/admin-reviews-page/admin-reviews-page";
import "../../pages/admin-tool-page/admin-tool-page";
import "../../pages/admin-tools-page/admin-tools-page";
import "../../pages/suggestions-page/suggestions-page";
import "../../pages/tool-versions-page/tool-versions-page";

/**
 * The editor and the compare page carry CodeMirror: they are loaded on first use (their own chunk), so
 * teachers, who never open them, do not download it. The element upgrades when its module arrives.
 */
const loadEditorPage = () => import("../../pages/tool-editor-page/tool-editor-page");
const loadComparePage = () => import("../../pages/tool-compare-page/tool-compare-page");

/** Which element renders each page of the authoring feature (spread into PAGES in page-registry.ts). */
export const AUTHORING_PAGES: Record<AuthoringRouteName, PageRenderer> = {
  "authoring-tools": () => html`<sk-admin-tools-page></sk-admin-tools-page>`,
  "authoring-tool": (params) => html`<sk-admin-tool-page .slug=${params.slug ?? ""}></sk-admin-tool-page>`,
  "authoring-reviews": () => html`<sk-admin-reviews-page></sk-admin-reviews-page>`,
  "tool-editor": (params) => {
    void loadEditorPage();
    return html`<sk-tool-editor-page .slug=${params.slug ?? ""}></sk-tool-editor-page>`;
  },
  "tool-versions": (params) => html`<sk-tool-versions-page .slug=${params.slug ?? ""}></sk-tool-versions-page>`,
  "tool-compare": (params, search) => {
    void loadComparePage();
    return html`<sk-tool-compare-page .slug=${params.slug ?? ""} .search=${search}></sk-tool-compare-page>`;
  },
  suggestions: () => html`<sk-suggestions-page></sk-suggestions-page>`,
};
