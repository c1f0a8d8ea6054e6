import { css } from "lit";

export const userMenuStyles = css`
  :host {
    display: inline-block;
  }

  wa-button::part(base) {
    color: var(--sk-user-menu-color, inherit);
  }

  /* On the dark header the theme's light hover background would hide the white text. */
  wa-button::part(base):hover,
  wa-button::part(base):active {
    color: var(--sk-user-menu-color, inherit);
    background: var(--sk-user-menu-hover-background, var(--wa-color-neutral-fill-quiet));
  }

  .name {
    max-width: 12rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }

  /* On the narrowest phones the icon alone identifies the menu; the name stays for screen readers. */
  @media (max-width: 30rem) {
    wa-button::part(base) {
      padding-inline: var(--wa-space-xs);
    }
    .name {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  }
`;
