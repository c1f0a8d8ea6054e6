import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import type { ValueField } from "../../api/contract-types";
import { getToolSettings, saveToolSettings, type ToolSettings } from "../../api/runs.api";
import { problemText, renderValueField } from "../../forms/field-controls";
import { checkFields, initialRaw, parseFields, rawFromValue, serverFieldErrors, type RawValue } from "../../forms/schema-fields";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";

/** Loads and saves settings somewhere other than the tool's production settings. */
export interface SettingsStore {
  load(): Promise<ToolSettings>;
  save(values: Record<string, unknown>, expectedRev: number): Promise<ToolSettings>;
}

/**
 * @summary The signed-in user's own settings for a tool (its settings schema), saved on the server per
 * user and delivered to every run. Saving names the revision it replaces: when the settings were saved
 * elsewhere meanwhile, the panel says so and shows the saved values again.
 * Renders nothing for a tool without settings.
 */
@customElement("sk-settings-panel")
export class SkSettingsPanel extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-m);
    }
    p {
      margin: 0;
      color: var(--wa-color-text-quiet);
    }
    wa-callout {
      margin: 0;
    }
    [data-invalid]::part(hint) {
      color: var(--wa-color-danger-on-quiet);
      font-weight: var(--wa-font-weight-semibold);
    }
    [data-invalid]::part(input-wrapper),
    [data-invalid]::part(combobox) {
      border-color: var(--wa-color-danger-border-loud);
    }
    wa-details::part(content) {
      padding-top: 0;
    }
  `;

  @property() slug = "";
  /** Where the settings live instead of the tool's own (the editor's sandbox keeps its settings apart). */
  @property({ attribute: false }) store: SettingsStore | null = null;

  @state() private settings: ToolSettings | null = null;
  @state() private fields: ValueField[] = [];
  @state() private raws: Record<string, RawValue> = {};
  @state() private problems: Record<string, string> = {};
  @state() private busy = false;
  @state() private message: { kind: "success" | "danger" | "warning"; text: string } | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("slug") && this.slug) || (changed.has("store") && this.store)) void this.load();
  }

  private async load(keepMessage = false) {
    try {
      this.apply(await (this.store ? this.store.load() : getToolSettings(this.slug)));
      if (!keepMessage) this.message = null;
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private apply(settings: ToolSettings) {
    this.settings = settings;
    this.fields = parseFields(settings.schema, { allowFile: false }) as ValueField[];
    this.raws = Object.fromEntries(
      this.fields.map((f) => [f.name, Object.hasOwn(settings.values, f.name) ? rawFromValue(f, settings.values[f.name]) : initialRaw(f)]),
    );
    this.problems = {};
  }

  override render() {
    if (!this.settings || this.fields.length === 0) return this.message ? notice(this.message.kind, this.message.text) : nothing;
    return html`
      <wa-details summary=${t("settings.title")}>
        <form novalidate @submit=${this.save}>
          <p>${t("settings.intro")}</p>
          ${this.message ? notice(this.message.kind, this.message.text) : nothing}
          ${this.fields.map((field) =>
            renderValueField(field, {
              raw: this.raws[field.name] ?? initialRaw(field),
              error: this.problems[field.name],
              disabled: this.busy,
              onInput: (name, raw) => {
                this.raws = { ...this.raws, [name]: raw };
                this.message = null;
              },
            }),
          )}
          <div>
            <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("settings.save")}</wa-button>
          </div>
        </form>
      </wa-details>
    `;
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    if (!this.settings) return;
    const { values, problems } = checkFields(this.fields, this.raws);
    this.problems = Object.fromEntries(Object.entries(problems).map(([name, p]) => [name, problemText(p)]));
    if (Object.keys(problems).length) {
      this.message = { kind: "danger", text: t("common.check_fields") };
      return this.focusInvalid();
    }
    this.busy = true;
    try {
      const rev = this.settings.rev;
      this.apply(await (this.store ? this.store.save(values, rev) : saveToolSettings(this.slug, values, rev)));
      this.message = { kind: "success", text: t("settings.saved") };
    } catch (error) {
      if (isApiError(error) && error.code === "settings.conflict") {
        await this.load(true);
        this.message = { kind: "warning", text: t("settings.conflict") };
      } else if (isApiError(error) && error.status === 422) {
        this.problems = serverFieldErrors(error, "values");
        this.message = { kind: "danger", text: errorText(error) };
        void this.focusInvalid();
      } else {
        this.message = { kind: "danger", text: errorText(error) };
      }
    } finally {
      this.busy = false;
    }
  }

  private async focusInvalid() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("[data-invalid]")?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-settings-panel": SkSettingsPanel;
  }
}
