import { css } from "lit";

export const toolEditorPageStyles = css`
  /* Long Swedish button texts wrap instead of widening a 320 px screen. */
  wa-button {
    max-width: 100%;
  }
  wa-button::part(button) {
    height: auto;
    min-height: var(--wa-form-control-height);
    white-space: normal;
  }
  wa-button::part(label) {
    white-space: normal;
  }
  .head h1 {
    margin-bottom: var(--wa-space-2xs);
  }
  .state {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-xs);
    color: var(--wa-color-text-quiet);
    margin-bottom: var(--wa-space-xs);
  }
  .links {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-xs) var(--wa-space-l);
    margin-bottom: var(--wa-space-m);
  }
  sk-lock-banner,
  .proposal {
    margin-bottom: var(--wa-space-m);
  }
  wa-tab-group {
    margin-bottom: var(--wa-space-m);
  }
  wa-tab-group::part(nav) {
    overflow-x: auto;
  }
  .entry {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: var(--wa-space-s);
    margin-bottom: var(--wa-space-s);
  }
  .entry wa-select {
    flex: 0 1 18rem;
    min-width: 0;
  }
  .help {
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    margin: var(--wa-space-xs) 0;
  }
  .problems {
    margin: var(--wa-space-s) 0 0;
    padding-inline-start: var(--wa-space-l);
    color: var(--wa-color-danger-on-quiet);
    overflow-wrap: anywhere;
  }
  .problems code {
    font-family: var(--wa-font-family-code);
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-xs);
    margin-top: var(--wa-space-xs);
  }
  .savebar {
    display: flex;
    flex-direction: column;
    gap: var(--wa-space-m);
  }
  .save-row {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: var(--wa-space-s);
  }
  .save-row wa-input {
    flex: 1 1 14rem;
    min-width: 0;
  }
  .center {
    display: flex;
    justify-content: center;
    padding: var(--wa-space-xl);
  }
`;
