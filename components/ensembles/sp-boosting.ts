import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { taskOf } from '../../src/config/experiment.ts';
import { boostingRun, decodeBoost, DEFAULT_BOOST, encodeBoost, type BoostSettings } from '../../src/config/ensembles.ts';
import { REGRESSION_OFF } from '../../src/config/task.ts';
import type { BoostingEvent, BoostingRound, SessionInfo } from '../../src/worker/api.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { ensembleStyles } from './ensemble-styles.ts';
import { EnsembleElement } from './ensemble-element.ts';
import './sp-boost-settings.ts';
import './sp-boost-rounds.ts';
import './sp-boost-chart.ts';
import './sp-boost-boundaries.ts';
import './sp-ensemble-export.ts';
import type { EnsembleRun } from './sp-ensemble-export.ts';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');

/**
 * AdaBoost (SAMME) of the experiment `config` with small networks as weak learners: the settings
 * (rounds, the weak learner's network, epochs per round, shrinkage on α), Start and Cancel,
 * progress in epochs, then one row per round (weighted error, α, the ensemble's accuracy on each
 * split), the chart over rounds and, on 2-D data, the chosen round's boundary beside the
 * ensemble's with the points sized by weight. Cancelling keeps the rounds finished; a failure
 * keeps them too and says why. `runner` trains (the widgets bundle gives one that uses the
 * page's worker). For embedding, `config` takes a playground link hash and `boost` a `boost=`
 * link value. Event out: `sp-boost-change` (the new valid settings).
 */
@customElement('sp-boosting')
export class SpBoosting extends EnsembleElement<BoostSettings> {
  static override styles = [baseStyles, ensembleStyles];
  static override settingsAttribute = 'boost';

  @property({ attribute: false }) settings: BoostSettings = DEFAULT_BOOST;

  @state() private problem: string | null = null;
  @state() private rounds: BoostingRound[] = [];
  @state() private points: SessionInfo['points'] = null;
  @state() private classNames: string[] = [];
  @state() private selected = -1;
  @state() private notice = '';
  @state() private failure: string | null = null;
  /** The finished run, for its code export. */
  @state() private exported: EnsembleRun | null = null;

  protected decodeSettings(raw: string): { settings: BoostSettings; messages: string[] } {
    return decodeBoost(raw, DEFAULT_BOOST);
  }

  private get blocked(): string | null {
    return taskOf(this.config) === 'regression' ? REGRESSION_OFF.ensembles : null;
  }

  private get canStart(): boolean {
    return this.runner !== null && this.running === null && this.problem === null && this.blocked === null;
  }

  private onEdit(e: CustomEvent<{ settings: BoostSettings | null; problem: string | null }>): void {
    this.problem = e.detail.problem;
    const next = e.detail.settings;
    if (!next || encodeBoost(next) === encodeBoost(this.settings)) return;
    this.settings = next;
    emit(this, 'sp-boost-change', next);
  }

  /** Trains the rounds through the runner; a failure becomes a message and the rounds done stay. */
  async start(): Promise<void> {
    const runner = this.runner;
    if (!runner || !this.canStart) return;
    const id = ++this.runId;
    const { config, options } = boostingRun(this.config, this.settings);
    [this.rounds, this.failure, this.notice, this.selected, this.exported] = [[], null, '', -1, null];
    this.running = { done: 0, total: options.rounds * config.epochs, cancelling: false };
    let finished = false;
    const onEvent = (e: BoostingEvent) => {
      // A callback may cross the thread boundary after the result, which has every round already.
      if (id !== this.runId || finished) return;
      if (e.type === 'data') [this.points, this.classNames] = [e.points, e.classNames];
      else if (e.type === 'progress') this.running = this.running && { ...this.running, done: e.done, total: e.total };
      else {
        this.rounds = [...this.rounds, e.round];
        if (e.round.view?.boundaries) this.selected = this.rounds.length - 1;
      }
    };
    try {
      const result = await runner.boost(config, options, onEvent);
      finished = true;
      if (id !== this.runId) return;
      this.rounds = result.rounds;
      this.exported = { kind: 'boost', config, options, result };
      this.selected = result.rounds.map((r) => Boolean(r.view?.boundaries)).lastIndexOf(true);
      const n = result.rounds.length;
      this.notice = result.cancelled ? `Cancelled: the ${n} round${n === 1 ? '' : 's'} finished before it are kept.` : result.message;
    } catch (e) {
      if (id !== this.runId) return;
      this.failure = `Boosting stopped: ${(e as Error)?.message ?? String(e)}${this.rounds.length ? ` The ${this.rounds.length} rounds finished are kept.` : ''}`;
    } finally {
      if (id === this.runId) this.running = null;
    }
  }

  /** Stops the run after the chunk in flight; it resolves with the rounds finished. */
  private renderSummary() {
    const last = this.rounds.at(-1);
    if (!last) return nothing;
    const kept = this.rounds.filter((r) => r.alpha > 0).length;
    return html`<p>
      Ensemble of ${kept} network${kept === 1 ? '' : 's'}: test accuracy <strong data-testid="boost-test-accuracy">${pct(last.accuracy.test)}</strong>
      <span class="muted">(train ${pct(last.accuracy.train)}, validation ${pct(last.accuracy.validation)})</span>
    </p>`;
  }

  override render() {
    const r = this.running;
    const blocked = this.blocked;
    return html`${this.renderMessages('boost-messages')}
      <sp-boost-settings .settings=${this.settings} ?disabled=${r !== null} @sp-boost-edit=${(e: CustomEvent) => this.onEdit(e)}></sp-boost-settings>
      ${blocked ? html`<p class="muted" data-testid="boost-off">${blocked}</p>` : nothing}
      <div class="actions">
        <button class="primary" data-testid="boost-start" ?disabled=${!this.canStart} @click=${() => void this.start()}>Start boosting</button>
        <button data-testid="boost-cancel" ?disabled=${!r || r.cancelling} @click=${() => this.cancel()}>Cancel</button>
        ${
          r
            ? html`<progress
                  data-testid="boost-progress"
                  aria-label="Boosting: epochs trained over all rounds"
                  max=${Math.max(1, r.total)}
                  .value=${r.done}
                ></progress>
                <span role="status"
                  >${r.cancelling ? 'Cancelling…' : `Round ${Math.min(this.rounds.length + 1, this.settings.rounds)} of up to ${this.settings.rounds}…`}</span
                >`
            : nothing
        }
        ${this.runner ? nothing : html`<span class="muted">Not connected to a trainer yet.</span>`}
      </div>
      ${this.notice ? html`<p role="status" data-testid="boost-notice">${this.notice}</p>` : nothing}
      ${this.failure ? html`<p class="error" role="alert" data-testid="boost-failure">${this.failure}</p>` : nothing} ${this.renderSummary()}
      <sp-ensemble-export .run=${this.exported}></sp-ensemble-export>
      <sp-boost-chart .rounds=${this.rounds}></sp-boost-chart>
      <sp-boost-rounds
        .rounds=${this.rounds}
        .selected=${this.selected}
        ?drawable=${this.points !== null}
        @sp-boost-select=${(e: CustomEvent<{ round: number }>) => (this.selected = e.detail.round)}
      ></sp-boost-rounds>
      <sp-boost-boundaries .rounds=${this.rounds} .selected=${this.selected} .points=${this.points} .classNames=${this.classNames}></sp-boost-boundaries>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-boosting': SpBoosting;
  }
}
