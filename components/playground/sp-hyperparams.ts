import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_EXPERIMENT, MAX_CPU_WORKERS, type BackendChoice, type ExperimentConfig } from '../../src/config/experiment.ts';
import { autoCpuWorkers } from '../../src/cpu/cpu-pool.ts';
import { OPTIMIZERS, type OptimizerConfig, type OptimizerKind } from '../../src/nn/optimizer.ts';
import { baseStyles, formStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import {
  canonical,
  LR_LOG_MAX,
  LR_LOG_MIN,
  OPTIMIZER_NUMBERS,
  problem,
  RULES,
  sliderRate,
  withoutLiveFields,
  type NumberField,
  type OptimizerNumber,
  type ScheduleNumber,
} from './hyperparam-rules.ts';

const OPTIMIZER_LABELS: Record<OptimizerKind, string> = { sgd: 'SGD', momentum: 'Momentum', adam: 'Adam', adamw: 'AdamW' };
const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: 'Auto (the faster, by a timed trial)',
  webgpu: 'WebGPU',
  cpu: 'CPU',
  reference: 'CPU reference (float64, slow)',
};

/**
 * Optimizer and schedule settings of an experiment. Emits `sp-config-change` with
 * `{ config, live }`: `live` is true when only hyperparameters the engine can swap between steps
 * changed (learning rate, momentum, betas, ε, L1/L2, weight decay), false when the model must be
 * rebuilt. Values out of bounds show a message next to their field and are not emitted.
 */
@customElement('sp-hyperparams')
export class SpHyperparams extends LitElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      :host {
        display: block;
      }
      input[type='number'] {
        width: 8em;
      }
      input[type='range'] {
        flex: 1;
        min-width: 8em;
      }
      details {
        grid-column: 1 / -1;
      }
      details .grid {
        margin-top: 6px;
      }
      .error {
        flex-basis: 100%;
        margin: 0;
        font-size: 0.9em;
      }
    `,
  ];

  /** The experiment being edited; never mutated, edits are emitted as a new object. */
  @property({ attribute: false }) config: ExperimentConfig = DEFAULT_EXPERIMENT;

  /** What the user typed per field while it is rejected (or mid-drag for the rate slider). */
  @state() private drafts = new Map<NumberField, { text: string; message: string | null }>();
  /** The batch size to go back to when "full batch" is unticked. */
  private lastBatch = typeof DEFAULT_EXPERIMENT.batchSize === 'number' ? DEFAULT_EXPERIMENT.batchSize : 32;

  override willUpdate(changed: Map<string, unknown>): void {
    if (!changed.has('config')) return;
    if (typeof this.config.batchSize === 'number') this.lastBatch = this.config.batchSize;
    const before = changed.get('config') as ExperimentConfig | undefined;
    if (!before || this.drafts.size === 0) return;
    // A draft survives edits of other fields but yields to a new value of its own field.
    const kept = new Map([...this.drafts].filter(([f]) => this.fieldValue(before, f) === this.fieldValue(this.config, f)));
    if (kept.size !== this.drafts.size) this.drafts = kept;
  }

  private fieldValue(cfg: ExperimentConfig, field: NumberField): number {
    if (OPTIMIZER_NUMBERS.has(field)) return cfg.optimizer[field as OptimizerNumber];
    if (field === 'batchSize') return cfg.batchSize === 'full' ? this.lastBatch : cfg.batchSize;
    return cfg[field as Exclude<ScheduleNumber, 'batchSize'>];
  }

  private emit(next: ExperimentConfig): void {
    if (canonical(next) === canonical(this.config)) return;
    const live = canonical(withoutLiveFields(next)) === canonical(withoutLiveFields(this.config));
    emit(this, 'sp-config-change', { config: next, live });
  }

  private setDraft(field: NumberField, text: string, message: string | null): void {
    this.drafts = new Map(this.drafts).set(field, { text, message });
  }

  private commit(field: NumberField, text: string): void {
    let message = problem(RULES[field], text);
    const v = Number(text);
    const next: ExperimentConfig = OPTIMIZER_NUMBERS.has(field)
      ? { ...this.config, optimizer: { ...this.config.optimizer, [field]: v } }
      : { ...this.config, [field]: v };
    if (!message && next.validationSplit + next.testSplit >= 1) {
      message = 'Validation and test splits together must leave rows for training.';
    }
    if (message) {
      this.setDraft(field, text, message);
      return;
    }
    const rest = new Map(this.drafts);
    rest.delete(field);
    this.drafts = rest;
    this.emit(next);
  }

  private patchOptimizer(patch: Partial<OptimizerConfig>): void {
    this.emit({ ...this.config, optimizer: { ...this.config.optimizer, ...patch } });
  }

  private onFullBatch(e: Event): void {
    this.emit({ ...this.config, batchSize: (e.target as HTMLInputElement).checked ? 'full' : this.lastBatch });
  }

  private newSeed(): void {
    // UI only: proposes a seed the user sees; everything seeded still flows from config.seed.
    this.commit('seed', String(Math.floor(Math.random() * 2 ** 32) >>> 0));
  }

  private numberInput(field: NumberField, opts: { step?: string; disabled?: boolean } = {}) {
    const rule = RULES[field];
    const draft = this.drafts.get(field);
    const errId = `err-${field}`;
    return html`
      <input
        id=${`f-${field}`}
        type="number"
        data-testid=${rule.testid}
        min=${rule.min}
        max=${rule.max}
        .step=${opts.step ?? (rule.integer ? '1' : 'any')}
        ?disabled=${opts.disabled ?? false}
        aria-invalid=${draft?.message ? 'true' : 'false'}
        aria-describedby=${ifDefined(draft?.message ? errId : undefined)}
        .value=${live(draft ? draft.text : String(this.fieldValue(this.config, field)))}
        @change=${(e: Event) => this.commit(field, (e.target as HTMLInputElement).value)}
      />
      ${draft?.message ? html`<p class="error" id=${errId} role="alert">${draft.message}</p>` : nothing}
    `;
  }

  private row(field: NumberField, extra: unknown = nothing) {
    return html`<label for=${`f-${field}`}>${RULES[field].label}</label>
      <div class="field">${this.numberInput(field)}${extra}</div>`;
  }

  private renderLearningRate() {
    const draft = this.drafts.get('learningRate');
    const shown = draft && !draft.message ? Number(draft.text) : this.config.optimizer.learningRate;
    const position = Math.min(LR_LOG_MAX, Math.max(LR_LOG_MIN, Math.log10(shown > 0 ? shown : 1e-5)));
    return this.row(
      'learningRate',
      html` <input
        type="range"
        data-testid="lr-slider"
        aria-label="Learning rate (log scale)"
        min=${LR_LOG_MIN}
        max=${LR_LOG_MAX}
        step="0.01"
        .value=${live(String(position))}
        aria-valuetext=${String(shown)}
        @input=${(e: Event) => this.setDraft('learningRate', String(sliderRate(Number((e.target as HTMLInputElement).value))), null)}
        @change=${(e: Event) => this.commit('learningRate', String(sliderRate(Number((e.target as HTMLInputElement).value))))}
      />`,
    );
  }

  private renderOptimizer() {
    const opt = this.config.optimizer;
    const adam = opt.kind === 'adam' || opt.kind === 'adamw';
    return html`
      <label for="f-kind">Optimizer</label>
      <div class="field">
        <select
          id="f-kind"
          data-testid="optimizer"
          @change=${(e: Event) => this.patchOptimizer({ kind: (e.target as HTMLSelectElement).value as OptimizerKind })}
        >
          ${OPTIMIZERS.map((k) => html`<option value=${k} .selected=${k === opt.kind}>${OPTIMIZER_LABELS[k]}</option>`)}
        </select>
      </div>
      ${this.renderLearningRate()}
      ${
        opt.kind === 'momentum'
          ? this.row(
              'momentum',
              html`<label
                ><input
                  type="checkbox"
                  data-testid="nesterov"
                  .checked=${live(opt.nesterov)}
                  @change=${(e: Event) => this.patchOptimizer({ nesterov: (e.target as HTMLInputElement).checked })}
                />
                Nesterov</label
              >`,
            )
          : nothing
      }
      ${opt.kind === 'adamw' ? this.row('weightDecay') : nothing}
      ${
        adam
          ? html`<details data-testid="advanced">
              <summary>Advanced</summary>
              <div class="grid">${this.row('beta1')}${this.row('beta2')}${this.row('epsilon')}</div>
            </details>`
          : nothing
      }
    `;
  }

  private renderSchedule() {
    const full = this.config.batchSize === 'full';
    return html`
      <label for="f-batchSize">Batch size</label>
      <div class="field">
        ${this.numberInput('batchSize', { disabled: full })}
        <label><input type="checkbox" data-testid="full-batch" .checked=${live(full)} @change=${(e: Event) => this.onFullBatch(e)} /> Full batch</label>
      </div>
      ${this.row('epochs')}${this.row('validationSplit')}${this.row('testSplit')}
      ${this.row('seed', html`<button data-testid="new-seed" @click=${() => this.newSeed()}>New seed</button>`)}
      <label for="f-backend">Backend</label>
      <div class="field">
        <select
          id="f-backend"
          data-testid="backend-choice"
          @change=${(e: Event) => this.emit({ ...this.config, backend: (e.target as HTMLSelectElement).value as BackendChoice })}
        >
          ${(['auto', 'webgpu', 'cpu', 'reference'] as const).map((b) => html`<option value=${b} .selected=${b === this.config.backend}>${BACKEND_LABELS[b]}</option>`)}
        </select>
        <button
          data-testid="forget-trials"
          title="Auto remembers its timed trial per GPU adapter and network in this browser; forget it so the next build times both backends again"
          @click=${() => emit(this, 'sp-forget-trials', null)}
        >
          Forget Auto's trials
        </button>
      </div>
      ${this.renderCpuWorkers()}
    `;
  }

  /** How many CPU workers a job of several models (a sweep, an ensemble, k-fold) spreads over. */
  private renderCpuWorkers() {
    const chosen = this.config.cpuWorkers;
    const counts = Array.from({ length: MAX_CPU_WORKERS }, (_, i) => i + 1);
    const pick = (value: string) => {
      const next = { ...this.config };
      if (value === 'auto') delete next.cpuWorkers;
      else next.cpuWorkers = Number(value);
      this.emit(next);
    };
    return html`
      <label for="f-cpuWorkers">CPU workers</label>
      <div class="field">
        <select
          id="f-cpuWorkers"
          data-testid="cpu-workers"
          title="Sweeps, ensembles, k-fold and races on the CPU train their models on this many threads at once: the engine's worker and the rest in a pool (1: all on the engine's one worker); the results are the same bits"
          @change=${(e: Event) => pick((e.target as HTMLSelectElement).value)}
        >
          <option value="auto" .selected=${chosen === undefined}>Auto (${autoCpuWorkers()}, one per core)</option>
          ${counts.map((n) => html`<option value=${n} .selected=${chosen === n}>${n}</option>`)}
        </select>
      </div>
    `;
  }

  override render() {
    return html`<div class="grid" role="group" aria-label="Hyperparameters">${this.renderOptimizer()}${this.renderSchedule()}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-hyperparams': SpHyperparams;
  }
}
