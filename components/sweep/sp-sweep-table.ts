import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { SweepParam } from '../../src/config/sweep.ts';
import type { SweepResult, SweepRow } from '../../src/train/sweep.ts';
import { formatValue, lossText, PARAM_LABELS, pct, rowHref, statusText } from './sweep-format.ts';
import { baseStyles } from '../shared/styles.ts';

/** What a column sorts by: the row's position, a varied hyperparameter, or a score. */
export type SweepSortKey = 'index' | SweepParam | 'validationLoss' | 'validationAccuracy' | 'macroF1' | 'epochs' | 'status';

/** Direction, as `aria-sort` spells it. */
export type SortDirection = 'ascending' | 'descending';

/** Scores where higher is better sort best first on their first click. */
const HIGH_FIRST = new Set<SweepSortKey>(['validationAccuracy', 'macroF1']);

function sortValue(row: SweepRow, key: SweepSortKey): number | string {
  if (key === 'index' || key === 'validationLoss' || key === 'validationAccuracy' || key === 'macroF1' || key === 'epochs') return row[key];
  if (key === 'status') return statusText(row);
  return row.values[key] ?? NaN;
}

/**
 * Rows sorted by `key`. Rows without a value there (diverged models have no score) go last in
 * either direction, so "best first" never starts with a diverged model; ties keep row order.
 */
export function sortRows(rows: readonly SweepRow[], key: SweepSortKey, direction: SortDirection): SweepRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const missing = (v: number | string) => typeof v === 'number' && !Number.isFinite(v);
  return [...rows].sort((a, b) => {
    const [va, vb] = [sortValue(a, key), sortValue(b, key)];
    if (missing(va) || missing(vb)) return Number(missing(va)) - Number(missing(vb)) || a.index - b.index;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return sign * c || a.index - b.index;
  });
}

/**
 * Every configuration of a sweep, one `sweep-row` each: its varied values, validation loss,
 * accuracy and macro F1, epochs trained and how it ended ("diverged at step N", "lost: …" in words), with a
 * link that opens it in the playground. Clicking a column header sorts by it (again: reverses);
 * the header carries `aria-sort`. The chosen row says "chosen". With `shown` set (the parallel
 * coordinates' brushes), only those rows are listed, under a note "Showing n of N".
 */
@customElement('sp-sweep-table')
export class SpSweepTable extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .scroll-region {
        max-height: 420px;
        overflow: auto;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        width: 100%;
      }
      th,
      td {
        padding: 3px 8px;
        text-align: right;
        border-bottom: 1px solid var(--sp-border);
        white-space: nowrap;
      }
      th:first-child,
      td:first-child,
      .text {
        text-align: left;
      }
      thead th {
        position: sticky;
        top: 0;
        background: var(--sp-panel);
        white-space: normal;
        vertical-align: bottom;
      }
      th button {
        all: unset;
        cursor: pointer;
        font-weight: 600;
      }
      th button:focus-visible {
        outline: 2px solid var(--sp-accent);
        outline-offset: 2px;
      }
      tr.best td {
        font-weight: 600;
      }
      .filter {
        margin: 0 0 6px;
      }
      .filter.none {
        margin: 0;
      }
      tr.diverged td.status {
        color: var(--sp-error);
      }
    `,
  ];

  @property({ attribute: false }) result: SweepResult | null = null;
  /** The page a row's link opens (`<page>#<hash>`), relative to this page. */
  @property() playground = 'index.html';

  /** The rows (by `index`) to list, or null for all of them. */
  @property({ attribute: false }) shown: readonly number[] | null = null;

  @state() private sort: { key: SweepSortKey; direction: SortDirection } = { key: 'index', direction: 'ascending' };

  private sortBy(key: SweepSortKey): void {
    const same = this.sort.key === key;
    const direction: SortDirection = same
      ? this.sort.direction === 'ascending'
        ? 'descending'
        : 'ascending'
      : HIGH_FIRST.has(key)
        ? 'descending'
        : 'ascending';
    this.sort = { key, direction };
  }

  private header(key: SweepSortKey, label: string) {
    const active = this.sort.key === key;
    const arrow = active ? (this.sort.direction === 'ascending' ? '▲' : '▼') : '';
    return html`<th scope="col" aria-sort=${active ? this.sort.direction : 'none'} class=${key === 'status' ? 'text' : ''}>
      <button data-testid="sweep-sort" data-key=${key} @click=${() => this.sortBy(key)}>${label} <span aria-hidden="true">${arrow}</span></button>
    </th>`;
  }

  private renderRow(row: SweepRow, varied: SweepParam[], best: number | null) {
    const chosen = row.index === best;
    return html`<tr
      data-testid="sweep-row"
      data-index=${row.index}
      class=${`${chosen ? 'best' : ''} ${row.status === 'diverged' || row.status === 'lost' ? 'diverged' : ''}`}
    >
      <td>${row.index + 1}${chosen ? html` <span>(chosen)</span>` : nothing}</td>
      ${varied.map((p) => html`<td>${formatValue(row.values[p])}</td>`)}
      <td>${lossText(row.validationLoss)}</td>
      <td>${pct(row.validationAccuracy)}</td>
      <td>${Number.isFinite(row.macroF1) ? row.macroF1.toFixed(3) : '—'}</td>
      <td>${row.epochs}</td>
      <td class="status text" title=${ifDefined(row.lost)}>${statusText(row)}</td>
      <td class="text"><a href=${rowHref(this.playground, row)} aria-label=${`Open configuration ${row.index + 1} in the playground`}>Open</a></td>
    </tr>`;
  }

  override render() {
    const r = this.result;
    if (!r) return nothing;
    const shown = this.shown && new Set(this.shown);
    const rows = sortRows(shown ? r.rows.filter((row) => shown.has(row.index)) : r.rows, this.sort.key, this.sort.direction);
    // Always present (empty when nothing is filtered), so screen readers hear each new count.
    const note = shown ? `Showing ${rows.length} of ${r.rows.length} configurations: those inside the parallel-coordinates filter.` : '';
    return html`<p class=${note ? 'filter' : 'filter none'} role="status" data-testid="sweep-table-filter">${note}</p>
      <div class="scroll-region" role="region" aria-label="Sweep results, every configuration" tabindex="0">
        <table data-testid="sweep-table">
          <caption class="sr-only">
            ${r.rows.length} configurations scored on the validation split; column headers sort.
          </caption>
          <thead>
            <tr>
              ${this.header('index', '#')}${r.varied.map((p) => this.header(p, PARAM_LABELS[p]))}
              ${this.header('validationLoss', 'Validation loss')}${this.header('validationAccuracy', 'Validation accuracy')}${this.header('macroF1', 'Validation macro F1')}
              ${this.header('epochs', 'Epochs trained')}${this.header('status', 'Status')}
              <th scope="col" class="text">Playground</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((row) => this.renderRow(row, r.varied, r.best))}
          </tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-table': SpSweepTable;
  }
}
