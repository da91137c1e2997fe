import { css } from 'lit';
import { resultTableStyles } from '../shared/styles.ts';

/** The styles boosting's and stacking's elements share: rows of fields, actions, result tables, boundary tiles. */
export const ensembleStyles = css`
  :host {
    display: block;
  }
  .row,
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    margin: 6px 0;
  }
  .field {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 6px;
  }
  input[type='number'] {
    width: 5em;
  }
  input.layers {
    width: 6em;
  }
  select {
    max-width: 100%;
  }
  .scroll-region {
    overflow-x: auto;
    max-width: 100%;
  }
  ${resultTableStyles}
  tr.chosen {
    background: var(--sp-panel);
  }
  .boundaries {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(130px, 1fr));
    gap: 8px;
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-size: 12px;
    text-align: center;
  }
  progress {
    width: min(220px, 100%);
  }
`;
