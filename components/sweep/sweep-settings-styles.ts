import { css } from 'lit';

/** The sweep settings form's own layout, beside the shared form styles. */
export const sweepSettingsStyles = css`
  :host {
    display: block;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  input[type='number'] {
    width: 7em;
  }
  input.list {
    width: 12em;
  }
  .error {
    flex-basis: 100%;
    margin: 0;
    font-size: 0.9em;
  }
  .count {
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  h3 {
    font-size: 14px;
    margin: 12px 0 6px;
  }
`;
