import { css } from 'lit';

/** The network diagram's layout: the drawing, the neuron-map tiles over its nodes, the legend and the weight editor's button. */
export const diagramStyles = css`
  :host {
    display: block;
  }
  .stage {
    position: relative;
  }
  canvas.net {
    display: block;
    width: 100%;
    height: var(--sp-diagram-height, 280px);
  }
  button.tile {
    position: absolute;
    padding: 0;
    border: 1px solid var(--sp-fg);
    border-radius: 2px;
    background: var(--sp-bg);
    cursor: pointer;
  }
  button.edit {
    margin-top: 6px;
  }
  button.tile canvas {
    display: block;
    width: 100%;
    height: 100%;
    image-rendering: pixelated;
  }
  .legend {
    display: flex;
    gap: 16px;
    font-size: 0.9em;
    margin-top: 4px;
  }
  .swatch {
    display: inline-block;
    width: 18px;
    height: 4px;
    border-radius: 2px;
    vertical-align: middle;
    margin-right: 6px;
  }
`;
