import { css } from "lit";

export const resetPasswordDialogStyles = css`
  p {
    margin: 0 0 var(--wa-space-m);
  }

  .password {
    display: flex;
    align-items: end;
    gap: var(--wa-space-xs);
  }

  .password wa-input {
    flex: 1;
    min-width: 0;
  }

  .password wa-input::part(input) {
    font-family: var(--wa-font-family-code);
  }

  wa-dialog::part(footer) {
    flex-wrap: wrap;
    gap: var(--wa-space-s);
  }
`;
