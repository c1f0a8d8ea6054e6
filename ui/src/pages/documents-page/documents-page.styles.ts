import { css } from "lit";

export const documentsPageStyles = css`
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(14rem, 20rem);
    gap: var(--wa-space-xl);
    align-items: start;
  }
  @media (max-width: 56rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  form[role="search"] {
    margin-bottom: var(--wa-space-m);
  }
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 10rem), 1fr));
    gap: var(--wa-space-m);
    align-items: end;
    margin-bottom: var(--wa-space-m);
  }
  .summary {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--wa-space-s);
    margin-bottom: var(--wa-space-s);
  }
  .summary p {
    margin: 0;
  }
  .bulk {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--wa-space-s);
    padding: var(--wa-space-s) var(--wa-space-m);
    margin-bottom: var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-brand-border-quiet);
    background: var(--wa-color-brand-fill-quiet);
    border-radius: var(--wa-border-radius-l);
  }
  .bulk p {
    margin: 0;
    flex-basis: 100%;
    font-weight: var(--wa-font-weight-semibold);
  }
  .bulk wa-select {
    flex: 1 1 12rem;
  }
  ul.documents {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--wa-space-s);
  }
  li.document {
    display: flex;
    gap: var(--wa-space-s);
    align-items: flex-start;
    padding: var(--wa-space-m);
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-l);
  }
  li.document.selected {
    border-color: var(--wa-color-brand-border-loud);
  }
  .doc-main {
    flex: 1;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: var(--wa-space-2xs);
  }
  .doc-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-2xs) var(--wa-space-s);
  }
  .doc-name {
    font-weight: var(--wa-font-weight-semibold);
    overflow-wrap: anywhere;
    margin: 0;
    font-size: var(--wa-font-size-m);
  }
  .doc-meta,
  .doc-type {
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    margin: 0;
  }
  .doc-summary,
  .snippet {
    margin: 0;
    font-size: var(--wa-font-size-s);
    overflow-wrap: anywhere;
  }
  .snippet mark {
    background: var(--wa-color-warning-fill-quiet);
    color: inherit;
    font-weight: var(--wa-font-weight-semibold);
  }
  .failure {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-2xs) var(--wa-space-s);
    color: var(--wa-color-danger-on-quiet);
    font-size: var(--wa-font-size-s);
    margin: 0;
  }
  .doc-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-3xs);
    justify-content: flex-end;
  }
  @media (max-width: 30rem) {
    li.document {
      flex-wrap: wrap;
      padding: var(--wa-space-s);
    }
    .doc-actions {
      flex-basis: 100%;
    }
  }
  wa-tag wa-spinner {
    font-size: 0.8em;
    margin-inline-end: var(--wa-space-2xs);
  }
  wa-pagination {
    margin-top: var(--wa-space-m);
  }
  .empty {
    text-align: center;
  }
  .review-link {
    margin-bottom: var(--wa-space-l);
  }
`;
