import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { FormAction } from "../../api/contract-types";
import { ActionSubmitEvent } from "../../events/action-submit";
import { problemText, renderValueField } from "../../forms/field-controls";
import { checkFields, initialRaw, type RawValue } from "../../forms/schema-fields";
import { SkElement } from "../sk-element/sk-element";
import { sharedFields } from "./shared-fields";

/**
 * @summary A run's next actions (tool contract §5): one shared set of fields and one button per action.
 * A button checks only its own action's fields and sends only their values.
 *
 * @event sk-action-submit - An action was chosen with valid values (`event.actionId`, `event.input`).
 */
@customElement("sk-next-actions")
export class SkNextActions extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-m);
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: var(--wa-space-s);
    }
    [data-invalid]::part(hint) {
      color: var(--wa-color-danger-on-quiet);
      font-weight: var(--wa-font-weight-semibold);
    }
    [data-invalid]::part(input-wrapper),
    [data-invalid]::part(combobox) {
      border-color: var(--wa-color-danger-border-loud);
    }
  `;

  @property({ attribute: false }) actions: FormAction[] = [];
  /** An action run is being sent or is running: the buttons wait. */
  @property({ type: Boolean }) busy = false;
  /** Field problems from the server (422 at /input/<field>). */
  @property({ attribute: false }) serverErrors: Record<string, string> = {};

  @state() private raws: Record<string, RawValue> = {};
  @state() private problems: Record<string, string> = {};
  @state() private pressed: string | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("actions")) {
      const { fields, prefill } = sharedFields(this.actions);
      this.raws = Object.fromEntries(fields.map((f) => [f.name, initialRaw(f, prefill[f.name])]));
      this.problems = {};
    }
    if (changed.has("serverErrors")) this.problems = { ...this.problems, ...this.serverErrors };
    if (changed.has("busy") && !this.busy) this.pressed = null;
  }

  override render() {
    if (this.actions.length === 0) return nothing;
    const { fields } = sharedFields(this.actions);
    return html`
      <form novalidate @submit=${(e: Event) => e.preventDefault()}>
        ${fields.map((field) =>
          renderValueField(field, {
            raw: this.raws[field.name] ?? initialRaw(field),
            error: this.problems[field.name],
            disabled: this.busy,
            onInput: (name, raw) => {
              this.raws = { ...this.raws, [name]: raw };
              if (this.problems[name]) this.problems = Object.fromEntries(Object.entries(this.problems).filter(([k]) => k !== name));
            },
          }),
        )}
        <div class="buttons">
          ${this.actions.map(
            (action, i) =>
              html`<wa-button
                variant=${i === 0 ? "brand" : "neutral"}
                appearance=${i === 0 ? "accent" : "outlined"}
                ?loading=${this.busy && this.pressed === action.action_id}
                ?disabled=${this.busy}
                @click=${() => this.choose(action)}
                >${action.label}</wa-button
              >`,
          )}
        </div>
      </form>
    `;
  }

  private async choose(action: FormAction) {
    const { values, problems } = checkFields(action.fields, this.raws);
    this.problems = Object.fromEntries(Object.entries(problems).map(([name, p]) => [name, problemText(p)]));
    if (Object.keys(problems).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("[data-invalid]")?.focus();
      return;
    }
    this.pressed = action.action_id;
    this.dispatchEvent(new ActionSubmitEvent(action.action_id, values));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-next-actions": SkNextActions;
  }
}
