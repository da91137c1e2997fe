import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { SweepConfig } from '../../src/config/sweep.ts';
import type { SweepResult } from '../../src/train/sweep.ts';
import { emit } from '../shared/events.ts';
import { themeColors } from '../shared/palette.ts';
import { baseStyles } from '../shared/styles.ts';
import { axisXs, brushedRows, metricColor, nearestAxis, normalBrush, parallelAxes, stepBound, type Brushes, type ParallelAxis } from './parallel-geometry.ts';
import { drawParallel, HEIGHT, isPruned, tOf, yOf } from './parallel-draw.ts';
import { metricName } from './sweep-format.ts';

/** A press that moves less than this is a click: it clears the axis's brush. */
const CLICK_PX = 3;
const KEY_STEPS: Record<string, number> = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 5, PageDown: -5, Home: -1e6, End: 1e6 };

/**
 * Parallel coordinates of every configuration of a sweep: one axis per varied hyperparameter
 * (log, linear, or categories evenly spaced; see parallel-geometry.ts) and the validation metric
 * last, one line per model coloured by its metric (orange worst to blue best; faint when there
 * are many, so 256 stay readable), drawn on a canvas. Dragging along an axis brushes it; the
 * lines in every brush keep their colour, the others turn grey, and `sp-sweep-brush` tells the
 * results which rows to show. Each axis has two keyboard handles (role slider: the brush's upper
 * and lower bound, arrow keys step through the axis's values, Escape clears). Successive halving's
 * pruned configurations are drawn dashed at their last rung's score. Properties in; one event out.
 */
@customElement('sp-sweep-parallel')
export class SpSweepParallel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .box {
        position: relative;
        height: ${HEIGHT}px;
        max-width: 100%;
      }
      canvas {
        display: block;
        width: 100%;
        height: 100%;
        touch-action: pinch-zoom;
        cursor: ns-resize;
      }
      .handle {
        position: absolute;
        width: 10px;
        height: 6px;
        box-sizing: border-box;
        border: 1px solid var(--sp-fg);
        border-radius: 3px;
        background: var(--sp-panel);
        pointer-events: none;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: center;
        font-size: 13px;
      }
      .scale {
        display: inline-block;
        width: 80px;
        height: 10px;
        border-radius: 2px;
        vertical-align: middle;
      }
    `,
  ];

  @property({ attribute: false }) result: SweepResult | null = null;
  /** The sweep that produced `result`, for its ranges (log or linear, the axes' ends); optional. */
  @property({ attribute: false }) sweep: SweepConfig | null = null;

  @state() private brushes: Brushes = {};
  @state() private width = 0;
  @query('canvas') private canvas?: HTMLCanvasElement;
  @query('.box') private box?: HTMLElement;
  private axes: ParallelAxis[] = [];
  private drag: { axis: number; y0: number } | null = null;
  private resize: ResizeObserver | null = null;
  private observed: HTMLElement | null = null;
  private readonly scheme = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheme?.addEventListener('change', this.onScheme);
    if (this.hasUpdated) this.observe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.scheme?.removeEventListener('change', this.onScheme);
    this.resize?.disconnect();
    this.resize = null;
    this.observed = null;
  }

  /** Watches the box's width; the box comes and goes with a drawable result, so a new one is watched anew. */
  private observe(): void {
    const box = this.box ?? null;
    if (box === this.observed && this.resize) return;
    this.resize?.disconnect();
    this.resize = null;
    this.observed = box;
    if (!box) return;
    this.resize = new ResizeObserver(([entry]) => (this.width = Math.floor(entry!.contentRect.width)));
    this.resize.observe(box);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result') || changed.has('sweep')) {
      const axes = this.result && this.result.rows.length ? parallelAxes(this.result, this.sweep) : [];
      // Only seeds varied: a metric axis alone has nothing to connect, so there is no chart.
      this.axes = axes.length > 1 ? axes : [];
    }
    if (changed.has('result')) this.brushes = {};
  }

  protected override updated(): void {
    this.observe();
    this.draw();
  }

  /** Clears every brush: all lines coloured, the table whole again. */
  clearBrushes(): void {
    this.setBrushes({});
  }

  private setBrushes(next: Brushes): void {
    this.brushes = next;
    const kept = brushedRows(this.axes, next);
    emit(this, 'sp-sweep-brush', { shown: kept && kept.map((i) => this.result!.rows[i]!.index) });
  }

  private setBrush(axis: ParallelAxis, brush: { lo: number; hi: number } | null, announce = true): void {
    const next = { ...this.brushes };
    if (brush) next[axis.key] = brush;
    else delete next[axis.key];
    if (announce) this.setBrushes(next);
    else this.brushes = next;
  }

  private local(e: PointerEvent): { x: number; y: number } {
    const rect = this.canvas!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0 || !this.axes.length) return;
    const { x, y } = this.local(e);
    this.drag = { axis: nearestAxis(axisXs(this.axes.length, this.width), x), y0: y };
    try {
      this.canvas!.setPointerCapture(e.pointerId);
    } catch {
      // A synthetic event's pointer cannot be captured; the drag still works inside the canvas.
    }
    e.preventDefault();
  }

  private onMove(e: PointerEvent): void {
    if (!this.drag) return;
    const { y } = this.local(e);
    if (Math.abs(y - this.drag.y0) < CLICK_PX) return;
    this.setBrush(this.axes[this.drag.axis]!, normalBrush({ lo: tOf(Math.max(y, this.drag.y0)), hi: tOf(Math.min(y, this.drag.y0)) }), false);
  }

  private onUp(e: PointerEvent): void {
    if (!this.drag) return;
    const { y } = this.local(e);
    const axis = this.axes[this.drag.axis]!;
    const click = Math.abs(y - this.drag.y0) < CLICK_PX;
    const brush = click ? null : normalBrush({ lo: tOf(Math.max(y, this.drag.y0)), hi: tOf(Math.min(y, this.drag.y0)) });
    this.drag = null;
    this.setBrush(axis, brush);
  }

  private onKey(e: KeyboardEvent, axis: ParallelAxis, end: 'lo' | 'hi'): void {
    if (e.key === 'Escape' && this.brushes[axis.key]) this.setBrush(axis, null);
    else if (e.key in KEY_STEPS) this.setBrush(axis, stepBound(axis, this.brushes[axis.key], end, KEY_STEPS[e.key]!));
    else return;
    e.preventDefault();
  }

  private draw(): void {
    const canvas = this.canvas;
    const r = this.result;
    const width = this.width;
    if (!canvas || !r || !this.axes.length || width <= 0) return;
    const dpr = globalThis.devicePixelRatio || 1;
    [canvas.width, canvas.height] = [Math.round(width * dpr), Math.round(HEIGHT * dpr)];
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const bg = getComputedStyle(this).getPropertyValue('--sp-bg').trim() || '#ffffff';
    const highlighted = drawParallel(ctx, { result: r, axes: this.axes, brushes: this.brushes, width, theme: themeColors(this), bg });
    // For tests and scripts: what the canvas shows.
    this.box!.dataset.lines = String(r.rows.length);
    this.box!.dataset.highlighted = String(highlighted);
  }

  private summary(r: SweepResult): string {
    const axes = this.axes.map((a) => `${a.label} (${a.kind === 'categorical' ? 'categories' : a.kind})`).join(', ');
    const kept = brushedRows(this.axes, this.brushes);
    const brushes = this.axes
      .filter((a) => this.brushes[a.key])
      .map((a) => `${a.label} ${a.valueAt(this.brushes[a.key]!.lo)} to ${a.valueAt(this.brushes[a.key]!.hi)}`);
    const filter = kept ? `; filtered to ${kept.length} of ${r.rows.length} by ${brushes.join(' and ')}` : '';
    return `Parallel coordinates of ${r.rows.length} configurations, one line each across ${axes}; coloured by ${metricName(r.metric)}, orange worst to blue best${filter}.`;
  }

  override render() {
    const r = this.result;
    if (!r || !this.axes.length) return nothing;
    const xs = axisXs(this.axes.length, this.width);
    const filtered = Object.keys(this.brushes).length > 0;
    const scale = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(metricColor).join(', ')})`;
    return html`<div class="box" data-testid="sweep-parallel">
        <canvas
          role="img"
          aria-label=${this.summary(r)}
          @pointerdown=${this.onDown}
          @pointermove=${this.onMove}
          @pointerup=${this.onUp}
          @pointercancel=${() => (this.drag = null)}
        ></canvas>
        ${this.axes.map((a, k) =>
          (['hi', 'lo'] as const).map((end) => {
            const t = this.brushes[a.key]?.[end] ?? (end === 'hi' ? 1 : 0);
            return html`<div
              class="handle"
              role="slider"
              tabindex="0"
              data-testid="sweep-parallel-handle"
              data-axis=${a.key}
              data-end=${end}
              aria-label=${`${a.label}: ${end === 'hi' ? 'upper' : 'lower'} bound of the filter`}
              aria-orientation="vertical"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${Math.round(t * 100)}
              aria-valuetext=${a.valueAt(t)}
              style=${styleMap({ left: `${xs[k]! - 5}px`, top: `${yOf(t) - 3}px` })}
              @keydown=${(e: KeyboardEvent) => this.onKey(e, a, end)}
            ></div>`;
          }),
        )}
      </div>
      <div class="bar">
        <span><span class="scale" style=${styleMap({ background: scale })}></span> ${metricName(r.metric)}: worst → best</span>
        ${r.rows.some((_, i) => isPruned(r, i)) ? html`<span>dashed: pruned, at its last rung's score</span>` : nothing}
        <button data-testid="sweep-parallel-clear" ?disabled=${!filtered} @click=${() => this.clearBrushes()}>Clear filter</button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-parallel': SpSweepParallel;
  }
}
