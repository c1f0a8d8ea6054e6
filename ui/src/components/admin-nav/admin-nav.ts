import { css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { aiEnabled } from "../../api/ai.api";
import { session, SessionController } from "../../session/session";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";

/**
 * @summary Links between the administration pages the signed-in user may open (users: superusers;
 * professions and categories, retention: admins and superusers). Renders nothing when there is only one.
 */
@customElement("sk-admin-nav")
export class SkAdminNav extends SkElement {
  static override styles = css`
    ul {
      display: flex;
      flex-wrap: wrap;
      gap: var(--wa-space-xs) var(--wa-space-l);
      list-style: none;
      margin: 0 0 var(--wa-space-l);
      padding: 0;
      border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    }
    a {
      display: inline-block;
      padding: var(--wa-space-2xs) 0 var(--wa-space-xs);
      color: var(--wa-color-text-link);
      text-decoration: none;
      border-bottom: 3px solid transparent;
    }
    a[aria-current="page"] {
      border-bottom-color: currentColor;
      font-weight: var(--wa-font-weight-semibold);
      color: var(--wa-color-text-normal);
    }
    a:focus-visible {
      outline: var(--wa-focus-ring);
      outline-offset: var(--wa-focus-ring-offset);
    }
  `;

  /** The page showing the menu. */
  @property() current: "users" | "taxonomy" | "retention" | "ai" | "tools" | "reviews" | "groups" | "audit" | "api-keys" = "users";
  private readonly sessionState = new SessionController(this);

  override render() {
    const user = this.sessionState.user;
    // admins and superusers only (the pages themselves refuse everyone else)
    if (!user || (user.role !== "admin" && !session.isSuperuser())) return nothing;
    const links = [
      ...(session.isSuperuser() ? [{ page: "users", href: "/admin/users", text: t("title.admin_users") }] : []),
      { page: "tools", href: "/admin/tools", text: t("title.authoring_tools") },
      { page: "reviews", href: "/admin/reviews", text: t("title.authoring_reviews") },
      { page: "taxonomy", href: "/admin/taxonomy", text: t("title.admin_taxonomy") },
      { page: "retention", href: "/admin/retention", text: t("title.admin_retention") },
      { page: "groups", href: "/admin/groups", text: t("title.admin_groups") },
      { page: "audit", href: "/admin/audit", text: t("title.admin_audit") },
      { page: "api-keys", href: "/admin/api-keys", text: t("title.admin_api_keys") },
      // Only when the site has AI turned on: with AI off no AI element shows anywhere.
      ...(aiEnabled(this.sessionState.meta) ? [{ page: "ai", href: "/admin/ai", text: t("title.admin_ai") }] : []),
    ];
    return html`<nav aria-label=${t("admin.nav_label")}>
      <ul>
        ${links.map((l) => html`<li><a href=${l.href} aria-current=${this.current === l.page ? "page" : nothing}>${l.text}</a></li>`)}
      </ul>
    </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-nav": SkAdminNav;
  }
}
