import { css } from "lit";

export const sandboxPanelStyles = css`
  :host {
    display: block;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: var(--wa-space-m);
    margin-block: var(--wa-space-m);
  }
  sk-settings-panel,
  .progress {
    display: block;
    margin-bottom: var(--wa-space-m);
  }
  .quiet {
    color: var(--wa-color-text-quiet);
    margin: 0;
  }
  .result {
    border-top: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    padding-top: var(--wa-space-m);
    display: flex;
    flex-direction: column;
    gap: var(--wa-space-m);
  }
  h3 {
    font-size: var(--wa-font-size-m);
    margin: 0;
  }
  h3:focus {
    outline: none;
  }
  h3:focus-visible {
    outline: var(--wa-focus-ring);
    outline-offset: var(--wa-focus-ring-offset);
  }
  h4 {
    font-size: var(--wa-font-size-s);
    margin: 0;
  }
  .timing {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    font-variant-numeric: tabular-nums;
  }
  pre.stream {
    margin: 0;
    max-height: 20rem;
    overflow: auto;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font-family: var(--wa-font-family-code);
    font-size: var(--wa-font-size-s);
    background: var(--wa-color-surface-lowered);
    padding: var(--wa-space-s);
    border-radius: var(--wa-border-radius-m);
  }
  pre.stream:focus-visible {
    outline: var(--wa-focus-ring);
  }
`;
