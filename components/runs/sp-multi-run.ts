import { html, LitElement, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { KFOLD_LIMITS } from '../../src/train/crossval.ts';
import { MULTI_RUN_LIMITS } from '../../src/train/multi-run.ts';
import type { BoundaryGrid, CrossValidationResult, EnsembleMode, EnsembleResult, RaceEntry, SessionInfo } from '../../src/worker/api.ts';
import { OPTIMIZERS } from '../../src/nn/optimizer.ts';
import { REGRESSION_OFF, type Task } from '../../src/config/task.ts';
import '../charts/sp-decision-boundary.ts';
import { PALETTE } from '../shared/palette.ts';
import { baseStyles } from '../shared/styles.ts';
import { multiRunStyles } from './multi-run-styles.ts';
import { emit } from '../shared/events.ts';
import { lostSentence } from '../../src/train/lost-runs.ts';

/** Which multi-run job is running, and how far it got. */
export interface MultiRunStatus {
  job: 'cv' | 'ensemble' | 'race';
  done: number;
  total: number;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const pm = (mean: number, std: number, f: (v: number) => string) => `${f(mean)} ± ${Number.isNaN(std) ? 'n/a' : f(std)}`;

/** The message naming what a job lost (its CPU pool workers kept dying), shown beside the results it kept. */
const lostNote = (testid: string, message: string | undefined) =>
  message ? html`<p class="error" role="status" data-testid=${testid}>${message}</p>` : nothing;

/** The optimizers a race lost, in a sentence; undefined when none. */
function raceLost(race: RaceEntry[]): string | undefined {
  const lost = race.filter((e) => e.lost);
  if (lost.length === 0) return undefined;
  return lostSentence(
    lost.map((e) => e.optimizer),
    ['Optimizer', 'Optimizers'],
    lost.map((e) => e.lost!),
  ).replace('The other results are kept.', 'Their curves end where they were lost; the others are whole.');
}

/**
 * Jobs that train several models of the current experiment one after another in the worker:
 * stratified k-fold cross-validation (per fold and mean ± std), an ensemble (each member and the
 * averaged prediction, with every member's decision boundary on 2-D data), and an optimizer race (train-loss curves overlaid). Runs the CPU pool
 * lost are named in a message beside what the job kept (`cv-lost`, `ensemble-lost`, `race-lost`). Properties in: the
 * results and the running job; events out: `sp-cross-validate` {k, balanced}, `sp-ensemble`
 * {members, mode}, `sp-race` {kinds}, and `sp-cancel-job` (stop the running one).
 */
@customElement('sp-multi-run')
export class SpMultiRun extends LitElement {
  static override styles = [baseStyles, multiRunStyles];

  @property({ attribute: false }) crossValidation: CrossValidationResult | null = null;
  @property({ attribute: false }) ensemble: EnsembleResult | null = null;
  @property({ attribute: false }) race: RaceEntry[] | null = null;
  /** The job in progress; every button is disabled while one runs. */
  @property({ attribute: false }) running: MultiRunStatus | null = null;
  /** Whether a model exists to run jobs for (the experiment built). */
  @property({ type: Boolean }) ready = false;
  @property({ attribute: false }) error: string | null = null;
  /** The experiment's 2-D points, under each ensemble member's decision boundary; null for other data. */
  @property({ attribute: false }) points: SessionInfo['points'] = null;
  @property({ attribute: false }) classNames: string[] = [];
  /** Cross-validation and ensembles score classifiers; for regression they are disabled with the reason. */
  @property() task: Task = 'classification';

  @state() private k = 5;
  @state() private balanced = false;
  @state() private members = 5;
  @state() private mode: EnsembleMode = 'seeds';

  private get regression(): boolean {
    return this.task === 'regression';
  }

  private renderCv() {
    const cv = this.crossValidation;
    const busy = this.running !== null || !this.ready;
    return html` <div class="row">
        <label for="m-k">Folds</label>
        <input
          id="m-k"
          type="number"
          data-testid="cv-k"
          min=${KFOLD_LIMITS.minK}
          max=${KFOLD_LIMITS.maxK}
          step="1"
          .value=${String(this.k)}
          @change=${(e: Event) => (this.k = Number((e.target as HTMLInputElement).value))}
        />
        <label
          ><input
            type="checkbox"
            data-testid="cv-balanced"
            .checked=${this.balanced}
            @change=${(e: Event) => (this.balanced = (e.target as HTMLInputElement).checked)}
          />
          Balanced folds</label
        >
        <button
          data-testid="cross-validate"
          ?disabled=${busy || this.regression}
          @click=${() => emit(this, 'sp-cross-validate', { k: this.k, balanced: this.balanced })}
        >
          Cross-validate
        </button>
        ${this.regression ? html`<span class="muted" data-testid="cv-off">${REGRESSION_OFF.crossValidation}</span>` : nothing}
      </div>
      ${
        cv
          ? html`<div class="scroll-region" role="region" aria-label="Cross-validation results" tabindex="0">
                <table data-testid="cv-table">
                  <caption class="muted">
                    ${cv.k}-fold${cv.balanced ? ', balanced' : ''}, scored on each held-out
                    fold${cv.folds.length < cv.k ? ` (${cv.folds.length} of ${cv.k} folds finished)` : ''}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Fold</th>
                      <th scope="col">Accuracy</th>
                      <th scope="col">Loss</th>
                      <th scope="col">Macro F1</th>
                      <th scope="col">Epochs</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${cv.folds.map(
                      (f) =>
                        html`<tr>
                          <td>${f.fold + 1}</td>
                          <td>${pct(f.accuracy)}</td>
                          <td>${f.loss.toFixed(4)}</td>
                          <td>${f.macroF1.toFixed(3)}</td>
                          <td>${f.epochs}</td>
                        </tr>`,
                    )}
                    <tr>
                      <th scope="row">Mean ± std</th>
                      <td>${pm(cv.summary.accuracy.mean, cv.summary.accuracy.std, pct)}</td>
                      <td>${pm(cv.summary.loss.mean, cv.summary.loss.std, (v) => v.toFixed(4))}</td>
                      <td>${pm(cv.summary.macroF1.mean, cv.summary.macroF1.std, (v) => v.toFixed(3))}</td>
                      <td></td>
                    </tr>
                  </tbody>
                </table>
              </div>
              ${lostNote('cv-lost', cv.lost)}`
          : nothing
      }`;
  }

  private renderEnsemble() {
    const r = this.ensemble;
    const busy = this.running !== null || !this.ready;
    return html` <div class="row">
        <label for="m-members">Members</label>
        <input
          id="m-members"
          type="number"
          data-testid="ensemble-members"
          min="1"
          max=${MULTI_RUN_LIMITS.maxMembers}
          step="1"
          .value=${String(this.members)}
          @change=${(e: Event) => (this.members = Number((e.target as HTMLInputElement).value))}
        />
        <label for="m-mode">Members differ by</label>
        <select id="m-mode" data-testid="ensemble-mode" @change=${(e: Event) => (this.mode = (e.target as HTMLSelectElement).value as EnsembleMode)}>
          <option value="seeds" .selected=${this.mode === 'seeds'}>Seed</option>
          <option value="bootstrap" .selected=${this.mode === 'bootstrap'}>Seed and bootstrap sample (bagging)</option>
        </select>
        <button
          data-testid="train-ensemble"
          ?disabled=${busy || this.regression}
          @click=${() => emit(this, 'sp-ensemble', { members: this.members, mode: this.mode })}
        >
          Train ensemble
        </button>
        ${this.regression ? html`<span class="muted" data-testid="ensemble-off">${REGRESSION_OFF.ensembles}</span>` : nothing}
      </div>
      ${
        r
          ? html`<div class="scroll-region" role="region" aria-label="Ensemble results" tabindex="0">
                <table data-testid="ensemble-table">
                  <caption class="muted">
                    Accuracy on the ${r.split} split
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col">Accuracy</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${r.members.map(
                      (m) =>
                        html`<tr>
                          <td>Member ${m.member + 1} (seed ${m.seed})</td>
                          <td>${pct(m.accuracy)}</td>
                        </tr>`,
                    )}
                    <tr>
                      <th scope="row">Ensemble (averaged probabilities)</th>
                      <td data-testid="ensemble-accuracy">${pct(r.accuracy)}</td>
                    </tr>
                    <tr>
                      <th scope="row">Ensemble (majority vote)</th>
                      <td>${pct(r.voteAccuracy)}</td>
                    </tr>
                  </tbody>
                </table>
              </div>
              ${lostNote('ensemble-lost', r.lost)} ${r.boundaries && this.points ? this.renderBoundaries(r.boundaries, r) : nothing}`
          : nothing
      }`;
  }

  /** Each member's decision boundary beside the ensemble's, same points under all. */
  private renderBoundaries(b: NonNullable<EnsembleResult['boundaries']>, r: EnsembleResult) {
    const tile = (grid: BoundaryGrid, caption: string) =>
      html`<figure>
        <sp-decision-boundary compact .grid=${grid} .points=${this.points} .classNames=${this.classNames} caption=${caption}></sp-decision-boundary>
        <figcaption>${caption}</figcaption>
      </figure>`;
    return html`<div class="boundaries" data-testid="ensemble-boundaries">
      ${b.members.map((g, i) => tile(g, `Member ${r.members[i]!.member + 1}: ${pct(r.members[i]!.accuracy)}`))}
      ${tile(b.ensemble, `Ensemble: ${pct(r.accuracy)}`)}
    </div>`;
  }

  private renderRace() {
    const busy = this.running !== null || !this.ready;
    const race = this.race;
    return html` <div class="row">
        <button data-testid="optimizer-race" ?disabled=${busy} @click=${() => emit(this, 'sp-race', { kinds: [...OPTIMIZERS] })}>Optimizer race</button>
        <span class="muted">same network and seed, each optimizer in turn</span>
      </div>
      ${race ? this.renderRaceChart(race) : nothing}`;
  }

  private renderRaceChart(race: RaceEntry[]) {
    const all = race.flatMap((e) => e.history.map((h) => h.trainLoss)).filter(Number.isFinite);
    const epochs = Math.max(1, ...race.map((e) => e.history.length));
    const max = Math.max(...all, 1e-9);
    const label = race.map((e) => `${e.optimizer}: final train loss ${e.history.at(-1)?.trainLoss.toFixed(4) ?? 'n/a'}`).join('; ');
    return html` <svg viewBox="0 0 300 140" preserveAspectRatio="none" role="img" aria-label=${`Train loss per epoch. ${label}`} data-testid="race-chart">
        ${race.map(
          (e, i) => svg`<polyline stroke=${PALETTE[i % PALETTE.length]!}
          points=${e.history.map((h, k) => `${(k / Math.max(1, epochs - 1)) * 300},${136 - (Math.min(h.trainLoss, max) / max) * 132}`).join(' ')} />`,
        )}
      </svg>
      <div class="legend">
        ${race.map((e, i) => html`<span style=${`color:${PALETTE[i % PALETTE.length]}`}>━ ${e.optimizer}${e.lost ? ' (lost)' : ''}</span>`)}
      </div>
      ${lostNote('race-lost', raceLost(race))}`;
  }

  override render() {
    const r = this.running;
    return html` ${this.renderCv()}${this.renderEnsemble()}${this.renderRace()}
    ${
      r
        ? html`<p role="status" data-testid="multi-run-status">
            Training ${r.job === 'cv' ? 'fold' : r.job === 'ensemble' ? 'member' : 'run'} ${Math.min(r.done + 1, r.total)} of ${r.total}…
            <button data-testid="cancel-job" @click=${() => emit(this, 'sp-cancel-job', null)}>Cancel</button>
          </p>`
        : nothing
    }
    ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-multi-run': SpMultiRun;
  }
}
