import { css } from "lit";

export const appShellStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 100vh;
    color: var(--wa-color-text-normal);
  }

  .skip-link {
    position: absolute;
    left: var(--wa-space-s);
    top: -100px;
    z-index: 100;
    padding: var(--wa-space-s) var(--wa-space-m);
    background: var(--wa-color-surface-default);
    color: var(--wa-color-text-link);
    border-radius: var(--wa-border-radius-m);
    box-shadow: var(--wa-shadow-m);
  }
  .skip-link:focus {
    top: var(--wa-space-s);
    outline: var(--wa-focus-ring);
  }

  header {
    background: var(--sk-header-bg);
    color: var(--sk-header-fg);
    --sk-language-switch-color: var(--sk-header-fg);
    --sk-user-menu-color: var(--sk-header-fg);
    --sk-language-switch-hover-background: rgb(255 255 255 / 0.16);
    --sk-user-menu-hover-background: rgb(255 255 255 / 0.16);
  }

  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-xs) var(--wa-space-l);
    max-width: var(--sk-page-width-wide);
    margin: 0 auto;
    padding: var(--wa-space-s) var(--wa-space-m);
  }

  .brand {
    display: inline-flex;
    align-items: center;
    gap: var(--wa-space-xs);
    color: inherit;
    font-size: var(--wa-font-size-l);
    font-weight: var(--wa-font-weight-bold);
    text-decoration: none;
    margin-right: auto;
  }

  a:focus-visible {
    outline: var(--wa-focus-ring-width, 3px) solid currentColor;
    outline-offset: 2px;
    border-radius: var(--wa-border-radius-s);
  }

  .tools {
    display: flex;
    align-items: center;
    gap: var(--wa-space-2xs);
  }

  /* Narrow screens: brand and tools on the first line, the menu on its own line below. */
  nav {
    flex-basis: 100%;
    order: 1;
  }

  nav ul {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-2xs) var(--wa-space-m);
    list-style: none;
    margin: 0;
    padding: 0;
  }

  nav a {
    display: inline-flex;
    align-items: center;
    gap: var(--wa-space-2xs);
    color: inherit;
    text-decoration: none;
    padding: var(--wa-space-2xs) 0;
    border-bottom: 3px solid transparent;
  }

  nav a:hover {
    border-bottom-color: color-mix(in oklab, currentColor 50%, transparent);
  }

  nav a[aria-current="page"] {
    border-bottom-color: currentColor;
    font-weight: var(--wa-font-weight-semibold);
  }

  /* The narrowest phones (320 px): brand and tools still share the first line. */
  @media (max-width: 30rem) {
    .bar {
      column-gap: var(--wa-space-xs);
      padding-inline: var(--wa-space-s);
    }
    .brand {
      font-size: var(--wa-font-size-m);
    }
  }

  /* Wide screens: brand, menu and tools on one line. */
  @media (min-width: 48rem) {
    nav {
      flex-basis: auto;
      order: 0;
    }
    .brand {
      margin-right: 0;
    }
    .tools {
      margin-left: auto;
    }
  }

  main {
    flex: 1;
    outline: none;
  }

  footer {
    border-top: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    background: var(--wa-color-surface-default);
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
  }

  footer p {
    max-width: var(--sk-page-width-wide);
    margin: 0 auto;
    padding: var(--wa-space-m);
  }

  .status {
    max-width: var(--sk-page-width);
    margin: var(--wa-space-m) auto 0;
    padding: 0 var(--wa-space-m);
  }

  .boot {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--wa-space-m);
    min-height: 60vh;
    padding: var(--wa-space-l);
    text-align: center;
  }

  .boot wa-spinner {
    font-size: 2.5rem;
  }
`;
