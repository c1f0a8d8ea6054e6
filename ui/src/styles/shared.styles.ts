import { css } from "lit";

/**
 * Layout and typography shared by every page. Pages render inside shadow roots, so the document's
 * styles do not reach them; Web Awesome's design tokens (custom properties) do.
 */
export const pageStyles = css`
  :host {
    display: block;
  }

  .page {
    max-width: var(--sk-page-width);
    margin: 0 auto;
    padding: var(--wa-space-xl) var(--wa-space-m) var(--wa-space-3xl);
  }

  .page.wide {
    max-width: var(--sk-page-width-wide);
  }

  h1 {
    font-size: var(--wa-font-size-2xl);
    line-height: var(--wa-line-height-condensed);
    margin: 0 0 var(--wa-space-l);
    overflow-wrap: anywhere;
  }

  h2 {
    font-size: var(--wa-font-size-l);
    margin: 0 0 var(--wa-space-m);
  }

  /* Phones: long Swedish compounds (tool names) fit on a line more often. */
  @media (max-width: 30rem) {
    h1 {
      font-size: var(--wa-font-size-xl);
    }
  }

  /* The h1 receives focus after a route change (tabindex=-1); a ring there only distracts mouse users. */
  h1:focus {
    outline: none;
  }
  h1:focus-visible {
    outline: var(--wa-focus-ring);
    outline-offset: var(--wa-focus-ring-offset);
  }

  p {
    margin: 0 0 var(--wa-space-m);
  }

  a {
    color: var(--wa-color-text-link);
    text-underline-offset: 0.15em;
  }
  a:focus-visible {
    outline: var(--wa-focus-ring);
    outline-offset: var(--wa-focus-ring-offset);
    border-radius: var(--wa-border-radius-s);
  }

  .card {
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-l);
    padding: var(--wa-space-l);
    margin-bottom: var(--wa-space-l);
  }

  form {
    display: flex;
    flex-direction: column;
    gap: var(--wa-space-m);
  }

  .row {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    gap: var(--wa-space-m);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-s) var(--wa-space-m);
  }

  .spaced {
    margin-top: var(--wa-space-s);
  }

  .links {
    display: flex;
    flex-direction: column;
    gap: var(--wa-space-xs);
    margin-top: var(--wa-space-l);
  }

  wa-callout {
    margin-bottom: var(--wa-space-m);
  }

  /* A server-side field error is shown in the control's hint, in the danger colour. */
  [data-invalid]::part(hint) {
    color: var(--wa-color-danger-on-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  [data-invalid]::part(input-wrapper),
  [data-invalid]::part(combobox) {
    border-color: var(--wa-color-danger-border-loud);
  }

  .quiet {
    color: var(--wa-color-text-quiet);
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .center {
    display: flex;
    justify-content: center;
    padding: var(--wa-space-2xl) 0;
  }
`;

/** Data tables (admin pages): scroll sideways inside their own region on narrow screens. */
export const tableStyles = css`
  .table-scroll {
    /* Positioned, so visually hidden labels inside are clipped here and cannot widen the page. */
    position: relative;
    overflow-x: auto;
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-l);
    background: var(--wa-color-surface-default);
  }
  .table-scroll:focus-visible {
    outline: var(--wa-focus-ring);
    outline-offset: var(--wa-focus-ring-offset);
  }

  table {
    width: 100%;
    /* Narrow screens scroll the table sideways instead of squeezing columns to a word each. */
    min-width: 40rem;
    border-collapse: collapse;
    font-size: var(--wa-font-size-s);
  }

  caption {
    text-align: start;
    padding: var(--wa-space-s) var(--wa-space-m);
    font-weight: var(--wa-font-weight-semibold);
  }

  th,
  td {
    text-align: start;
    vertical-align: middle;
    padding: var(--wa-space-s) var(--wa-space-m);
    border-top: var(--wa-border-width-s) solid var(--wa-color-surface-border);
  }

  th {
    background: var(--wa-color-surface-lowered);
    font-weight: var(--wa-font-weight-semibold);
    white-space: nowrap;
  }
`;
