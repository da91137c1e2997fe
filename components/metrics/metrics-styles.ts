import { css } from 'lit';

/** What both metrics panels (classification and regression) share: the heading, the bar of figures and controls, a figure. */
export const metricsStyles = css`
  :host {
    display: block;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 20px;
    align-items: center;
    margin-bottom: 10px;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 1em;
  }
  .figure {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
`;
