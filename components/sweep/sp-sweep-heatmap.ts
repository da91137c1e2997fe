import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SweepParam } from '../../src/config/sweep.ts';
import type { SweepResult, SweepRow } from '../../src/train/sweep.ts';
import { formatValue, logAxis, metricName, metricOf, metricText, PARAM_LABELS, paramNoun } from './sweep-format.ts';
import { baseStyles } from '../shared/styles.ts';

/** Distinct values an axis shows as they are; more (random search) are grouped into bins. */
const MAX_DISTINCT = 12;
const BINS = 8;

/** One axis of the heatmap: its labels and which label each row falls under. */
interface Axis {
  param: SweepParam;
  labels: string[];
  of: (row: SweepRow) => number;
}

function axis(param: SweepParam, rows: readonly SweepRow[]): Axis {
  const raw = rows.map((r) => r.values[param]!);
  const distinct = [...new Set(raw)];
  if (distinct.some((v) => typeof v === 'string') || distinct.length <= MAX_DISTINCT) {
    const sorted = distinct.every((v) => typeof v === 'number') ? (distinct as number[]).sort((a, b) => a - b) : distinct;
    return { param, labels: sorted.map(formatValue), of: (row) => sorted.indexOf(row.values[param]!) };
  }
  // Random search draws a new value per model: equal-width bins, in log space for a log axis.
  const nums = raw as number[];
  const log = logAxis(param, nums);
  const f = (v: number) => (log ? Math.log(v) : v);
  const inv = (v: number) => (log ? Math.exp(v) : v);
  const [lo, hi] = [f(Math.min(...nums)), f(Math.max(...nums))];
  const width = (hi - lo) / BINS || 1;
  const labels = Array.from({ length: BINS }, (_, i) => `${formatValue(inv(lo + i * width))}–${formatValue(inv(lo + (i + 1) * width))}`);
  return { param, labels, of: (row) => Math.min(BINS - 1, Math.floor((f(row.values[param] as number) - lo) / width)) };
}

/** One cell: the mean score of its models (seed replicates and random draws averaged), and how many diverged. */
export interface HeatCell {
  mean: number;
  models: number;
  diverged: number;
}

/** The heatmap of a sweep that varies exactly two hyperparameters (seed replicates aside); null otherwise. */
export function heatmapOf(r: SweepResult): { x: Axis; y: Axis; cells: HeatCell[][]; best: [number, number] | null } | null {
  const params = r.varied.filter((p) => p !== 'seed');
  if (params.length !== 2) return null;
  const [x, y] = [axis(params[0]!, r.rows), axis(params[1]!, r.rows)];
  const sums = y.labels.map(() => x.labels.map(() => ({ sum: 0, scored: 0, models: 0, diverged: 0 })));
  for (const row of r.rows) {
    const c = sums[y.of(row)]![x.of(row)]!;
    const v = metricOf(row, r.metric);
    c.models++;
    if (row.status === 'diverged') c.diverged++;
    if (Number.isFinite(v)) [c.sum, c.scored] = [c.sum + v, c.scored + 1];
  }
  const cells = sums.map((line) => line.map((c) => ({ mean: c.scored ? c.sum / c.scored : NaN, models: c.models, diverged: c.diverged })));
  let best: [number, number] | null = null;
  let bestMean = NaN;
  for (const [j, line] of cells.entries()) {
    for (const [i, c] of line.entries()) {
      const better = r.metric === 'accuracy' ? c.mean > bestMean : c.mean < bestMean;
      if (Number.isFinite(c.mean) && (best === null || better)) [best, bestMean] = [[j, i], c.mean];
    }
  }
  return { x, y, cells, best };
}

/**
 * A table of the mean validation score for every pair of values of the two hyperparameters a
 * sweep varies (seed replicates averaged; random draws grouped into bins): a single-hue scale,
 * darker is better, the number in every cell, "diverged" in words, the best cell starred and
 * named in the caption, which is the table's text alternative.
 */
@customElement('sp-sweep-heatmap')
export class SpSweepHeatmap extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        font-size: 13px;
      }
      caption {
        text-align: left;
        margin-bottom: 4px;
      }
      th {
        padding: 3px 6px;
        font-weight: 600;
        text-align: right;
      }
      td {
        padding: 6px 8px;
        text-align: center;
        min-width: 4.5em;
        border: 1px solid var(--sp-bg);
      }
      td.empty {
        color: var(--sp-muted);
      }
      td.best {
        outline: 3px solid var(--sp-fg);
        outline-offset: -3px;
      }
    `,
  ];

  @property({ attribute: false }) result: SweepResult | null = null;

  override render() {
    const r = this.result;
    const map = r ? heatmapOf(r) : null;
    if (!r || !map) return nothing;
    const { x, y, cells, best } = map;
    const scores = cells
      .flat()
      .map((c) => c.mean)
      .filter(Number.isFinite);
    const [lo, hi] = [Math.min(...scores), Math.max(...scores)];
    const goodness = (v: number) => (hi === lo ? 1 : r.metric === 'accuracy' ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo));
    const bestText = best
      ? `best cell: ${paramNoun(x.param)} ${x.labels[best[1]]}, ${paramNoun(y.param)} ${y.labels[best[0]]}, mean ${metricName(r.metric)} ${metricText(cells[best[0]]![best[1]]!.mean, r.metric)}`
      : 'no cell has a score: every model diverged';
    const cell = (c: HeatCell, j: number, i: number) => {
      if (!Number.isFinite(c.mean)) return html`<td class="empty">${c.diverged ? 'diverged' : c.models ? 'no score' : '–'}</td>`;
      const g = goodness(c.mean);
      // Lightness 49..51 gives neither white nor dark text 4.5:1 contrast: step over it.
      let light = 94 - 64 * g;
      if (light > 48 && light < 52) light = light < 50 ? 48 : 52;
      const isBest = best !== null && best[0] === j && best[1] === i;
      return html`<td class=${isBest ? 'best' : ''} style=${`background:hsl(212 70% ${light}%);color:${light < 50 ? '#fff' : '#10151c'}`}>
        ${isBest ? html`<span aria-hidden="true">★ </span><span class="sr-only">best: </span>` : nothing}${metricText(c.mean, r.metric)}${c.diverged ? html`<br /><small>${c.diverged} diverged</small>` : nothing}
      </td>`;
    };
    return html`<div class="scroll-region" role="region" aria-label="Heatmap of two hyperparameters" tabindex="0">
      <table data-testid="sweep-heatmap">
        <caption>
          Mean ${metricName(r.metric)} by ${paramNoun(x.param)} (columns) and ${paramNoun(y.param)} (rows); darker is better;
          <span data-testid="sweep-heatmap-best">${bestText}</span
          >.
        </caption>
        <thead>
          <tr>
            <th scope="col"><span class="sr-only">${PARAM_LABELS[y.param]} (rows) by ${paramNoun(x.param)} (columns)</span></th>
            ${x.labels.map((l) => html`<th scope="col">${l}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${cells.map(
            (line, j) =>
              html`<tr>
                <th scope="row">${y.labels[j]}</th>
                ${line.map((c, i) => cell(c, j, i))}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-heatmap': SpSweepHeatmap;
  }
}
