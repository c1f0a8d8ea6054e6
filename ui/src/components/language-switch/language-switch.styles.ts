import { css } from "lit";

export const languageSwitchStyles = css`
  :host {
    display: inline-block;
  }

  wa-button::part(base) {
    color: var(--sk-language-switch-color, inherit);
  }

  /* On the dark header the theme's light hover background would hide the white text. */
  wa-button::part(base):hover,
  wa-button::part(base):active {
    color: var(--sk-language-switch-color, inherit);
    background: var(--sk-language-switch-hover-background, var(--wa-color-neutral-fill-quiet));
  }

  /* The language's name alone says what the button does; the globe only decorates. */
  @media (max-width: 30rem) {
    wa-icon {
      display: none;
    }
    wa-button::part(base) {
      padding-inline: var(--wa-space-xs);
    }
  }
`;
