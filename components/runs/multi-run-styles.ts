import { css } from 'lit';
import { resultTableStyles } from '../shared/styles.ts';

/** The styles of <sp-multi-run>: its rows of controls, result tables, the race chart and the boundary thumbnails. */
export const multiRunStyles = css`
  :host {
    display: block;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    margin: 6px 0;
  }
  input[type='number'] {
    width: 4.5em;
  }
  select {
    max-width: 100%;
  }
  ${resultTableStyles}
  svg {
    width: 100%;
    height: 140px;
  }
  polyline {
    fill: none;
    stroke-width: 1.5;
  }
  .legend span {
    margin-right: 12px;
  }
  .boundaries {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(110px, 1fr));
    gap: 8px;
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-size: 12px;
    text-align: center;
  }
`;
