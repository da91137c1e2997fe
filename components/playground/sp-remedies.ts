import { css, html, LitElement, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, remediesOf, validateRemedies, type ExperimentConfig, type RemediesConfig } from '../../src/config/experiment.ts';
import { validateOptimizer } from '../../src/nn/optimizer.ts';
import { AUGMENT_LIMITS, type AugmentRanges } from '../../src/data/augment.ts';
import { scheduleCurve } from '../../src/train/lr-schedule.ts';
import type { LrSchedule, ResampleMode } from '../../src/worker/api.ts';
import { baseStyles, formStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

const RESAMPLE_LABELS: Record<ResampleMode, string> = { none: 'None', oversample: 'Random oversampling', undersample: 'Random undersampling' };
const DEFAULT_STEP: LrSchedule = { kind: 'step', every: 50, factor: 0.5 };
/**
 * GAN iterations when GAN oversampling is switched on: about 40 s of model building on a software
 * adapter (0.13 s per iteration there), seconds on a GPU.
 */
const DEFAULT_GAN_ITERATIONS = 300;
/** The article's two penalties on the weights, as the optimizer applies them (see OptimizerConfig). */
const REGULARIZERS = [
  { key: 'l1', label: 'L1 strength', testid: 'l1' },
  { key: 'l2', label: 'L2 strength', testid: 'l2' },
] as const;
/** Ranges that keep an MNIST digit recognizable. */
const DEFAULT_IMAGE_AUGMENT: AugmentRanges = { maxShift: 2, maxAngleDeg: 10, maxZoom: 0.1 };

/**
 * The "make it overfit" preset: few training rows (a large validation split), a big network,
 * no regularization and no remedies, so the gap between training and validation loss shows.
 */
export function overfitPreset(cfg: ExperimentConfig): ExperimentConfig {
  const toy = cfg.dataset.name !== 'iris' && cfg.dataset.name !== 'csv';
  return {
    ...cfg,
    dataset: toy ? { ...cfg.dataset, noise: Math.max(cfg.dataset.noise, 0.3) } : cfg.dataset,
    hidden: [256, 256, 256].map((units) => ({ units, activation: 'relu' as const })),
    optimizer: { ...cfg.optimizer, kind: 'adam', learningRate: 0.003, l1: 0, l2: 0, weightDecay: 0 },
    batchSize: 'full',
    epochs: 400,
    validationSplit: 0.7,
    testSplit: 0.1,
    remedies: DEFAULT_REMEDIES,
  };
}

/**
 * Remedies against overfitting and class imbalance: L1 and L2 regularization, class weights,
 * resampling, early stopping, a learning-rate schedule (with its curve), jitter for 2-D sets or
 * shift/rotate/zoom for images, dropout per layer, and the "make it overfit" preset. Emits
 * `sp-config-change` with `{ config, live }`: L1 and L2 change live (`live: true`, like the
 * learning rate), every other remedy rebuilds the model (`live: false`). A value that fails
 * validation shows a message and is not emitted.
 */
@customElement('sp-remedies')
export class SpRemedies extends LitElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      :host {
        display: block;
      }
      input[type='number'] {
        width: 6em;
      }
      .wide {
        width: 10em;
      }
      svg {
        width: 100%;
        height: 60px;
        grid-column: 1 / -1;
      }
      polyline {
        fill: none;
        stroke: var(--sp-accent);
        stroke-width: 2;
      }
      .full {
        grid-column: 1 / -1;
      }
      .error {
        margin: 0;
        font-size: 0.9em;
      }
      fieldset {
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        margin: 0 0 4px;
        padding: 4px 10px 8px;
        min-width: 0;
      }
      legend {
        padding: 0 4px;
        font-weight: 600;
      }
      .help {
        margin: 6px 0 0;
        font-size: 0.9em;
      }
    `,
  ];

  /** The experiment being edited; never mutated. */
  @property({ attribute: false }) config: ExperimentConfig = DEFAULT_EXPERIMENT;
  @state() private message: string | null = null;

  private get remedies(): RemediesConfig {
    return remediesOf(this.config);
  }

  private emitConfig(config: ExperimentConfig): void {
    emit(this, 'sp-config-change', { config, live: false });
  }

  private patch(patch: Partial<RemediesConfig>): void {
    const next = { ...this.remedies, ...patch };
    try {
      validateRemedies(next, this.config.hidden.length);
    } catch (e) {
      this.message = (e as Error).message;
      this.requestUpdate();
      return;
    }
    this.message = null;
    this.emitConfig({ ...this.config, remedies: next });
  }

  /** L1 or L2 strength: checked like every optimizer field, then applied live without a rebuild. */
  private setRegularization(key: 'l1' | 'l2', value: number): void {
    const optimizer = { ...this.config.optimizer, [key]: value };
    try {
      validateOptimizer(optimizer);
    } catch (e) {
      const label = REGULARIZERS.find((r) => r.key === key)!.label;
      this.message = `${label} ${(e as Error).message.replace(/^optimizer\.\w+: /, '')}.`;
      this.requestUpdate();
      return;
    }
    this.message = null;
    emit(this, 'sp-config-change', { config: { ...this.config, optimizer }, live: true });
  }

  /** The "Regularization" group: penalties on the weights that change live while training runs. */
  private renderRegularization() {
    const o = this.config.optimizer;
    return html`<fieldset class="full" data-testid="regularization">
      <legend>Regularization</legend>
      <div class="grid">
        ${REGULARIZERS.map(
          (r) =>
            html` <label for=${`r-${r.key}`}>${r.label}</label>
              <div class="field">
                <input
                  id=${`r-${r.key}`}
                  type="number"
                  min="0"
                  max="10"
                  .step=${'any'}
                  data-testid=${r.testid}
                  aria-describedby="r-reg-help"
                  .value=${live(String(o[r.key]))}
                  @change=${(e: Event) => this.setRegularization(r.key, this.num(e))}
                />
              </div>`,
        )}
      </div>
      <p id="r-reg-help" class="muted help">
        L1 adds λ·Σ|w| to the loss and drives unhelpful weights to exactly zero; L2 adds λ/2·Σw² and keeps every weight small. Weights only, never biases; both
        change live.
      </p>
    </fieldset>`;
  }

  private num(e: Event): number {
    const text = (e.target as HTMLInputElement).value;
    return text.trim() === '' ? NaN : Number(text);
  }

  private renderClassWeights() {
    const cw = this.remedies.classWeights;
    const mode = Array.isArray(cw) ? 'manual' : cw;
    const onMode = (e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      this.patch({ classWeights: v === 'manual' ? [1, 1] : (v as 'none' | 'balanced') });
    };
    return html` <label for="r-cw">Class weights</label>
      <div class="field">
        <select id="r-cw" data-testid="class-weights" @change=${onMode}>
          ${(['none', 'balanced', 'manual'] as const).map((m) => html`<option value=${m} .selected=${m === mode}>${m[0]!.toUpperCase() + m.slice(1)}</option>`)}
        </select>
        ${
          Array.isArray(cw)
            ? html`<input
                class="wide"
                data-testid="class-weights-manual"
                aria-label="Class weights, one per class, comma-separated"
                .value=${live(cw.join(','))}
                @change=${(e: Event) => this.patch({ classWeights: (e.target as HTMLInputElement).value.split(',').map((v) => (v.trim() === '' ? NaN : Number(v))) })}
              />`
            : nothing
        }
      </div>
      <label for="r-rs">Resampling</label>
      <div class="field">
        <select id="r-rs" data-testid="resample" @change=${(e: Event) => this.patch({ resample: (e.target as HTMLSelectElement).value as ResampleMode })}>
          ${(Object.keys(RESAMPLE_LABELS) as ResampleMode[]).map((m) => html`<option value=${m} .selected=${m === this.remedies.resample}>${RESAMPLE_LABELS[m]}</option>`)}
        </select>
      </div>`;
  }

  private renderEarlyStopping() {
    const es = this.remedies.earlyStopping;
    const on = (e: Event) =>
      this.patch({
        earlyStopping: (e.target as HTMLInputElement).checked ? { monitor: 'validation_loss', patience: 10, minDelta: 0, restoreBest: true } : null,
      });
    return html` <label for="r-es">Early stopping</label>
      <div class="field">
        <input id="r-es" type="checkbox" data-testid="early-stopping" .checked=${live(es !== null)} @change=${on} />
        <span class="muted">restores the best epoch's weights</span>
      </div>
      ${
        es
          ? html`<label for="r-es-monitor">Monitor</label>
              <div class="field">
                <select
                  id="r-es-monitor"
                  data-testid="es-monitor"
                  @change=${(e: Event) => this.patch({ earlyStopping: { ...es, monitor: (e.target as HTMLSelectElement).value as typeof es.monitor } })}
                >
                  <option value="validation_loss" .selected=${es.monitor === 'validation_loss'}>Validation loss</option>
                  <option value="validation_accuracy" .selected=${es.monitor === 'validation_accuracy'}>Validation accuracy</option>
                </select>
              </div>
              <label for="r-es-patience">Patience (epochs)</label>
              <div class="field">
                <input
                  id="r-es-patience"
                  type="number"
                  min="0"
                  step="1"
                  data-testid="es-patience"
                  .value=${live(String(es.patience))}
                  @change=${(e: Event) => this.patch({ earlyStopping: { ...es, patience: this.num(e) } })}
                />
              </div>
              <label for="r-es-delta">Min delta</label>
              <div class="field">
                <input
                  id="r-es-delta"
                  type="number"
                  min="0"
                  .step=${'any'}
                  data-testid="es-min-delta"
                  .value=${live(String(es.minDelta))}
                  @change=${(e: Event) => this.patch({ earlyStopping: { ...es, minDelta: this.num(e) } })}
                />
              </div>`
          : nothing
      }`;
  }

  private renderSchedule() {
    const s = this.remedies.lrSchedule;
    const onKind = (e: Event) => {
      const kind = (e.target as HTMLSelectElement).value;
      this.patch({
        lrSchedule: kind === 'step' ? DEFAULT_STEP : kind === 'cosine' ? { kind: 'cosine', epochs: this.config.epochs, floor: 0 } : { kind: 'constant' },
      });
    };
    const field = (id: string, label: string, value: number, set: (v: number) => LrSchedule) =>
      html` <label for=${id}>${label}</label>
        <div class="field">
          <input
            id=${id}
            type="number"
            .step=${'any'}
            data-testid=${id.slice(2)}
            .value=${live(String(value))}
            @change=${(e: Event) => this.patch({ lrSchedule: set(this.num(e)) })}
          />
        </div>`;
    return html` <label for="r-lrs">Learning-rate schedule</label>
      <div class="field">
        <select id="r-lrs" data-testid="lr-schedule" @change=${onKind}>
          ${(['constant', 'step', 'cosine'] as const).map((k) => html`<option value=${k} .selected=${k === s.kind}>${k[0]!.toUpperCase() + k.slice(1)}</option>`)}
        </select>
      </div>
      ${
        s.kind === 'step'
          ? html`${field('r-lr-every', 'Every (epochs)', s.every, (v) => ({ ...s, every: v }))}${field('r-lr-factor', 'Factor', s.factor, (v) => ({ ...s, factor: v }))}`
          : nothing
      }
      ${
        s.kind === 'cosine'
          ? html`${field('r-lr-cosine-epochs', 'Over (epochs)', s.epochs, (v) => ({ ...s, epochs: v }))}${field('r-lr-floor', 'Floor (× base)', s.floor, (v) => ({ ...s, floor: v }))}`
          : nothing
      }
      ${this.renderCurve(s)}`;
  }

  /** A small line of the rate per epoch over the configured epochs. */
  private renderCurve(s: LrSchedule) {
    const base = this.config.optimizer.learningRate;
    const epochs = this.config.epochs;
    let curve: number[];
    try {
      curve = scheduleCurve(s, base, epochs);
    } catch {
      return nothing;
    }
    const max = Math.max(...curve);
    const points = curve.map((r, e) => `${(e / Math.max(1, epochs - 1)) * 200},${58 - (r / max) * 54}`).join(' ');
    const label = `Learning rate per epoch: ${curve[0]!.toPrecision(3)} at epoch 1, ${curve.at(-1)!.toPrecision(3)} at epoch ${epochs}`;
    return svg`<svg viewBox="0 0 200 60" preserveAspectRatio="none" role="img" aria-label=${label} data-testid="lr-curve"><polyline points=${points} /></svg>`;
  }

  private renderAugmentation() {
    const r = this.remedies;
    const layers = this.config.hidden;
    return html` ${
      this.config.dataset.name === 'mnist' || r.imageAugment
        ? this.renderImageAugment()
        : html` <label for="r-jitter">Input jitter σ</label>
            <div class="field">
              <input
                id="r-jitter"
                type="number"
                min="0"
                max="1"
                step="0.01"
                data-testid="jitter"
                .value=${live(String(r.jitter))}
                @change=${(e: Event) => this.patch({ jitter: this.num(e) })}
              />
            </div>`
    }
    ${layers.map(
      (l, i) =>
        html` <label for=${`r-drop-${i}`}>Dropout, layer ${i + 1} (${l.units})</label>
          <div class="field">
            <input
              id=${`r-drop-${i}`}
              type="number"
              min="0"
              max="0.95"
              step="0.05"
              data-testid=${`dropout-${i}`}
              .value=${live(String(r.dropout[i] ?? 0))}
              @change=${(e: Event) => this.setDropout(i, this.num(e))}
            />
          </div>`,
    )}`;
  }

  /** Shift, rotation and zoom ranges of the per-batch image augmentation. */
  private renderImageAugment() {
    const a = this.remedies.imageAugment;
    const on = (e: Event) => this.patch({ imageAugment: (e.target as HTMLInputElement).checked ? { ...DEFAULT_IMAGE_AUGMENT } : null });
    const field = (key: keyof AugmentRanges, label: string, step: string) =>
      html` <label for=${`r-aug-${key}`}>${label}</label>
        <div class="field">
          <input
            id=${`r-aug-${key}`}
            type="number"
            min="0"
            max=${AUGMENT_LIMITS[key]}
            .step=${step}
            data-testid=${`augment-${key}`}
            .value=${live(String(a![key]))}
            @change=${(e: Event) => this.patch({ imageAugment: { ...a!, [key]: this.num(e) } })}
          />
        </div>`;
    return html` <label for="r-aug">Augment images</label>
      <div class="field">
        <input id="r-aug" type="checkbox" data-testid="image-augment" .checked=${live(a !== null)} @change=${on} />
        <span class="muted">fresh random shifts, rotations and zoom every batch, on the GPU</span>
      </div>
      ${a ? html`${field('maxShift', 'Shift up to (px)', '0.5')}${field('maxAngleDeg', 'Rotate up to (°)', '1')}${field('maxZoom', 'Zoom up to (±)', '0.01')}` : nothing}
      ${this.renderGanOversample()}`;
  }

  /** Oversampling the minority class with a GAN trained on its training images. */
  private renderGanOversample() {
    const g = this.remedies.ganOversample;
    const on = (e: Event) => this.patch({ ganOversample: (e.target as HTMLInputElement).checked ? { iterations: DEFAULT_GAN_ITERATIONS } : null });
    return html` <label for="r-gan">GAN oversampling</label>
      <div class="field">
        <input id="r-gan" type="checkbox" data-testid="gan-oversample" .checked=${live(g !== null)} @change=${on} />
        <span class="muted">fill the smallest class with digits from a GAN trained on it</span>
      </div>
      ${
        g
          ? html`<label for="r-gan-iterations">GAN iterations</label>
              <div class="field">
                <input
                  id="r-gan-iterations"
                  type="number"
                  min="1"
                  max="20000"
                  step="100"
                  data-testid="gan-iterations"
                  .value=${live(String(g.iterations))}
                  @change=${(e: Event) => this.patch({ ganOversample: { iterations: this.num(e) } })}
                />
              </div>`
          : nothing
      }`;
  }

  private setDropout(layer: number, rate: number): void {
    const rates = Array.from({ length: this.config.hidden.length }, (_, i) => (i === layer ? rate : (this.remedies.dropout[i] ?? 0)));
    this.patch({ dropout: rates.every((p) => p === 0) ? [] : rates });
  }

  override render() {
    return html`<div class="grid" role="group" aria-label="Remedies">
      ${this.renderRegularization()}${this.renderClassWeights()}${this.renderEarlyStopping()}${this.renderSchedule()}${this.renderAugmentation()}
      <div class="full field">
        <button data-testid="overfit-preset" @click=${() => this.emitConfig(overfitPreset(this.config))}>Make it overfit</button>
        <span class="muted">few training rows, a big network</span>
      </div>
      ${this.message ? html`<p class="error full" role="alert" data-testid="remedies-error">${this.message}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-remedies': SpRemedies;
  }
}
