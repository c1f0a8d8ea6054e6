import { css } from "lit";

export const adminUsersPageStyles = css`
  .filters {
    display: grid;
    grid-template-columns: minmax(0, 2fr) minmax(10rem, 1fr);
    gap: var(--wa-space-m);
    align-items: start;
    margin-bottom: var(--wa-space-m);
  }

  @media (max-width: 36rem) {
    .filters {
      grid-template-columns: 1fr;
    }
  }

  .summary {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: var(--wa-space-s);
    margin-bottom: var(--wa-space-s);
  }

  .name-cell {
    min-width: 10rem;
  }

  .name-cell a {
    font-weight: var(--wa-font-weight-semibold);
  }

  .email-cell {
    overflow-wrap: anywhere;
    min-width: 14rem;
  }

  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-2xs);
  }

  .row-actions {
    display: flex;
    flex-wrap: nowrap;
    gap: var(--wa-space-xs);
  }

  wa-pagination {
    margin-top: var(--wa-space-m);
  }

  .live:empty {
    display: none;
  }
`;
