// The remedies panel's groups against class imbalance (class weights, resampling, GAN
// oversampling) and overfitting (early stopping, the learning-rate schedule, jitter or image
// augmentation, dropout) as template functions. <sp-remedies> validates and emits; these draw the
// fields and hand each change to it.
import { html, nothing, svg } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { taskOf, type ExperimentConfig, type RemediesConfig } from '../../src/config/experiment.ts';
import { REGRESSION_OFF } from '../../src/config/task.ts';
import { AUGMENT_LIMITS, type AugmentRanges } from '../../src/data/augment.ts';
import { scheduleCurve } from '../../src/train/lr-schedule.ts';
import type { LrSchedule, ResampleMode } from '../../src/worker/api.ts';

const RESAMPLE_LABELS: Record<ResampleMode, string> = { none: 'None', oversample: 'Random oversampling', undersample: 'Random undersampling' };
const DEFAULT_STEP: LrSchedule = { kind: 'step', every: 50, factor: 0.5 };
/**
 * GAN iterations when GAN oversampling is switched on: about 40 s of model building on a software
 * adapter (0.13 s per iteration there), seconds on a GPU.
 */
const DEFAULT_GAN_ITERATIONS = 300;
/** Ranges that keep an MNIST digit recognizable. */
const DEFAULT_IMAGE_AUGMENT: AugmentRanges = { maxShift: 2, maxAngleDeg: 10, maxZoom: 0.1 };

/** What the groups read from <sp-remedies>, and where their changes go. */
export interface RemediesContext {
  config: ExperimentConfig;
  /** The experiment's remedies, defaults filled in. */
  remedies: RemediesConfig;
  /** Applies a change of the remedies: checked, then emitted as a rebuild, or refused with a message. */
  patch(patch: Partial<RemediesConfig>): void;
  /** Sets one hidden layer's dropout rate. */
  setDropout(layer: number, rate: number): void;
}

/** The number a field holds; NaN when it is empty, so validation refuses it rather than reading 0. */
export function numberOf(e: Event): number {
  const text = (e.target as HTMLInputElement).value;
  return text.trim() === '' ? NaN : Number(text);
}

/** Class imbalance: class weights (none, balanced or typed per class) and resampling. */
export function classImbalanceFields(c: RemediesContext) {
  const cw = c.remedies.classWeights;
  const mode = Array.isArray(cw) ? 'manual' : cw;
  const onMode = (e: Event) => {
    const v = (e.target as HTMLSelectElement).value;
    c.patch({ classWeights: v === 'manual' ? [1, 1] : (v as 'none' | 'balanced') });
  };
  // Regression has no classes to balance: the fields stay in view, disabled, with the reason.
  const off = taskOf(c.config) === 'regression';
  return html` <label for="r-cw">Class weights</label>
    <div class="field">
      <select id="r-cw" data-testid="class-weights" ?disabled=${off} aria-describedby=${off ? 'r-cw-off' : nothing} @change=${onMode}>
        ${(['none', 'balanced', 'manual'] as const).map((m) => html`<option value=${m} .selected=${m === mode}>${m[0]!.toUpperCase() + m.slice(1)}</option>`)}
      </select>
      ${
        Array.isArray(cw)
          ? html`<input
              class="wide"
              data-testid="class-weights-manual"
              aria-label="Class weights, one per class, comma-separated"
              .value=${live(cw.join(','))}
              @change=${(e: Event) => c.patch({ classWeights: (e.target as HTMLInputElement).value.split(',').map((v) => (v.trim() === '' ? NaN : Number(v))) })}
            />`
          : nothing
      }
      ${off ? html`<span class="muted" id="r-cw-off" data-testid="class-weights-off">${REGRESSION_OFF.classWeights}</span>` : nothing}
    </div>
    <label for="r-rs">Resampling</label>
    <div class="field">
      <select
        id="r-rs"
        data-testid="resample"
        ?disabled=${off}
        aria-describedby=${off ? 'r-rs-off' : nothing}
        @change=${(e: Event) => c.patch({ resample: (e.target as HTMLSelectElement).value as ResampleMode })}
      >
        ${(Object.keys(RESAMPLE_LABELS) as ResampleMode[]).map((m) => html`<option value=${m} .selected=${m === c.remedies.resample}>${RESAMPLE_LABELS[m]}</option>`)}
      </select>
      ${off ? html`<span class="muted" id="r-rs-off">${REGRESSION_OFF.resample}</span>` : nothing}
    </div>`;
}

/** Overfitting: early stopping, with what it monitors, its patience and its minimum improvement. */
export function earlyStoppingFields(c: RemediesContext) {
  const es = c.remedies.earlyStopping;
  const on = (e: Event) =>
    c.patch({
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
                @change=${(e: Event) => c.patch({ earlyStopping: { ...es, monitor: (e.target as HTMLSelectElement).value as typeof es.monitor } })}
              >
                <option value="validation_loss" .selected=${es.monitor === 'validation_loss'}>Validation loss</option>
                <option
                  value="validation_accuracy"
                  .selected=${es.monitor === 'validation_accuracy'}
                  ?disabled=${taskOf(c.config) === 'regression'}
                  title=${ifDefined(taskOf(c.config) === 'regression' ? REGRESSION_OFF.accuracy : undefined)}
                >
                  Validation accuracy${taskOf(c.config) === 'regression' ? ' (not for regression)' : ''}
                </option>
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
                @change=${(e: Event) => c.patch({ earlyStopping: { ...es, patience: numberOf(e) } })}
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
                @change=${(e: Event) => c.patch({ earlyStopping: { ...es, minDelta: numberOf(e) } })}
              />
            </div>`
        : nothing
    }`;
}

/** Overfitting: the learning-rate schedule, its fields and its curve. */
export function scheduleFields(c: RemediesContext) {
  const s = c.remedies.lrSchedule;
  const onKind = (e: Event) => {
    const kind = (e.target as HTMLSelectElement).value;
    c.patch({
      lrSchedule: kind === 'step' ? DEFAULT_STEP : kind === 'cosine' ? { kind: 'cosine', epochs: c.config.epochs, floor: 0 } : { kind: 'constant' },
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
          @change=${(e: Event) => c.patch({ lrSchedule: set(numberOf(e)) })}
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
    ${scheduleCurveSvg(c.config, s)}`;
}

/** A small line of the rate per epoch over the configured epochs. */
function scheduleCurveSvg(config: ExperimentConfig, s: LrSchedule) {
  const base = config.optimizer.learningRate;
  const epochs = config.epochs;
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

/** Overfitting: jitter for 2-D data, or image augmentation and GAN oversampling for images; then dropout per layer. */
export function augmentationFields(c: RemediesContext) {
  const r = c.remedies;
  const layers = c.config.hidden;
  return html` ${
    c.config.dataset.name === 'mnist' || r.imageAugment
      ? imageAugmentFields(c)
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
              @change=${(e: Event) => c.patch({ jitter: numberOf(e) })}
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
            @change=${(e: Event) => c.setDropout(i, numberOf(e))}
          />
        </div>`,
  )}`;
}

/** Shift, rotation and zoom ranges of the per-batch image augmentation. */
function imageAugmentFields(c: RemediesContext) {
  const a = c.remedies.imageAugment;
  const on = (e: Event) => c.patch({ imageAugment: (e.target as HTMLInputElement).checked ? { ...DEFAULT_IMAGE_AUGMENT } : null });
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
          @change=${(e: Event) => c.patch({ imageAugment: { ...a!, [key]: numberOf(e) } })}
        />
      </div>`;
  return html` <label for="r-aug">Augment images</label>
    <div class="field">
      <input id="r-aug" type="checkbox" data-testid="image-augment" .checked=${live(a !== null)} @change=${on} />
      <span class="muted">fresh random shifts, rotations and zoom every batch, on the GPU</span>
    </div>
    ${a ? html`${field('maxShift', 'Shift up to (px)', '0.5')}${field('maxAngleDeg', 'Rotate up to (°)', '1')}${field('maxZoom', 'Zoom up to (±)', '0.01')}` : nothing}
    ${ganOversampleFields(c)}`;
}

/** Oversampling the minority class with a GAN trained on its training images. */
function ganOversampleFields(c: RemediesContext) {
  const g = c.remedies.ganOversample;
  const on = (e: Event) => c.patch({ ganOversample: (e.target as HTMLInputElement).checked ? { iterations: DEFAULT_GAN_ITERATIONS } : null });
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
                @change=${(e: Event) => c.patch({ ganOversample: { iterations: numberOf(e) } })}
              />
            </div>`
        : nothing
    }`;
}
