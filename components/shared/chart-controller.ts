// The lifecycle of a chart element's chart.js instance: made once the canvas exists, destroyed
// with the element's disconnect, redrawn once per data change. The chart elements share it so
// that a moved or re-added chart behaves the same in each of them.
import type { ReactiveController, ReactiveElement } from 'lit';
import { cancelRedraw, redrawSoon } from './palette.ts';

/** What the controller needs of a chart.js instance, whatever its type and data. */
export interface ChartLike {
  update(mode: 'none'): void;
  destroy(): void;
}

/** How a chart element makes its chart. */
export interface ChartSetup<C extends ChartLike> {
  /**
   * Builds the chart on the element's canvas, fills it from the element's properties and draws
   * it (animation off: every chart here redraws on data, not on a timer).
   */
  create(canvas: HTMLCanvasElement): C;
}

/**
 * Owns one chart.js instance for a Lit element whose template renders a `<canvas>`: creates it
 * after the first update, destroys it (and drops its pending redraw) on disconnect, and builds
 * it again on reconnect, since the first update that made it does not come again. The element
 * fills the chart through `update`.
 */
export class ChartController<C extends ChartLike> implements ReactiveController {
  private instance: C | null = null;

  constructor(
    private readonly host: ReactiveElement,
    private readonly setup: ChartSetup<C>,
  ) {
    host.addController(this);
  }

  /** The chart, or null before the first update and after a disconnect. */
  get current(): C | null {
    return this.instance;
  }

  hostConnected(): void {
    if (this.host.hasUpdated && !this.instance) void this.host.updateComplete.then(() => this.create());
  }

  hostUpdated(): void {
    // Runs before the host's firstUpdated: hasUpdated is still false during the first update,
    // the one that rendered the canvas.
    if (!this.host.hasUpdated) this.create();
  }

  hostDisconnected(): void {
    if (this.instance) cancelRedraw(this.instance);
    this.instance?.destroy();
    this.instance = null;
  }

  /**
   * Applies `fill` to the chart, if there is one, and redraws it: 'soon' in a task of its own
   * (data that changes many times a second, see redrawSoon), 'now' within this update.
   */
  update(fill: (chart: C) => void, when: 'soon' | 'now' = 'soon'): void {
    const chart = this.instance;
    if (!chart) return;
    fill(chart);
    if (when === 'soon') redrawSoon(chart);
    else chart.update('none');
  }

  private create(): void {
    const canvas = this.host.renderRoot.querySelector('canvas');
    if (!canvas || this.instance) return;
    this.instance = this.setup.create(canvas);
  }
}
