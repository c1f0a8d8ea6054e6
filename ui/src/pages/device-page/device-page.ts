import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { confirmDevice, denyDevice, getDeviceRequest, type DeviceRequest } from "../../api/access.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, readForm } from "../../forms/forms";
import { formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles } from "../../styles/shared.styles";
import { scopeHint, scopeName } from "../api-keys-page/key-status";

/** What a command-line login usually needs: run tools and read their results. */
const DEFAULT_SCOPES = new Set(["tools:read", "runs:read", "runs:write"]);

/**
 * @summary Confirms a command-line login (`skriptoteket login`, the device flow): the user enters or
 * follows the code the terminal shows, checks which program asks, picks the scopes and allows or
 * denies it. `?code=ABCD-EFGH` comes from the link the terminal prints.
 */
@customElement("sk-device-page")
export class SkDevicePage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      fieldset {
        border: none;
        margin: 0 0 var(--wa-space-m);
        padding: 0;
        display: grid;
        gap: var(--wa-space-s);
      }
      legend {
        font-weight: var(--wa-font-weight-semibold);
        margin-bottom: var(--wa-space-xs);
      }
      .code {
        font-family: var(--wa-font-family-code);
        font-size: var(--wa-font-size-xl);
        letter-spacing: 0.1em;
      }
    `,
  ];

  @property({ attribute: false }) search = "";

  @state() private request: DeviceRequest | null = null;
  @state() private error: string | null = null;
  @state() private busy = false;
  @state() private outcome: "approved" | "denied" | null = null;

  private get code(): string {
    return (new URLSearchParams(this.search).get("code") ?? "").trim().toUpperCase();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("search")) void this.load();
  }

  private async load() {
    this.request = null;
    this.error = null;
    this.outcome = null;
    if (!this.code) return;
    try {
      this.request = await getDeviceRequest(this.code);
    } catch (error) {
      this.error = describeFailure(error).message;
    }
  }

  override render() {
    return html`<div class="page">
      <h1 tabindex="-1">${t("title.device")}</h1>
      <p>${t("access.device_intro")}</p>
      ${notice("danger", this.error)}
      ${this.outcome === "approved" ? notice("success", t("access.device_approved")) : nothing}
      ${this.outcome === "denied" ? notice("info", t("access.device_denied")) : nothing}
      ${this.request && !this.outcome ? this.renderRequest(this.request) : nothing}
      ${!this.code || this.error ? this.renderCodeForm() : nothing}
    </div>`;
  }

  private renderCodeForm() {
    return html`<form class="card" @submit=${this.onCode}>
      <wa-input name="code" label=${t("access.device_code")} hint=${t("access.device_code_hint")} required autocomplete="off" .value=${this.code}></wa-input>
      <div class="actions"><wa-button type="submit" variant="brand">${t("access.device_continue")}</wa-button></div>
    </form>`;
  }

  private renderRequest(r: DeviceRequest) {
    if (r.status !== "pending") return notice("warning", t("access.device_already_decided"));
    return html`<form class="card" @submit=${this.onAllow}>
      <p>${t("access.device_asks", { client: r.client_name ?? t("access.device_unnamed_client") })}</p>
      <p>${t("access.device_check_code")} <span class="code" data-user-code>${r.user_code}</span></p>
      <p class="quiet">${t("access.device_expires", { time: formatDateTime(r.expires_at) })}</p>
      <fieldset>
        <legend>${t("access.scopes")}</legend>
        ${r.allowed_scopes.map(
          (scope) => html`<wa-checkbox name="scope" value=${scope} ?checked=${DEFAULT_SCOPES.has(scope)} hint=${scopeHint(scope)}>${scopeName(scope)}</wa-checkbox>`,
        )}
      </fieldset>
      <div class="actions">
        <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("access.device_allow")}</wa-button>
        <wa-button variant="danger" appearance="outlined" ?disabled=${this.busy} @click=${this.onDeny}>${t("access.device_deny")}</wa-button>
      </div>
    </form>`;
  }

  private onCode(event: SubmitEvent) {
    event.preventDefault();
    const code = (readForm(event.currentTarget as HTMLFormElement).code ?? "").trim();
    if (code) navigate(`/device?code=${encodeURIComponent(code)}`);
  }

  private async onAllow(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const scopes = [...form.querySelectorAll<HTMLElement & { checked: boolean; value: string }>("wa-checkbox[name=scope]")].filter((c) => c.checked).map((c) => c.value);
    await this.decide(() => confirmDevice(this.code, scopes), "approved");
  }

  private async onDeny() {
    await this.decide(() => denyDevice(this.code), "denied");
  }

  private async decide(action: () => Promise<void>, outcome: "approved" | "denied") {
    this.busy = true;
    this.error = null;
    try {
      await action();
      this.outcome = outcome;
    } catch (error) {
      this.error = describeFailure(error).message;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-device-page": SkDevicePage;
  }
}
