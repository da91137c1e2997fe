import { css, html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { HealthReport, Histogram } from '../../src/worker/api.ts';
import { baseStyles } from '../shared/styles.ts';

/** One reading of the update ratios, for the chart over time. */
export interface HealthPoint {
  step: number;
  /** Per layer, as in the report; null where there is none yet. */
  ratios: (number | null)[];
}

/** The rule of thumb's band: updates much larger mean a too-large learning rate, much smaller one that barely moves. */
const RATIO_HIGH = 1e-2;
const RATIO_LOW = 1e-5;

function bars(h: Histogram, label: string) {
  const top = Math.max(1, ...h.counts);
  const w = 96 / h.counts.length;
  return html`<svg viewBox="0 0 96 24" class="hist" role="img" aria-label=${`${label}: ${h.min.toPrecision(3)} to ${h.max.toPrecision(3)}`}>
    ${h.counts.map((c, i) => svg`<rect x=${i * w} y=${24 - (24 * c) / top} width=${w - 0.5} height=${(24 * c) / top}></rect>`)}
  </svg>`;
}

function ratioText(r: number | null): string {
  if (r === null) return '–';
  const note = r > RATIO_HIGH ? ' (large)' : r < RATIO_LOW ? ' (tiny)' : '';
  return `${r.toExponential(1)}${note}`;
}

/**
 * Training health per layer (see src/train/health.ts): histograms of weights, activations and
 * gradients, dead ReLU units, and the update-to-weight ratio per step with its course over the
 * run on a log scale. Read-only; it renders what it is given.
 */
@customElement('sp-health-panel')
export class SpHealthPanel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .layers {
        display: grid;
        gap: 10px;
      }
      .layer h4 {
        margin: 0 0 4px;
        font-size: 13px;
      }
      .cells {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(104px, 1fr));
        gap: 4px 10px;
        font-size: 12px;
        font-variant-numeric: tabular-nums;
      }
      .cells dt {
        color: var(--sp-muted);
      }
      .cells dd {
        margin: 0;
      }
      svg.hist {
        display: block;
        width: 100%;
        max-width: 96px;
        height: 24px;
        fill: var(--sp-accent);
      }
      svg.course {
        width: 100%;
        max-width: 420px;
        height: 80px;
        border: 1px solid var(--sp-border);
      }
      .bad {
        color: var(--sp-error);
      }
    `,
  ];

  @property({ attribute: false }) report: HealthReport | null = null;
  @property({ attribute: false }) course: HealthPoint[] = [];

  private courseChart() {
    const points = this.course.flatMap((p) => p.ratios.map((r, l) => ({ step: p.step, r, l }))).filter((p) => p.r !== null && p.r > 0) as {
      step: number;
      r: number;
      l: number;
    }[];
    if (points.length < 2) return null;
    const [s0, s1] = [points[0]!.step, Math.max(points[0]!.step + 1, ...points.map((p) => p.step))];
    const logs = points.map((p) => Math.log10(p.r));
    const [lo, hi] = [Math.min(-5, ...logs), Math.max(-1, ...logs)];
    const x = (s: number) => (400 * (s - s0)) / (s1 - s0);
    const y = (r: number) => 80 - (80 * (Math.log10(r) - lo)) / (hi - lo);
    const layers = Math.max(...points.map((p) => p.l)) + 1;
    return html`<svg
      class="course"
      viewBox="0 0 400 80"
      preserveAspectRatio="none"
      role="img"
      aria-label=${`update-to-weight ratio per step over the run, per layer, log scale from 1e${lo.toFixed(0)} to 1e${hi.toFixed(0)}`}
    >
      <line x1="0" x2="400" y1=${y(1e-3)} y2=${y(1e-3)} stroke="currentColor" stroke-dasharray="4 3" opacity="0.5"></line>
      ${Array.from({ length: layers }, (_, l) => {
        const line = points.filter((p) => p.l === l).map((p) => `${x(p.step).toFixed(1)},${y(p.r).toFixed(1)}`);
        return svg`<polyline fill="none" stroke-width="1.5" stroke=${`hsl(${(l * 137) % 360} 60% 50%)`} points=${line.join(' ')}></polyline>`;
      })}
    </svg>`;
  }

  override render() {
    const r = this.report;
    return html`<section data-testid="health-panel" aria-label="Training health">
      ${
        !r
          ? html`<p class="muted">Training health appears once the model exists.</p>`
          : html`<p class="muted">On ${r.rows} training rows at step ${r.step}; the update ratio is ‖Δw‖ / ‖w‖ per step (around 1e-3 is healthy).</p>
              <div class="layers">
                ${r.layers.map((l) => {
                  const dead = l.dead && l.dead.units > 0 ? 'bad' : '';
                  const ratioBad = l.updateRatio !== null && (l.updateRatio > RATIO_HIGH || l.updateRatio < RATIO_LOW) ? 'bad' : '';
                  return html`<section class="layer" aria-label=${l.name}>
                    <h4>${l.name}</h4>
                    <dl class="cells">
                      <div>
                        <dt>weights</dt>
                        <dd>${bars(l.weights, `${l.name} weights`)}</dd>
                      </div>
                      <div>
                        <dt>activations</dt>
                        <dd>${bars(l.activations, `${l.name} activations`)}</dd>
                      </div>
                      <div>
                        <dt>gradients</dt>
                        <dd>${bars(l.gradients, `${l.name} gradients`)}</dd>
                      </div>
                      <div>
                        <dt>dead units</dt>
                        <dd data-testid="dead-units" class=${dead}>${l.dead ? `${l.dead.units} of ${l.dead.of}` : '–'}</dd>
                      </div>
                      <div>
                        <dt>update ratio</dt>
                        <dd data-testid="update-ratio" class=${ratioBad}>${ratioText(l.updateRatio)}</dd>
                      </div>
                    </dl>
                  </section>`;
                })}
              </div>
              ${this.courseChart()}`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-health-panel': SpHealthPanel;
  }
}
