// The GAN lab's element styles, kept beside sp-gan.ts so that file holds its behaviour and template.
import { css } from 'lit';

/**
 * The GAN lab's own look, after containerStyles and panelLayoutStyles: the controls panel beside
 * the samples from 900 px of its own width, the button bars, the status list, the section heads
 * and the timeline slider.
 */
export const ganStyles = css`
  @container (min-width: 900px) {
    .layout {
      grid-template-columns: minmax(280px, 420px) minmax(0, 1fr);
    }
  }
  .bar {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    align-items: center;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 4px 12px;
    margin: 10px 0;
  }
  dt {
    color: var(--sp-muted);
  }
  dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  h2 {
    font-size: 13px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--sp-muted);
    margin: 12px 0 6px;
  }
  input[type='range'] {
    display: block;
    box-sizing: border-box;
    width: 100%;
    margin: 4px 0;
  }
`;
