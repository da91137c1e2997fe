import { css } from 'lit';

/** Layout of the playground: one column on phones, two on tablets, three on wide screens. */
export const playgroundStyles = css`
  :host {
    display: block;
  }
  .layout {
    display: grid;
    gap: 16px;
    grid-template-columns: minmax(0, 1fr);
  }
  /* On a phone the controls and charts come first; setup follows below them. */
  .train {
    order: -1;
  }
  @media (min-width: 760px) {
    .layout {
      grid-template-columns: minmax(280px, 340px) minmax(0, 1fr);
    }
    .train {
      order: 0;
    }
    .metrics {
      grid-column: 1 / -1;
    }
  }
  @media (min-width: 1280px) {
    .layout {
      grid-template-columns: minmax(280px, 340px) minmax(0, 1fr) minmax(320px, 420px);
    }
    .metrics {
      grid-column: auto;
    }
  }
  .layout.no-setup {
    grid-template-columns: minmax(0, 1fr);
  }
  @media (min-width: 1280px) {
    .layout.no-setup {
      grid-template-columns: minmax(0, 1fr) minmax(320px, 420px);
    }
  }
  .panel {
    background: var(--sp-panel);
    border: 1px solid var(--sp-border);
    border-radius: var(--sp-radius);
    padding: 12px 14px;
    min-width: 0;
  }
  h2 {
    font-size: 13px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--sp-muted);
    margin: 12px 0 8px;
  }
  h2:first-child {
    margin-top: 0;
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
    gap: 12px;
    margin-bottom: 12px;
  }
  .train > * + * {
    margin-top: 12px;
  }
  .notice {
    border: 1px solid var(--sp-accent);
    border-radius: var(--sp-radius);
    padding: 8px 12px;
    margin-bottom: 12px;
  }
  .notice p {
    margin: 0 0 4px;
  }
`;
