import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { onSessionLost } from "../../api/api";
import { logout } from "../../api/auth.api";
import { updateProfile } from "../../api/profile.api";
import type { LocaleRequestEvent } from "../../events/locale-request";
import { errorText } from "../../i18n/error-messages";
import { applyLocale } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { navigate, onNavigation, startNavigation } from "../../router/navigation";
import { decideAccess, matchRoute, type AccessDecision, type RouteMatch } from "../../router/routes";
import { boot } from "../../session/boot";
import { session, SessionController } from "../../session/session";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import { renderPage } from "./page-registry";
import { appShellStyles } from "./app-shell.styles";
import "../language-switch/language-switch";
import "../user-menu/user-menu";

interface CurrentRoute {
  match: RouteMatch;
  decision: AccessDecision;
  search: string;
}

/**
 * @summary The application shell: header (name, menu, language switch, user menu), the routed page
 * in `<main>`, footer. Boots the session, enforces each route's access rule (login redirect with a
 * way back, forbidden page) and moves focus to the new page's h1 after navigation.
 */
@customElement("sk-app")
export class SkApp extends SkElement {
  static override styles = appShellStyles;

  private readonly sessionState = new SessionController(this);
  private current: CurrentRoute | null = null;
  /** Set when navigation opened another page; the next render then moves focus to its heading. */
  private focusAfterRender = false;
  /** Query-only changes (list filters, paging) keep focus where it is. */
  private renderedPathname = location.pathname;
  @state() private shellMessage: string | null = null;
  private stopListening: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    startNavigation();
    this.stopListening = onNavigation(() => {
      if (location.pathname !== this.renderedPathname) this.focusAfterRender = true;
      this.shellMessage = null;
      this.requestUpdate();
    });
    onSessionLost(() => {
      // A session that ends mid-use (expired, revoked elsewhere): the route rules send the user to login.
      if (session.user) session.setUser(null);
    });
    if (session.status !== "ready") void boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
  }

  protected override willUpdate(): void {
    if (session.status !== "ready") return;
    // Follow redirects (at most a couple: login → home for a logged-in user) before rendering.
    for (let hop = 0; hop < 3; hop++) {
      const match = matchRoute(location.pathname);
      const decision = decideAccess(match.route, session.user, location.pathname + location.search);
      if (decision.kind === "redirect") {
        history.replaceState(null, "", decision.to);
        continue;
      }
      this.current = { match, decision, search: location.search };
      this.renderedPathname = location.pathname;
      return;
    }
  }

  protected override updated(): void {
    if (!this.current) return;
    const title = this.current.decision.kind === "forbidden" ? t("title.forbidden") : t(this.current.match.route.title);
    document.title = `${title} – ${t("app.name")}`;
    if (this.focusAfterRender) {
      this.focusAfterRender = false;
      void this.focusPageHeading();
    }
  }

  /** After a route change, focus the new page's h1 so screen readers announce where the user is. */
  private async focusPageHeading() {
    const main = this.renderRoot.querySelector<HTMLElement>("main");
    const page = main?.firstElementChild;
    if (page && "updateComplete" in page) await (page as SkElement).updateComplete;
    window.scrollTo(0, 0);
    const heading = page?.shadowRoot?.querySelector<HTMLElement>("h1");
    (heading ?? main)?.focus();
  }

  override render() {
    if (session.status === "starting") return this.renderBoot();
    if (session.status === "failed") return this.renderBootFailure();
    const user = this.sessionState.user;
    const routeName = this.current?.match.route.name;
    return html`
      <a class="skip-link" href="#main" @click=${this.skipToMain}>${t("shell.skip_to_content")}</a>
      <header>
        <div class="bar">
          <a class="brand" href="/" aria-label=${t("shell.home_link_label")}>
            <wa-icon name="toolbox"></wa-icon>
            ${t("app.name")}
          </a>
          ${user
            ? html`
                <nav aria-label=${t("shell.nav_label")}>
                  <ul>
                    <li>
                      <a href="/" aria-current=${routeName === "home" ? "page" : nothing}>${t("nav.home")}</a>
                    </li>
                    <li>
                      <a href="/tools" aria-current=${routeName === "catalog" || routeName === "tool" ? "page" : nothing}>${t("nav.tools")}</a>
                    </li>
                    <li>
                      <a href="/runs" aria-current=${routeName === "runs" || routeName === "run" ? "page" : nothing}>${t("nav.runs")}</a>
                    </li>
                    ${user.role !== "user"
                      ? html`<li>
                          <a href="/admin/tools" aria-current=${routeName?.startsWith("authoring-") || routeName?.startsWith("tool-") || routeName === "suggestions" ? "page" : nothing}
                            >${t("nav.authoring")}</a
                          >
                        </li>`
                      : nothing}
                    <li>
                      <a href="/documents" aria-current=${routeName === "documents" || routeName === "document-review" ? "page" : nothing}>${t("nav.documents")}</a>
                    </li>
                    ${user.role === "admin" || user.role === "superuser"
                      ? html`<li>
                          <a
                            href=${session.isSuperuser() ? "/admin/users" : "/admin/taxonomy"}
                            aria-current=${routeName?.startsWith("admin-") ? "page" : nothing}
                          >
                            <wa-icon name="users-gear"></wa-icon>${t("nav.admin")}
                          </a>
                        </li>`
                      : nothing}
                  </ul>
                </nav>
              `
            : nothing}
          <div class="tools">
            <sk-language-switch @sk-locale-request=${this.onLocaleRequest}></sk-language-switch>
            ${user
              ? html`<sk-user-menu .user=${user} @sk-logout-request=${this.onLogout}></sk-user-menu>`
              : routeName === "login"
                ? nothing
                : html`<wa-button size="small" href="/login">${t("shell.log_in")}</wa-button>`}
          </div>
        </div>
      </header>
      ${this.shellMessage ? html`<div class="status">${notice("danger", this.shellMessage)}</div>` : nothing}
      <main id="main" tabindex="-1">${this.current ? renderPage(this.current.match, this.current.decision, this.current.search) : nothing}</main>
      <footer>
        <p>${t("app.name")} · ${t("app.version", { version: this.sessionState.meta?.version ?? "" })}</p>
      </footer>
    `;
  }

  private renderBoot() {
    return html`<main class="boot" id="main" aria-busy="true">
      <wa-spinner label=${t("app.loading")}></wa-spinner>
      <p>${t("app.loading")}</p>
    </main>`;
  }

  private renderBootFailure() {
    return html`<main class="boot" id="main">
      <h1>${t("app.name")}</h1>
      ${notice("danger", t("app.boot_failed"))}
      <wa-button variant="brand" @click=${() => void boot()}>${t("common.retry")}</wa-button>
    </main>`;
  }

  private skipToMain(event: Event) {
    // The target lives in this shadow root, where a #fragment link cannot reach it.
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>("main")?.focus();
  }

  private async onLocaleRequest(event: LocaleRequestEvent) {
    await applyLocale(event.locale, { remember: true });
    const user = session.user;
    if (!user) return;
    try {
      session.setUser(await updateProfile({ locale: event.locale }));
    } catch (error) {
      this.shellMessage = errorText(error);
    }
  }

  private async onLogout() {
    try {
      await logout();
    } catch {
      // Logged out locally either way; the server session expires on its own if the call failed.
    }
    session.setUser(null);
    navigate("/login");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-app": SkApp;
  }
}
