import { html, nothing } from "lit";

export type NoticeKind = "success" | "danger" | "warning" | "info";

const ICONS: Record<NoticeKind, string> = {
  success: "circle-check",
  danger: "circle-exclamation",
  warning: "triangle-exclamation",
  info: "circle-info",
};

/**
 * A message above a form or list, as a Web Awesome callout. Errors are announced at once
 * (role=alert); other kinds politely (role=status). Renders nothing for an empty text.
 */
export function notice(kind: NoticeKind, text: string | null | undefined, extra: unknown = nothing) {
  if (!text) return nothing;
  return html`
    <div role=${kind === "danger" ? "alert" : "status"}>
      <wa-callout variant=${kind === "info" ? "brand" : kind}>
        <wa-icon slot="icon" name=${ICONS[kind]}></wa-icon>
        ${text} ${extra}
      </wa-callout>
    </div>
  `;
}
