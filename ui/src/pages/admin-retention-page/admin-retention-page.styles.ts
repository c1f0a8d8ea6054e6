import { css } from "lit";

export const adminRetentionPageStyles = css`
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--wa-space-xs) var(--wa-space-l);
    margin: 0 0 var(--wa-space-l);
  }

  dt {
    font-weight: var(--wa-font-weight-semibold);
  }

  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  @media (max-width: 30rem) {
    dl {
      grid-template-columns: 1fr;
    }
    dd + dt {
      margin-top: var(--wa-space-s);
    }
  }

  td.number,
  th.number {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }

  ul.errors {
    overflow-wrap: anywhere;
  }
`;
