import { css } from "lit";

export const toolPageStyles = css`
  .title {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--wa-space-s);
  }
  .title h1 {
    margin-bottom: var(--wa-space-s);
  }
  .summary {
    font-size: var(--wa-font-size-l);
    color: var(--wa-color-text-quiet);
    margin-bottom: var(--wa-space-l);
  }
  wa-details,
  sk-settings-panel {
    margin-bottom: var(--wa-space-l);
  }
  .instructions::part(content) {
    padding-top: 0;
  }
  .progress {
    margin-bottom: var(--wa-space-l);
  }
  .result-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--wa-space-s);
    margin-bottom: var(--wa-space-m);
  }
  .result-head h2 {
    margin: 0;
  }
  .result-head h2:focus {
    outline: none;
  }
  .result-head h2:focus-visible {
    outline: var(--wa-focus-ring);
    outline-offset: var(--wa-focus-ring-offset);
  }
  .session-files {
    margin-block: var(--wa-space-s) var(--wa-space-m);
  }
  .session-files p {
    margin: 0 0 var(--wa-space-xs);
  }
  .session-files-buttons {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-xs);
    margin-bottom: var(--wa-space-xs);
  }
  .history a {
    display: inline-flex;
    align-items: center;
    gap: var(--wa-space-xs);
  }
`;
