import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/**
 * Play/pause, one step, one epoch and reset. Properties in (what is running), events out:
 * `sp-play`, `sp-pause`, `sp-step`, `sp-epoch`, `sp-reset`; the playground decides what they do.
 */
@customElement('sp-training-controls')
export class SpTrainingControls extends LitElement {
  static override styles = baseStyles;

  /** True while training runs; the toggle then offers Pause. */
  @property({ type: Boolean }) training = false;
  /** False while the model is being built or after an error: only Reset is offered. */
  @property({ type: Boolean }) ready = false;

  override render() {
    const idle = this.ready && !this.training;
    return html`
      <div role="toolbar" aria-label="Training controls" style="display:flex;gap:8px;flex-wrap:wrap">
        <button
          class="primary"
          data-testid="train-toggle"
          ?disabled=${!this.ready && !this.training}
          aria-pressed=${this.training ? 'true' : 'false'}
          @click=${() => emit(this, this.training ? 'sp-pause' : 'sp-play', null)}
        >
          ${this.training ? '❚❚ Pause' : '▶ Train'}
        </button>
        <button data-testid="step-once" ?disabled=${!idle} @click=${() => emit(this, 'sp-step', null)}>Step</button>
        <button data-testid="epoch-once" ?disabled=${!idle} @click=${() => emit(this, 'sp-epoch', null)}>Epoch</button>
        <button data-testid="reset" @click=${() => emit(this, 'sp-reset', null)}>Reset</button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-training-controls': SpTrainingControls;
  }
}
