import { css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type WaSelect from "@awesome.me/webawesome/dist/components/select/select.js";
import { ROLES, type Role } from "../../api/api-types";
import { RoleChangeEvent } from "../../events/role-change";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";

/**
 * @summary A select of the four roles for one user (admin pages).
 *
 * The visible label is short ("Role"); `context` ("for Anna Berg") follows for screen readers only,
 * so each of many selects in a table has a distinct accessible name ("Role for Anna Berg"). After a
 * failed save the page calls `reset()` to show the stored role (`value`) again.
 *
 * @event sk-role-change - The user picked another role (RoleChangeEvent).
 */
@customElement("sk-role-select")
export class SkRoleSelect extends SkElement {
  static override styles = css`
    :host {
      display: block;
      min-width: 11rem;
    }
    :host([size="small"]) wa-select::part(form-control-label) {
      font-size: var(--wa-font-size-xs);
      color: var(--wa-color-text-quiet);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `;

  /** The stored role. */
  @property() value: Role = "user";
  @property() label = "";
  /** Read after the label by screen readers only (the browser puts a space between them). */
  @property() context = "";
  @property({ reflect: true }) size: "small" | "medium" = "medium";
  @property({ type: Boolean }) disabled = false;

  /** Shows `value` again after the user's choice could not be saved. */
  reset(): void {
    const select = this.renderRoot.querySelector<WaSelect>("wa-select");
    if (select) select.value = this.value;
  }

  override render() {
    return html`
      <wa-select size=${this.size} .value=${this.value} ?disabled=${this.disabled} @change=${this.onChange}>
        <span slot="label"
          >${this.label}${this.context ? html`<span class="visually-hidden">${this.context}</span>` : nothing}</span
        >
        ${ROLES.map((role) => html`<wa-option value=${role}>${t(`role.${role}`)}</wa-option>`)}
      </wa-select>
    `;
  }

  private onChange(event: Event) {
    const value = (event.currentTarget as WaSelect).value;
    const role = ROLES.find((candidate) => candidate === value);
    if (role && role !== this.value) this.dispatchEvent(new RoleChangeEvent(role));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-role-select": SkRoleSelect;
  }
}
