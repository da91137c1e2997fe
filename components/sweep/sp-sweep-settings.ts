import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_SWEEP, SWEEP_LIMITS, sweepSize, type SweepConfig, type SweepRange } from '../../src/config/sweep.ts';
import { OPTIMIZERS, type OptimizerKind } from '../../src/nn/optimizer.ts';
import { listText, num, OPTIMIZER_LABELS, parseList, patched, RANGE_NOTES, startOf, type RangeParam } from './sweep-draft.ts';
import { PARAM_LABELS, paramNoun } from './sweep-format.ts';
import { halvingFields, halvingStart } from './sweep-halving-form.ts';
import { sweepSettingsStyles } from './sweep-settings-styles.ts';
import { baseStyles, formStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** A rejected sweep setting: the field ConfigError named (`sweep.lr`, `sweep.budget`, `sweep`) and its message. */
export interface SweepFieldError {
  field: string;
  message: string;
}

/**
 * The sweep's settings form: grid, random search or successive halving (with η, the minimum
 * budget and the plan in words, against the experiment's `epochs`), budget, the random-search seed, the metric
 * that picks the best, seed replicates, and per hyperparameter a "vary" checkbox with its range
 * (from, to, steps), its list (batch sizes) or its choices (optimizers), plus the live model
 * count. It shows `draft` as it is, valid or not, with `error` beside the field it names, and
 * reports every edit as `sp-sweep-edit` {sweep} (not composed: <sp-sweep> validates it).
 * A range unticked and ticked again comes back as it was.
 */
@customElement('sp-sweep-settings')
export class SpSweepSettings extends LitElement {
  static override styles = [baseStyles, formStyles, sweepSettingsStyles];

  /** The settings as edited, possibly invalid. */
  @property({ attribute: false }) draft: SweepConfig = DEFAULT_SWEEP;
  /** The first problem with `draft`, or null. */
  @property({ attribute: false }) error: SweepFieldError | null = null;
  /** Locks every control (while a sweep runs). */
  @property({ type: Boolean }) disabled = false;
  /** The experiment is a regression: there is no accuracy to pick the best by. */
  @property({ type: Boolean }) regression = false;
  /** The experiment's epochs: successive halving's last rung, and the full grid's budget per model. */
  @property({ type: Number }) epochs = 100;

  /** Last range or list of each hyperparameter, so unticking "vary" loses nothing. */
  private remembered: Partial<Pick<SweepConfig, RangeParam | 'batch' | 'optimizer'>> = {};
  /** η and the minimum budget as last set, so leaving halving and coming back loses nothing. */
  private rememberedHalving: Pick<SweepConfig, 'eta' | 'minEpochs'> = {};
  /** The batch-size list as last typed, so a rejected entry is shown as typed, not reformatted. */
  private typedBatch: string | null = null;

  private edit(patch: Partial<SweepConfig>): void {
    emit(this, 'sp-sweep-edit', { sweep: patched(this.draft, patch) }, { bubbles: false });
  }

  /** Halving brings its η and minimum budget (kept from last time); other modes drop them, as validation requires. */
  private onMode(mode: SweepConfig['mode']): void {
    const start = halvingStart(this.epochs);
    const kept = this.rememberedHalving;
    if (mode === 'halving') this.edit({ mode, eta: kept.eta ?? start.eta, minEpochs: kept.minEpochs ?? start.minEpochs });
    else {
      if (this.draft.mode === 'halving') this.rememberedHalving = { eta: this.draft.eta, minEpochs: this.draft.minEpochs };
      this.edit({ mode, eta: undefined, minEpochs: undefined });
    }
  }

  private vary(param: RangeParam | 'batch' | 'optimizer', on: boolean): void {
    if (!on) {
      this.remembered = { ...this.remembered, [param]: this.draft[param] };
      this.edit({ [param]: undefined });
      return;
    }
    this.edit({ [param]: this.remembered[param] ?? startOf(param) });
  }

  /** The error message beside `field`, and the attributes its inputs need. */
  private errorFor(field: string) {
    const e = this.error?.field === field ? this.error : null;
    const id = `err-${field.replace('.', '-')}`;
    return {
      invalid: e ? ('true' as const) : ('false' as const),
      describedBy: e ? id : undefined,
      message: e ? html`<p class="error" id=${id} role="alert" data-testid="sweep-error">${e.message}</p>` : nothing,
    };
  }

  private numberField(
    id: string,
    label: string,
    value: number,
    field: string,
    onChange: (v: number) => void,
    attrs: { min?: number; max?: number; step?: string } = {},
  ) {
    const err = this.errorFor(field);
    return html`<label for=${id}>${label}</label>
      <div class="field">
        <input
          id=${id}
          type="number"
          data-testid=${id}
          min=${ifDefined(attrs.min)}
          max=${ifDefined(attrs.max)}
          .step=${attrs.step ?? '1'}
          aria-invalid=${err.invalid}
          aria-describedby=${ifDefined(err.describedBy)}
          .value=${live(Number.isNaN(value) ? '' : String(value))}
          @change=${(e: Event) => onChange(num((e.target as HTMLInputElement).value))}
        />
        ${err.message}
      </div>`;
  }

  private renderGeneral() {
    const s = this.draft;
    const size = sweepSize(s);
    return html` <label for="sweep-mode">Search</label>
      <div class="field">
        <select id="sweep-mode" data-testid="sweep-mode" @change=${(e: Event) => this.onMode((e.target as HTMLSelectElement).value as SweepConfig['mode'])}>
          <option value="grid" .selected=${s.mode === 'grid'}>Grid: every combination</option>
          <option value="random" .selected=${s.mode === 'random'}>Random: seeded draws within the ranges</option>
          <option value="halving" .selected=${s.mode === 'halving'}>Successive halving: prune the worst at each rung</option>
        </select>
        ${this.errorFor('sweep.mode').message}
      </div>
      ${halvingFields(
        s,
        this.epochs,
        (...args) => this.numberField(...args),
        (patch) => this.edit(patch),
      )}
      ${this.numberField('sweep-budget', `Budget (models, at most ${SWEEP_LIMITS.maxModels})`, s.budget, 'sweep.budget', (v) => this.edit({ budget: v }), { min: 1, max: SWEEP_LIMITS.maxModels })}
      ${this.numberField('sweep-replicates', 'Seeds per configuration', s.replicates, 'sweep.replicates', (v) => this.edit({ replicates: v }), { min: 1, max: SWEEP_LIMITS.maxReplicates })}
      ${this.numberField('sweep-seed', 'Random-search seed', s.seed, 'sweep.seed', (v) => this.edit({ seed: v }), { min: 0, max: 0xffffffff })}
      <label for="sweep-metric">Pick the best by</label>
      <div class="field">
        <select
          id="sweep-metric"
          data-testid="sweep-metric"
          @change=${(e: Event) => this.edit({ metric: (e.target as HTMLSelectElement).value as SweepConfig['metric'] })}
        >
          <option value="accuracy" .selected=${s.metric === 'accuracy'} ?disabled=${this.regression}>
            Validation accuracy (highest)${this.regression ? ': not for regression' : ''}
          </option>
          <option value="loss" .selected=${s.metric === 'loss'}>Validation loss (lowest)</option>
        </select>
        ${this.errorFor('sweep.metric').message}
      </div>
      <span>Size</span>
      <div class="field">
        <span class="count" data-testid="sweep-size" aria-live="polite">${size} ${size === 1 ? 'model' : 'models'}</span>
        <span class="muted"
          >${s.mode !== 'random' ? `configurations × ${s.replicates} ${s.replicates === 1 ? 'seed' : 'seeds'}` : `${Math.floor(s.budget / Math.max(1, s.replicates))} draws × ${s.replicates} ${s.replicates === 1 ? 'seed' : 'seeds'}`}</span
        >
      </div>`;
  }

  private renderRange(param: RangeParam) {
    const r = this.draft[param];
    const label = PARAM_LABELS[param];
    const field = `sweep.${param}`;
    const err = this.errorFor(field);
    const input = (part: keyof SweepRange, text: string, step: string) =>
      html`<label
        >${text}
        <input
          type="number"
          data-testid=${`sweep-${param}-${part}`}
          .step=${step}
          aria-invalid=${err.invalid}
          aria-describedby=${ifDefined(err.describedBy)}
          .value=${live(r && !Number.isNaN(r[part]) ? String(r[part]) : '')}
          @change=${(e: Event) => this.edit({ [param]: { ...r!, [part]: num((e.target as HTMLInputElement).value) } })}
      /></label>`;
    return html` <label
        ><input
          type="checkbox"
          data-testid=${`sweep-vary-${param}`}
          .checked=${live(r !== undefined)}
          @change=${(e: Event) => this.vary(param, (e.target as HTMLInputElement).checked)}
        />
        Vary ${paramNoun(param)}</label
      >
      <div class="field" role="group" aria-label=${`${label} range`}>
        ${
          r
            ? html`${input('min', 'from', 'any')}${input('max', 'to', 'any')}${this.draft.mode === 'grid' ? input('steps', 'steps', '1') : nothing}
                <span class="muted">${RANGE_NOTES[this.draft.mode][param] ?? (this.draft.mode === 'grid' ? 'evenly spaced' : 'uniform draws')}</span>`
            : html`<span class="muted">not varied: the experiment's value</span>`
        }
        ${err.message}
      </div>`;
  }

  private renderBatch() {
    const b = this.draft.batch;
    const err = this.errorFor('sweep.batch');
    return html` <label
        ><input
          type="checkbox"
          data-testid="sweep-vary-batch"
          .checked=${live(b !== undefined)}
          @change=${(e: Event) => this.vary('batch', (e.target as HTMLInputElement).checked)}
        />
        Vary batch size</label
      >
      <div class="field">
        ${
          b
            ? html`<label
                  >sizes
                  <input
                    class="list"
                    data-testid="sweep-batch-list"
                    inputmode="numeric"
                    aria-invalid=${err.invalid}
                    aria-describedby=${ifDefined(err.describedBy)}
                    .value=${live(listText(this.typedBatch, b))}
                    @change=${(e: Event) => this.onBatchList((e.target as HTMLInputElement).value)}
                /></label>
                <span class="muted">comma-separated, e.g. 8, 32, 128</span>`
            : html`<span class="muted">not varied: the experiment's value</span>`
        }
        ${err.message}
      </div>`;
  }

  private onBatchList(text: string): void {
    this.typedBatch = text;
    this.edit({ batch: parseList(text) });
  }

  private renderOptimizers() {
    const o = this.draft.optimizer;
    const err = this.errorFor('sweep.optimizer');
    const toggle = (k: OptimizerKind, on: boolean) => this.edit({ optimizer: OPTIMIZERS.filter((x) => (x === k ? on : o!.includes(x))) });
    return html` <label
        ><input
          type="checkbox"
          data-testid="sweep-vary-optimizer"
          .checked=${live(o !== undefined)}
          @change=${(e: Event) => this.vary('optimizer', (e.target as HTMLInputElement).checked)}
        />
        Vary optimizer</label
      >
      <div class="field" role="group" aria-label="Optimizers to try">
        ${
          o
            ? OPTIMIZERS.map(
                (k) =>
                  html`<label
                    ><input
                      type="checkbox"
                      data-testid=${`sweep-opt-${k}`}
                      .checked=${live(o.includes(k))}
                      aria-describedby=${ifDefined(err.describedBy)}
                      @change=${(e: Event) => toggle(k, (e.target as HTMLInputElement).checked)}
                    />
                    ${OPTIMIZER_LABELS[k]}</label
                  >`,
              )
            : html`<span class="muted">not varied: the experiment's value</span>`
        }
        ${err.message}
      </div>`;
  }

  override render() {
    return html`<fieldset ?disabled=${this.disabled}>
      <div class="grid" role="group" aria-label="Sweep settings">${this.renderGeneral()}</div>
      <h3>What varies</h3>
      ${this.errorFor('sweep').message}
      <div class="grid" role="group" aria-label="Hyperparameters to vary">
        ${this.renderRange('lr')}${this.renderBatch()}${this.renderRange('epochs')}${this.renderRange('l2')}${this.renderRange('l1')}${this.renderRange('dropout')}${this.renderOptimizers()}
      </div>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-settings': SpSweepSettings;
  }
}
