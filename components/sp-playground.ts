import { html, LitElement, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../src/config/experiment.ts';
import { EngineController } from './engine-controller.ts';
import './sp-training-controls.ts';
import { baseStyles } from './styles.ts';
import { engineWorkerUrl } from './worker-url.ts';

function fixed(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

/**
 * The classification playground: builds the experiment in the engine worker, trains it, and
 * shows where it stands.
 */
@customElement('sp-playground')
export class SpPlayground extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { display: block; background: var(--sp-bg); padding: 16px; border-radius: var(--sp-radius); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0 0; }
      dt { color: var(--sp-muted); }
      dd { margin: 0; font-variant-numeric: tabular-nums; }
    `,
  ];

  /** The experiment; assigning a new object rebuilds it. */
  @property({ attribute: false }) config: ExperimentConfig = DEFAULT_EXPERIMENT;

  private readonly engine = new EngineController(this, engineWorkerUrl());

  override connectedCallback(): void {
    super.connectedCallback();
    void this.engine.build(this.config);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('config') && changed.get('config') !== undefined) void this.engine.build(this.config);
  }

  override render() {
    const e = this.engine;
    const last = e.history.at(-1);
    const backend = e.info ? `${e.info.backendLabel}${e.info.fallbackReason ? ` — ${e.info.fallbackReason}` : ''}` : e.status === 'building' ? 'starting…' : '–';
    return html`
      <sp-training-controls
        ?training=${e.status === 'training'}
        ?ready=${e.status === 'ready'}
        @sp-play=${() => e.play(this.config.epochs)}
        @sp-pause=${() => e.pause()}
        @sp-step=${() => e.step()}
        @sp-epoch=${() => e.epoch()}
        @sp-reset=${() => e.build(this.config)}
      ></sp-training-controls>
      ${e.error ? html`<p class="error" role="alert">${e.error}</p>` : null}
      <dl>
        <dt>Backend</dt><dd data-testid="backend">${backend}</dd>
        <dt>Epoch</dt><dd><span data-testid="epoch">${last?.epoch ?? 0}</span> / ${this.config.epochs}</dd>
        <dt>Steps per second</dt><dd>${e.stepsPerSecond ? e.stepsPerSecond.toFixed(0) : '–'}</dd>
        <dt>Train loss</dt><dd data-testid="train-loss">${fixed(last?.trainLoss)}</dd>
        <dt>Validation loss</dt><dd data-testid="val-loss">${fixed(last?.validationLoss)}</dd>
        <dt>Test accuracy</dt><dd data-testid="test-accuracy">${fixed(e.test?.accuracy, 3)}</dd>
      </dl>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-playground': SpPlayground;
  }
}
