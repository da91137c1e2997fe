// The data plot of the training panel with its drawing controls: the decision boundary over the
// session's points and, in draw mode, the reader's drawing over it, taking points.
import { html } from 'lit';
import { DRAWN_BOUNDS } from '../../src/data/drawn.ts';
import type { PlotBounds } from '../../src/train/boundary.ts';
import '../charts/sp-decision-boundary.ts';
import type { DrawController, DrawTool } from './draw-controller.ts';
import type { EngineController } from './engine-controller.ts';
import './sp-draw-surface.ts';
import type { DrawPointDetail } from './sp-draw-surface.ts';
import './sp-draw-toolbar.ts';

/** The plot's points in draw mode: none (the drawing is drawn over it), on the drawing plane. */
const NO_POINTS = { features: new Float32Array(0), labels: new Uint32Array(0), split: new Uint8Array(0), bounds: { ...DRAWN_BOUNDS } };

const onPlane = (b: PlotBounds): boolean =>
  b.xMin === DRAWN_BOUNDS.xMin && b.xMax === DRAWN_BOUNDS.xMax && b.yMin === DRAWN_BOUNDS.yMin && b.yMax === DRAWN_BOUNDS.yMax;

/**
 * The data plot and its draw toolbar, for 2-D data or while drawing (which may start from any
 * data set, through the data picker); null otherwise. In draw mode the model's boundary stays
 * under the drawing only when it covers the same plane (the session is a drawing).
 */
export function dataPlot(engine: EngineController, draw: DrawController) {
  const info = engine.info;
  const points = info?.points ?? null;
  if (!draw.active && !points) return null;
  const toolbar = html`<sp-draw-toolbar
    .active=${draw.active}
    .task=${draw.task}
    .tool=${draw.tool}
    .drawClass=${draw.drawClass}
    .value=${draw.value}
    .points=${draw.points}
    .canUndo=${draw.canUndo}
    .canUseData=${draw.canUseData}
    .message=${draw.message}
    @sp-draw-toggle=${() => draw.toggle()}
    @sp-draw-tool=${(e: CustomEvent<{ tool: DrawTool }>) => draw.set({ tool: e.detail.tool })}
    @sp-draw-class=${(e: CustomEvent<{ drawClass: number }>) => draw.set({ drawClass: e.detail.drawClass, tool: 'add' })}
    @sp-draw-value=${(e: CustomEvent<{ value: number }>) => draw.set({ value: e.detail.value, tool: 'add' })}
    @sp-draw-undo=${() => draw.undo()}
    @sp-draw-clear=${() => draw.clear()}
    @sp-draw-from-data=${() => draw.fromData()}
  ></sp-draw-toolbar>`;
  const regression = info?.regression ?? null;
  if (!draw.active)
    return html`${toolbar}<sp-decision-boundary
        .grid=${engine.boundary}
        .points=${points}
        .classNames=${info!.classNames}
        .valueRange=${regression?.range ?? null}
        caption=${regression ? 'Predicted value' : 'Decision boundary'}
      ></sp-decision-boundary>`;
  const under = points && onPlane(points.bounds);
  return html`${toolbar}
    <sp-decision-boundary
      compact
      caption="The plot under your drawing"
      .grid=${under ? engine.boundary : null}
      .points=${NO_POINTS}
      .classNames=${under ? info!.classNames : []}
      .valueRange=${under ? (regression?.range ?? null) : null}
    >
      <sp-draw-surface
        slot="overlay"
        .points=${draw.points}
        .task=${draw.task}
        .tool=${draw.tool}
        @sp-draw-begin=${() => draw.begin()}
        @sp-draw-add=${(e: CustomEvent<DrawPointDetail>) => draw.add(e.detail.x1, e.detail.x2)}
        @sp-draw-remove=${(e: CustomEvent<DrawPointDetail>) => draw.remove(e.detail.x1, e.detail.x2)}
      ></sp-draw-surface>
    </sp-decision-boundary>`;
}
