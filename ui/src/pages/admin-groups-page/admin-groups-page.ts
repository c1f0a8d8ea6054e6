import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import {
  addMember,
  createGroup,
  deleteGroup,
  getGroup,
  getToolAccess,
  listGroups,
  removeMember,
  renameGroup,
  setToolAccess,
  type Group,
  type GroupDetail,
} from "../../api/access.api";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, readForm } from "../../forms/forms";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import "../../components/admin-nav/admin-nav";
import "../../components/confirm-dialog/confirm-dialog";

/**
 * @summary Groups for admins: create, rename and delete groups, add and remove members by e-mail, and
 * limit tools to a group (a limited tool is hidden from everyone outside its groups; admins always see
 * it). The open group is in the URL (`?group=<id>`).
 */
@customElement("sk-admin-groups-page")
export class SkAdminGroupsPage extends SkElement {
  static override styles = [
    pageStyles,
    tableStyles,
    css`
      .inline-form {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-s);
        align-items: end;
      }
      .inline-form wa-input {
        flex: 1 1 14rem;
        min-width: 0;
      }
      ul.groups {
        list-style: none;
        padding: 0;
        margin: 0 0 var(--wa-space-l);
        display: grid;
        gap: var(--wa-space-2xs);
      }
      ul.groups a[aria-current="page"] {
        font-weight: var(--wa-font-weight-semibold);
      }
    `,
  ];

  @property({ attribute: false }) search = "";

  @state() private groups: Group[] | null = null;
  @state() private detail: GroupDetail | null = null;
  @state() private error: string | null = null;
  @state() private message: string | null = null;
  @query("sk-confirm-dialog") private confirmDialog!: SkConfirmDialog;

  private get groupId(): string | null {
    return new URLSearchParams(this.search).get("group");
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("search")) void this.load();
  }

  private async load() {
    try {
      const id = this.groupId;
      const [groups, detail] = await Promise.all([listGroups(), id ? getGroup(id) : Promise.resolve(null)]);
      this.groups = groups;
      this.detail = detail;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Runs an action, shows its outcome and reloads. */
  private async act(action: () => Promise<unknown>, success: string) {
    this.error = null;
    this.message = null;
    try {
      await action();
      this.message = success;
      await this.load();
      return true;
    } catch (error) {
      this.error = describeFailure(error).message;
      return false;
    }
  }

  override render() {
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.admin_groups")}</h1>
        <sk-admin-nav current="groups"></sk-admin-nav>
        <p>${t("access.groups_intro")}</p>
        ${notice("danger", this.error)} ${notice("success", this.message)}
        <section aria-labelledby="groups-heading">
          <h2 id="groups-heading">${t("access.groups_heading")}</h2>
          ${this.groups === null
            ? html`<wa-spinner label=${t("app.loading")}></wa-spinner>`
            : this.groups.length
              ? html`<ul class="groups">
                  ${this.groups.map(
                    (g) => html`<li>
                      <a href=${`/admin/groups?group=${encodeURIComponent(g.id)}`} aria-current=${g.id === this.groupId ? "page" : nothing}>${g.name}</a>
                      <span class="quiet">${t("access.group_counts", { members: g.member_count, tools: g.tool_count })}</span>
                    </li>`,
                  )}
                </ul>`
              : html`<p>${t("access.no_groups")}</p>`}
          <form class="inline-form" @submit=${this.onCreate}>
            <wa-input name="name" label=${t("access.new_group_name")} required maxlength="100"></wa-input>
            <wa-button type="submit" variant="brand">${t("access.create_group")}</wa-button>
          </form>
        </section>
        ${this.detail ? this.renderDetail(this.detail) : nothing}
        <sk-confirm-dialog></sk-confirm-dialog>
      </div>
    `;
  }

  private renderDetail(d: GroupDetail) {
    return html`<section class="card" aria-labelledby="group-heading">
      <h2 id="group-heading" tabindex="-1">${d.group.name}</h2>
      <form class="inline-form" @submit=${this.onRename}>
        <wa-input name="name" label=${t("access.group_name")} required maxlength="100" .value=${d.group.name}></wa-input>
        <wa-button type="submit">${t("access.rename_group")}</wa-button>
        <wa-button variant="danger" appearance="outlined" @click=${this.onDelete}>${t("access.delete_group")}</wa-button>
      </form>

      <h3 id="members-heading">${t("access.members_heading")}</h3>
      ${d.members.length
        ? html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="members-heading">
            <table>
              <thead>
                <tr>
                  <th scope="col">${t("access.member_name")}</th>
                  <th scope="col">${t("access.member_email")}</th>
                  <th scope="col"><span class="visually-hidden">${t("access.col_actions")}</span></th>
                </tr>
              </thead>
              <tbody>
                ${d.members.map(
                  (m) => html`<tr>
                    <td>${`${m.first_name} ${m.last_name}`.trim() || "–"}</td>
                    <th scope="row">${m.email}</th>
                    <td>
                      <wa-button size="small" appearance="outlined" @click=${() => this.act(() => removeMember(d.group.id, m.user_id), t("access.member_removed", { email: m.email }))}
                        >${t("access.remove")}<span class="visually-hidden"> ${m.email}</span></wa-button
                      >
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p>${t("access.no_members")}</p>`}
      <form class="inline-form" @submit=${this.onAddMember}>
        <wa-input name="email" type="email" label=${t("access.add_member_email")} hint=${t("access.add_member_hint")} required></wa-input>
        <wa-button type="submit">${t("access.add_member")}</wa-button>
      </form>

      <h3 id="tools-heading">${t("access.group_tools_heading")}</h3>
      <p>${t("access.group_tools_intro")}</p>
      ${d.tools.length
        ? html`<ul aria-labelledby="tools-heading">
            ${d.tools.map(
              (tool) => html`<li>
                <a href=${`/tools/${encodeURIComponent(tool.slug)}`}>${tool.title}</a> <code>${tool.slug}</code>
                <wa-button size="small" appearance="outlined" @click=${() => this.onUnlimit(tool.slug)}
                  >${t("access.unlimit_tool")}<span class="visually-hidden"> ${tool.title}</span></wa-button
                >
              </li>`,
            )}
          </ul>`
        : html`<p>${t("access.no_group_tools")}</p>`}
      <form class="inline-form" @submit=${this.onLimit}>
        <wa-input name="slug" label=${t("access.limit_tool_slug")} hint=${t("access.limit_tool_hint")} required></wa-input>
        <wa-button type="submit">${t("access.limit_tool")}</wa-button>
      </form>
    </section>`;
  }

  private async onCreate(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = (readForm(form).name ?? "").trim();
    let created: Group | null = null;
    const ok = await this.act(async () => (created = await createGroup(name)), t("access.group_created", { name }));
    if (ok && created) {
      form.reset();
      navigate(`/admin/groups?group=${encodeURIComponent((created as Group).id)}`);
    }
  }

  private async onRename(event: SubmitEvent) {
    event.preventDefault();
    const d = this.detail;
    if (!d) return;
    const name = (readForm(event.currentTarget as HTMLFormElement).name ?? "").trim();
    await this.act(() => renameGroup(d.group.id, name), t("access.group_renamed", { name }));
  }

  private async onDelete() {
    const d = this.detail;
    if (!d) return;
    const ok = await this.confirmDialog.ask({
      title: t("access.delete_group_title"),
      body: t("access.delete_group_body", { name: d.group.name }),
      confirmLabel: t("access.delete_group"),
      variant: "danger",
    });
    if (!ok) return;
    if (await this.act(() => deleteGroup(d.group.id), t("access.group_deleted", { name: d.group.name }))) navigate("/admin/groups");
  }

  private async onAddMember(event: SubmitEvent) {
    event.preventDefault();
    const d = this.detail;
    if (!d) return;
    const form = event.currentTarget as HTMLFormElement;
    const email = (readForm(form).email ?? "").trim();
    if (await this.act(() => addMember(d.group.id, email), t("access.member_added", { email }))) form.reset();
  }

  private async onLimit(event: SubmitEvent) {
    event.preventDefault();
    const d = this.detail;
    if (!d) return;
    const form = event.currentTarget as HTMLFormElement;
    const slug = (readForm(form).slug ?? "").trim();
    const ok = await this.act(async () => {
      const access = await getToolAccess(slug);
      await setToolAccess(slug, [...new Set([...access.group_ids, d.group.id])]);
    }, t("access.tool_limited", { slug, name: d.group.name }));
    if (ok) form.reset();
  }

  private async onUnlimit(slug: string) {
    const d = this.detail;
    if (!d) return;
    await this.act(async () => {
      const access = await getToolAccess(slug);
      await setToolAccess(
        slug,
        access.group_ids.filter((id) => id !== d.group.id),
      );
    }, t("access.tool_unlimited", { slug, name: d.group.name }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-groups-page": SkAdminGroupsPage;
  }
}
