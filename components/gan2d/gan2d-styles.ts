// The 2-D GAN lab's own styles, after the MNIST lab's (ganStyles) it shares the layout with.
import { css } from 'lit';

/** The legend under the plane, and the figures' list fitted to a 360-px column. */
export const gan2dStyles = css`
  .legend {
    font-size: 12px;
    margin: 6px 0;
  }
  /* The figures' labels are long: in a 360-px column they wrap rather than push the values out. */
  dl {
    grid-template-columns: fit-content(55%) minmax(0, 1fr);
  }
  dt,
  dd {
    overflow-wrap: anywhere;
  }
`;
