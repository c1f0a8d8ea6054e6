import { css } from "lit";

export const adminUserPageStyles = css`
  .back {
    display: inline-flex;
    align-items: center;
    gap: var(--wa-space-2xs);
    margin-bottom: var(--wa-space-m);
  }

  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
    gap: 0 var(--wa-space-l);
  }

  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--wa-space-xs) var(--wa-space-l);
    margin: 0;
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

  .action-list {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--wa-space-m);
  }

  .ua {
    max-width: 28rem;
    overflow-wrap: anywhere;
  }

  td.nowrap {
    white-space: nowrap;
  }

  wa-pagination {
    margin-top: var(--wa-space-m);
  }

  .live:empty {
    display: none;
  }
`;
