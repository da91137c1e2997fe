import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { configDifferences } from '../../src/config/diff.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { summarizeRun } from '../../src/train/run-summary.ts';
import type { EpochRecord, RunSummary } from '../../src/worker/api.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** A run kept for comparison: its settings and its epoch history. */
export interface PinnedRun {
  config: ExperimentConfig;
  history: EpochRecord[];
}

const num = (v: number | null, digits = 4) => (v === null ? '—' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * Compares the current run with a pinned one, side by side: "Pin this run" keeps the current
 * settings and curve, the charts overlay the pinned curve, and a table sets the two runs'
 * results next to each other with the settings that differ. Emits `sp-pin-change` with
 * `{ pinned: PinnedRun | null }`.
 */
@customElement('sp-run-compare')
export class SpRunCompare extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 10px;
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        margin: 6px 0;
      }
      th,
      td {
        padding: 2px 8px;
        text-align: right;
        border-bottom: 1px solid var(--sp-border);
      }
      th:first-child {
        text-align: left;
      }
      ul {
        margin: 4px 0;
        padding-left: 1.2em;
        font-size: 0.9em;
      }
      .warn {
        color: var(--sp-warn, #9a6700);
      }
    `,
  ];

  /** The current experiment and its history. */
  @property({ attribute: false }) config: ExperimentConfig = DEFAULT_EXPERIMENT;
  @property({ attribute: false }) history: EpochRecord[] = [];
  @state() private pinned: PinnedRun | null = null;

  private pin(run: PinnedRun | null): void {
    this.pinned = run;
    emit(this, 'sp-pin-change', { pinned: run });
  }

  private renderTable(pinned: RunSummary, current: RunSummary) {
    const rows: [string, (s: RunSummary) => string][] = [
      ['Epochs', (s) => String(s.epochs)],
      ['Train loss', (s) => num(s.finalTrainLoss)],
      ['Validation loss', (s) => num(s.finalValidationLoss)],
      ['Best validation loss (epoch)', (s) => (s.bestValidationLoss ? `${num(s.bestValidationLoss.value)} (${s.bestValidationLoss.epoch})` : '—')],
      ['Validation accuracy', (s) => pct(s.finalValidationAccuracy)],
      ['Gap (validation − train loss)', (s) => num(s.generalizationGap)],
    ];
    return html`<div class="scroll-region" role="region" aria-label="Pinned and current run" tabindex="0">
      <table data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Pinned</th>
            <th scope="col">Current</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ([label, f]) =>
              html`<tr>
                <th scope="row">${label}</th>
                <td>${f(pinned)}</td>
                <td>${f(current)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const p = this.pinned;
    const pinButton = html`<button
      data-testid="pin-run"
      ?disabled=${this.history.length === 0}
      @click=${() => this.pin({ config: this.config, history: this.history.slice() })}
    >
      ${p ? 'Pin this run instead' : 'Pin this run to compare'}
    </button>`;
    if (!p) return html`<div class="row">${pinButton}<span class="muted">then change a setting and train again</span></div>`;
    const diffs = configDifferences(p.config, this.config);
    const seedDiffers = p.config.seed !== this.config.seed;
    return html` <div class="row">
        ${pinButton}<button data-testid="unpin-run" @click=${() => this.pin(null)}>Clear</button>
        <span class="muted">pinned curves are drawn grey on the charts</span>
      </div>
      ${this.renderTable(summarizeRun(p.history), summarizeRun(this.history))}
      <div data-testid="compare-diffs">
        ${
          diffs.length === 0
            ? html`<p class="muted">Same settings as the pinned run.</p>`
            : html`<p>Changed since the pinned run:</p>
                <ul>
                  ${diffs.map((d) => html`<li><code>${d.key}</code>: ${d.from} → ${d.to}</li>`)}
                </ul>`
        }
        ${seedDiffers ? html`<p class="warn" role="note">The seeds differ, so the difference mixes the changed settings with a different initialization and shuffle.</p>` : nothing}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-run-compare': SpRunCompare;
  }
}
