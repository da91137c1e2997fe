// The shader explorer's element styles, kept beside sp-shader-explorer.ts so that file holds its behaviour and templates.
import { css } from 'lit';

/**
 * What the explorer's parts share (the explorer itself, its no-GPU view, the read-only sources
 * and the reference checks): sections and their headings, the family tabs, status lines and
 * the colour of "matches".
 */
export const explorerPartStyles = css`
  section {
    margin: 0 0 20px;
  }
  h2 {
    font-size: 16px;
    margin: 0 0 8px;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-bottom: 8px;
  }
  .tabs button[aria-pressed='true'] {
    border-color: var(--sp-accent);
    box-shadow: inset 0 -2px 0 var(--sp-accent);
  }
  .status {
    font-size: 13px;
    margin: 4px 0;
  }
  .ok {
    color: var(--sp-ok, #1a7f37);
  }
  @media (prefers-color-scheme: dark) {
    .ok {
      color: var(--sp-ok, #57d17a);
    }
  }
`;

/**
 * The shader explorer's own look: the kernel list above, the source beside the kernel times (one
 * column under 900 px of its own width), the session bar and the banner of an edit that came in
 * a link.
 */
export const explorerStyles = css`
  .cols {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr);
    gap: 20px;
  }
  .cols > section {
    min-width: 0;
  }
  @container (max-width: 900px) {
    .cols {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    margin: 8px 0;
  }
  .session {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 14px;
    align-items: center;
    margin: 0 0 16px;
  }
  .session strong {
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  .banner {
    border: 1px solid var(--sp-accent);
    border-radius: var(--sp-radius);
    padding: 8px 12px;
    margin-bottom: 12px;
    background: var(--sp-panel);
  }
`;
