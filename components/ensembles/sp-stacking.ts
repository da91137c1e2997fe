import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { taskOf } from '../../src/config/experiment.ts';
import { decodeStack, DEFAULT_STACK, encodeStack, stackingRun, type StackSettings } from '../../src/config/ensembles.ts';
import { REGRESSION_OFF } from '../../src/config/task.ts';
import type { StackingResult } from '../../src/worker/api.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { ensembleStyles } from './ensemble-styles.ts';
import { EnsembleElement } from './ensemble-element.ts';
import './sp-stack-settings.ts';
import './sp-stack-results.ts';
import './sp-ensemble-export.ts';
import type { EnsembleRun } from './sp-ensemble-export.ts';

/**
 * Stacking on the experiment `config`: the base learners (up to 8 rows, each a network and an
 * optimizer setting), the folds of the out-of-fold predictions and the meta-learner's options,
 * Start and Cancel, progress in epochs over every model, then each learner's, the soft vote's and
 * the stack's test accuracy and macro F1. A failure (a fold missing a class, a diverged model) or
 * a cancel keeps the previous result and says why. `runner` trains (the widgets bundle gives one
 * that uses the page's worker). For embedding, `config` takes a playground link hash and `stack`
 * a `stack=` link value. Event out: `sp-stack-change` (the new valid settings).
 */
@customElement('sp-stacking')
export class SpStacking extends EnsembleElement<StackSettings> {
  static override styles = [baseStyles, ensembleStyles];
  static override settingsAttribute = 'stack';

  @property({ attribute: false }) settings: StackSettings = DEFAULT_STACK;

  @state() private problem: string | null = null;
  @state() private result: { result: StackingResult; settings: StackSettings; run: EnsembleRun } | null = null;
  @state() private notice = '';
  @state() private failure: string | null = null;

  protected decodeSettings(raw: string): { settings: StackSettings; messages: string[] } {
    return decodeStack(raw, DEFAULT_STACK);
  }

  private get blocked(): string | null {
    if (taskOf(this.config) === 'regression') return REGRESSION_OFF.ensembles;
    if (this.config.remedies?.earlyStopping) return 'Stacking trains every model for its epochs: turn early stopping off first.';
    if (!(this.config.testSplit > 0)) return 'Stacking is scored on the test split: set one above 0.';
    return null;
  }

  private get canStart(): boolean {
    return this.runner !== null && this.running === null && this.problem === null && this.blocked === null;
  }

  private onEdit(e: CustomEvent<{ settings: StackSettings | null; problem: string | null }>): void {
    this.problem = e.detail.problem;
    const next = e.detail.settings;
    if (!next || encodeStack(next) === encodeStack(this.settings)) return;
    this.settings = next;
    emit(this, 'sp-stack-change', next);
  }

  /** Trains the stack through the runner; a failure or cancel becomes a message and the previous result stays. */
  async start(): Promise<void> {
    const runner = this.runner;
    if (!runner || !this.canStart) return;
    const id = ++this.runId;
    const settings = this.settings;
    const { config, options } = stackingRun(this.config, settings);
    [this.failure, this.notice] = [null, ''];
    this.running = { done: 0, total: 1, cancelling: false };
    try {
      const result = await runner.stack(config, options, (done, total) => {
        if (id === this.runId && this.running) this.running = { ...this.running, done, total };
      });
      if (id !== this.runId) return;
      this.result = { result, settings, run: { kind: 'stack', config, options, result } };
    } catch (e) {
      if (id !== this.runId) return;
      const kept = this.result ? ' The previous result is kept.' : '';
      if ((e as Error)?.name === 'JobCancelledError') this.notice = `Stacking was cancelled.${kept}`;
      else this.failure = `Stacking stopped: ${(e as Error)?.message ?? String(e)}${kept}`;
    } finally {
      if (id === this.runId) this.running = null;
    }
  }

  /** Stops the run after the chunk in flight. */
  override render() {
    const r = this.running;
    const blocked = this.blocked;
    return html`${this.renderMessages('stack-messages')}
      <sp-stack-settings .settings=${this.settings} ?disabled=${r !== null} @sp-stack-edit=${(e: CustomEvent) => this.onEdit(e)}></sp-stack-settings>
      ${blocked ? html`<p class="muted" data-testid="stack-off">${blocked}</p>` : nothing}
      <div class="actions">
        <button class="primary" data-testid="stack-start" ?disabled=${!this.canStart} @click=${() => void this.start()}>Start stacking</button>
        <button data-testid="stack-cancel" ?disabled=${!r || r.cancelling} @click=${() => this.cancel()}>Cancel</button>
        ${
          r
            ? html`<progress
                  data-testid="stack-progress"
                  aria-label="Stacking: epochs trained over every model"
                  max=${Math.max(1, r.total)}
                  .value=${r.done}
                ></progress>
                <span role="status">${r.cancelling ? 'Cancelling…' : `${r.done} of ${r.total} epochs`}</span>`
            : nothing
        }
        ${this.runner ? nothing : html`<span class="muted">Not connected to a trainer yet.</span>`}
      </div>
      ${this.notice ? html`<p role="status" data-testid="stack-notice">${this.notice}</p>` : nothing}
      ${this.failure ? html`<p class="error" role="alert" data-testid="stack-failure">${this.failure}</p>` : nothing}
      <sp-stack-results .result=${this.result?.result ?? null} .learners=${this.result?.settings.learners ?? []}></sp-stack-results>
      <sp-ensemble-export .run=${this.result?.run ?? null}></sp-ensemble-export>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-stacking': SpStacking;
  }
}
