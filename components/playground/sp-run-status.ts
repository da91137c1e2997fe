import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { EpochRecord, RegressionInfo, SessionInfo, SplitEvaluation } from '../../src/worker/api.ts';
import { regressionScores, unscale } from '../../src/metrics/regression.ts';
import type { EngineStatus, RecoveryAction } from './engine-controller.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

function fixed(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

/**
 * Where a run stands: the backend (its `data-state` says which kind trains now, `trial` while
 * Auto decides behind the CPU; a note says what Auto is doing or found), epoch, speed, the latest
 * losses and the test accuracy. Read-only; it renders what it is given.
 */
@customElement('sp-run-status')
export class SpRunStatus extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: 8px 16px;
        margin: 12px 0;
      }
      div {
        min-width: 0;
      }
      dt {
        color: var(--sp-muted);
        font-size: 12px;
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
        font-size: 16px;
        overflow-wrap: anywhere;
      }
      .backend dd {
        font-size: 13px;
      }
    `,
  ];

  @property({ attribute: false }) status: EngineStatus = 'idle';
  @property({ attribute: false }) info: SessionInfo | null = null;
  @property({ attribute: false }) history: EpochRecord[] = [];
  @property({ attribute: false }) test: SplitEvaluation | null = null;
  @property({ attribute: false }) error: string | null = null;
  /** A non-fatal message, such as a divergence that was rolled back. */
  @property({ attribute: false }) notice: string | null = null;
  /** Offered with the error: Resume (`sp-resume`) after a lost device, Restart (`sp-restart`) after a dead worker. */
  @property({ attribute: false }) action: RecoveryAction = null;
  @property({ type: Number }) stepsPerSecond = 0;
  @property({ type: Number }) epochs = 0;

  private backendText(): string {
    if (this.info) return this.info.backendLabel;
    return this.status === 'building' ? 'starting…' : '–';
  }

  /** Auto's measurement of both backends beside the backend, e.g. "WebGPU 0.94 ms/step, CPU 0.59 ms/step → CPU". */
  private trialLine() {
    const trial = this.info?.backendTrial;
    if (!trial) return null;
    const detail = [trial.cached ? 'measured earlier on this device for this model shape' : 'measured on this device for this model shape', trial.note]
      .filter(Boolean)
      .join('; ');
    return html`<div class="backend">
      <dt>Auto's trial</dt>
      <dd data-testid="backend-trial" title=${detail}>${trial.summary}</dd>
    </div>`;
  }

  /** R² of the test predictions in the target's units, or undefined before an evaluation. */
  private testR2(regression: RegressionInfo): number | undefined {
    const test = this.test;
    if (!test || test.rows !== regression.targets.test.length) return undefined;
    return regressionScores(regression.targets.test, unscale(test.outputs, regression.scale)).r2;
  }

  override render() {
    const last = this.history.at(-1);
    return html`
      ${
        this.error
          ? html`<div class="error" role="alert" data-testid="error">
              ${this.error}
              ${
                this.action
                  ? html` <button data-testid="recover" @click=${() => emit(this, `sp-${this.action!}`, null)}>
                      ${this.action === 'resume' ? 'Resume' : 'Restart'}
                    </button>`
                  : null
              }
            </div>`
          : null
      }
      ${this.notice ? html`<p role="status" data-testid="notice">${this.notice}</p>` : null}
      ${this.info?.fallbackReason ? html`<p class="muted" role="status" data-testid="fallback-reason">Running on the CPU: ${this.info.fallbackReason}</p>` : null}
      ${this.info?.backendNote ? html`<p class="muted" role="status" data-testid="backend-note">${this.info.backendNote}</p>` : null}
      <dl>
        <div class="backend">
          <dt>Backend</dt>
          <dd data-testid="backend" data-state=${ifDefined(this.info?.backendState)}>${this.backendText()}</dd>
        </div>
        ${this.trialLine()}
        <div>
          <dt>Epoch</dt>
          <dd><span data-testid="epoch">${last?.epoch ?? 0}</span> / ${this.epochs}</dd>
        </div>
        <div>
          <dt>Steps per second</dt>
          <dd data-testid="steps-per-second">${this.stepsPerSecond ? this.stepsPerSecond.toFixed(0) : '–'}</dd>
        </div>
        <div>
          <dt>Train loss</dt>
          <dd data-testid="train-loss">${fixed(last?.trainLoss)}</dd>
        </div>
        <div>
          <dt>Validation loss</dt>
          <dd data-testid="val-loss">${fixed(last?.validationLoss)}</dd>
        </div>
        ${
          this.info?.regression
            ? html`<div>
                <dt>Test R²</dt>
                <dd data-testid="test-r2">${fixed(this.testR2(this.info.regression), 3)}</dd>
              </div>`
            : html`<div>
                <dt>Test accuracy</dt>
                <dd data-testid="test-accuracy">${fixed(this.test?.accuracy, 3)}</dd>
              </div>`
        }
      </dl>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-run-status': SpRunStatus;
  }
}
