import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, remediesOf, validateRemedies, type ExperimentConfig, type RemediesConfig } from '../../src/config/experiment.ts';
import { validateOptimizer } from '../../src/nn/optimizer.ts';
import { baseStyles, formStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { augmentationFields, classImbalanceFields, earlyStoppingFields, numberOf, scheduleFields, type RemediesContext } from './remedy-fields.ts';

/** The article's two penalties on the weights, as the optimizer applies them (see OptimizerConfig). */
const REGULARIZERS = [
  { key: 'l1', label: 'L1 strength', testid: 'l1' },
  { key: 'l2', label: 'L2 strength', testid: 'l2' },
] as const;

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
                  @change=${(e: Event) => this.setRegularization(r.key, numberOf(e))}
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

  private setDropout(layer: number, rate: number): void {
    const rates = Array.from({ length: this.config.hidden.length }, (_, i) => (i === layer ? rate : (this.remedies.dropout[i] ?? 0)));
    this.patch({ dropout: rates.every((p) => p === 0) ? [] : rates });
  }

  override render() {
    const c: RemediesContext = {
      config: this.config,
      remedies: this.remedies,
      patch: (patch) => this.patch(patch),
      setDropout: (layer, rate) => this.setDropout(layer, rate),
    };
    return html`<div class="grid" role="group" aria-label="Remedies">
      ${this.renderRegularization()}${classImbalanceFields(c)}${earlyStoppingFields(c)}${scheduleFields(c)}${augmentationFields(c)}
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
