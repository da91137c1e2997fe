import { css } from 'lit';

/**
 * Layout of the playground by its own width (container queries: a post's 680-px column lays it
 * out like a tablet, whatever the window): one column, two from 760 px, three from 1,280 px.
 * `layout="compact"` keeps one column at every width. Comes after containerStyles and
 * panelLayoutStyles, whose one-column grid it widens.
 */
export const playgroundStyles = css`
  /*
   * The training panel comes first in the document (and so in focus order): on a phone it is on
   * top; on wider screens the grid puts the setup column to its left.
   */
  @container (min-width: 760px) {
    .layout {
      grid-template-columns: minmax(280px, 340px) minmax(0, 1fr);
    }
    .setup {
      grid-column: 1;
      grid-row: 1;
    }
    .train {
      grid-column: 2;
      grid-row: 1;
    }
    .metrics {
      grid-column: 1 / -1;
    }
    .layout.no-setup {
      grid-template-columns: minmax(0, 1fr);
    }
    .no-setup .train {
      grid-column: 1;
    }
  }
  @container (min-width: 1280px) {
    .layout {
      grid-template-columns: minmax(280px, 340px) minmax(0, 1fr) minmax(320px, 420px);
    }
    .metrics {
      grid-column: 3;
      grid-row: 1;
    }
    .layout.no-setup {
      grid-template-columns: minmax(0, 1fr) minmax(320px, 420px);
    }
    .no-setup .metrics {
      grid-column: 2;
    }
  }
  :host([layout='compact']) .layout {
    grid-template-columns: minmax(0, 1fr);
  }
  :host([layout='compact']) .layout > * {
    grid-column: 1 / -1;
    grid-row: auto;
  }
  .panel.sweep {
    grid-column: 1 / -1;
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
