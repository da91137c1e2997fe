import { css, unsafeCSS } from 'lit';

/**
 * Shared look of every element: colours come from CSS custom properties with light and dark
 * defaults that follow the system, so a host page can theme widgets without touching them.
 */
export const baseStyles = css`
  :host {
    --sp-bg: var(--sp-theme-bg, #ffffff);
    --sp-fg: var(--sp-theme-fg, #1b1f24);
    --sp-muted: var(--sp-theme-muted, #5b6570);
    --sp-border: var(--sp-theme-border, #d5dae0);
    --sp-accent: var(--sp-theme-accent, #2f6fdb);
    --sp-accent-fg: var(--sp-theme-accent-fg, #ffffff);
    --sp-panel: var(--sp-theme-panel, #f5f7fa);
    --sp-error: var(--sp-theme-error, #b42318);
    /* Links: darker than the accent, for 4.5:1 on the panel colour. */
    --sp-link: var(--sp-theme-link, #1f5bc4);
    --sp-radius: 8px;
    color: var(--sp-fg);
    font:
      14px/1.45 system-ui,
      -apple-system,
      'Segoe UI',
      sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --sp-bg: var(--sp-theme-bg, #15181c);
      --sp-fg: var(--sp-theme-fg, #e6e9ee);
      --sp-muted: var(--sp-theme-muted, #9aa4af);
      --sp-border: var(--sp-theme-border, #343a42);
      --sp-accent: var(--sp-theme-accent, #6ea0ff);
      --sp-accent-fg: var(--sp-theme-accent-fg, #0b0d10);
      --sp-panel: var(--sp-theme-panel, #1d2127);
      --sp-error: var(--sp-theme-error, #ff8a80);
      --sp-link: var(--sp-theme-link, #8fb4ff);
    }
  }
  button {
    font: inherit;
    padding: 6px 12px;
    border-radius: var(--sp-radius);
    border: 1px solid var(--sp-border);
    background: var(--sp-panel);
    color: var(--sp-fg);
    cursor: pointer;
  }
  button.primary {
    background: var(--sp-accent);
    color: var(--sp-accent-fg);
    border-color: var(--sp-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--sp-accent);
    outline-offset: 2px;
  }
  a {
    color: var(--sp-link);
  }
  input,
  select {
    font: inherit;
    color: var(--sp-fg);
    background: var(--sp-bg);
    border: 1px solid var(--sp-border);
    border-radius: 6px;
    padding: 4px 6px;
  }
  .muted {
    color: var(--sp-muted);
  }
  .error {
    color: var(--sp-error);
  }
  /* Read by screen readers, not drawn: e.g. the live region that says a run finished. */
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  /* A table wider than its column scrolls inside a labelled, focusable region, not the page. */
  .scroll-region {
    overflow-x: auto;
    max-width: 100%;
  }
`;

/** Label-and-control grid shared by the settings panels (hyperparameters, remedies). */
export const formStyles = css`
  .grid {
    display: grid;
    /* Long labels wrap rather than push the controls out of a narrow panel. */
    grid-template-columns: fit-content(50%) minmax(0, 1fr);
    gap: 6px 12px;
    align-items: center;
  }
  .field {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    min-width: 0;
  }
  /* A drop-down is as wide as its longest option unless told otherwise. */
  .field > select,
  .field > input {
    max-width: 100%;
    min-width: 0;
  }
`;

/**
 * A GAN settings panel (the MNIST lab's, the 2-D lab's): a block host whose labels take at most
 * `labelPercent` of a grid row, number inputs 7em wide, and controls that shrink with a narrow
 * column instead of overflowing it.
 */
export function ganSettingsStyles(labelPercent: number) {
  return css`
    :host {
      display: block;
    }
    .grid {
      display: grid;
      grid-template-columns: fit-content(${unsafeCSS(`${labelPercent}%`)}) minmax(0, 1fr);
      gap: 6px 10px;
      align-items: center;
    }
    input[type='number'] {
      width: 7em;
    }
    input,
    select {
      max-width: 100%;
      min-width: 0;
      justify-self: start;
    }
  `;
}

/**
 * A chart element's frame: a block host and a positioned box for chart.js's responsive canvas,
 * `defaultHeight` tall unless the page sets `--sp-chart-height`.
 */
export function chartStyles(defaultHeight: number) {
  return [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .box {
        position: relative;
        height: var(--sp-chart-height, ${unsafeCSS(`${defaultHeight}px`)});
      }
    `,
  ];
}

/**
 * A file input inside its visible label ("Load model", "Load G and D"): the label wraps and
 * shrinks with its row, so a phone-wide column is never pushed wider by the browser's picker.
 */
export const filePickerStyles = css`
  label.file {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    max-width: 100%;
    min-width: 0;
  }
  label.file input {
    max-width: 100%;
    min-width: 0;
  }
`;

/**
 * A host laid out by its own width: its `@container` rules follow the column it is placed in
 * (a post's 680-px column), not the window.
 */
export const containerStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }
`;

/**
 * The panels of the playground and the GAN lab: one column of framed panels, until the
 * element's own `@container` rules, which come after these, add columns.
 */
export const panelLayoutStyles = css`
  .layout {
    display: grid;
    gap: 16px;
    grid-template-columns: minmax(0, 1fr);
  }
  .panel {
    background: var(--sp-panel);
    border: 1px solid var(--sp-border);
    border-radius: var(--sp-radius);
    padding: 12px 14px;
    min-width: 0;
  }
`;

/**
 * Tables of results (boosting's rounds, stacking's members, cross-validation's folds): numbers
 * right-aligned in tabular figures, the first column's names left-aligned, rows ruled.
 */
export const resultTableStyles = css`
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    margin: 4px 0 10px;
  }
  th,
  td {
    padding: 2px 8px;
    text-align: right;
    border-bottom: 1px solid var(--sp-border);
  }
  th:first-child,
  td:first-child {
    text-align: left;
  }
`;
