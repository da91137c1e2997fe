import { css, html, LitElement, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BoostingRound } from '../../src/worker/api.ts';
import { PALETTE } from '../shared/palette.ts';
import { baseStyles } from '../shared/styles.ts';

const W = 300;
const H = 140;

/** The round after which validation accuracy never again beat its best: where boosting starts to overfit. */
export function bestValidationRound(rounds: readonly BoostingRound[]): number | null {
  let best: number | null = null;
  rounds.forEach((r, i) => {
    if (Number.isFinite(r.accuracy.validation) && (best === null || r.accuracy.validation > rounds[best]!.accuracy.validation)) best = i;
  });
  return best;
}

/**
 * Boosting over rounds: each round's weighted error, its α (scaled to the largest α, which the
 * legend gives) and the ensemble's training, validation and test accuracy, all on a 0..1 axis.
 * A dashed line marks the best validation accuracy: later rounds that do not beat it while the
 * training accuracy climbs are where boosting overfits.
 */
@customElement('sp-boost-chart')
export class SpBoostChart extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      svg {
        width: 100%;
        height: 140px;
      }
      polyline {
        fill: none;
        stroke-width: 1.5;
      }
      .legend span {
        display: inline-block;
        white-space: nowrap;
        margin-right: 10px;
        font-size: 12px;
      }
    `,
  ];

  @property({ attribute: false }) rounds: BoostingRound[] = [];

  override render() {
    const rounds = this.rounds;
    if (rounds.length === 0) return nothing;
    const maxAlpha = Math.max(1e-9, ...rounds.map((r) => r.alpha));
    const series: [string, (r: BoostingRound) => number][] = [
      ['weighted error', (r) => r.error],
      [`α ÷ ${maxAlpha.toFixed(2)}`, (r) => r.alpha / maxAlpha],
      ['train accuracy', (r) => r.accuracy.train],
      ['validation accuracy', (r) => r.accuracy.validation],
      ['test accuracy', (r) => r.accuracy.test],
    ];
    const x = (i: number) => (rounds.length === 1 ? W / 2 : (i / (rounds.length - 1)) * W);
    const y = (v: number) => H - 4 - Math.min(1, Math.max(0, v)) * (H - 8);
    const best = bestValidationRound(rounds);
    const last = rounds.at(-1)!;
    const label =
      `Boosting over ${rounds.length} rounds: last weighted error ${last.error.toFixed(3)}, α ${last.alpha.toFixed(3)}, ` +
      `test accuracy ${(last.accuracy.test * 100).toFixed(1)}%` +
      (best === null ? '' : `; best validation accuracy after round ${best + 1}`);
    return html`<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label=${label} data-testid="boost-chart">
        ${series.map(([, f], s) => {
          const pts = rounds.map((r, i) => [x(i), f(r)] as const).filter(([, v]) => Number.isFinite(v));
          return svg`<polyline stroke=${PALETTE[s % PALETTE.length]!} points=${pts.map(([px, v]) => `${px},${y(v)}`).join(' ')} />`;
        })}
        ${best === null ? nothing : svg`<line x1=${x(best)} x2=${x(best)} y1="0" y2=${H} stroke="currentColor" stroke-dasharray="4 3" stroke-width="1" />`}
      </svg>
      <div class="legend">
        ${series.map(([name], s) => html`<span style=${`color:${PALETTE[s % PALETTE.length]}`}>━ ${name}</span>`)}
        ${best === null ? nothing : html`<span>┆ best validation: round ${best + 1}</span>`}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-boost-chart': SpBoostChart;
  }
}
