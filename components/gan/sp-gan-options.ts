import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { configErrorText } from '../../src/config/errors.ts';
import { ARTICLE_GAN, SMALL_GAN, validateGanConfig } from '../../src/train/gan-config.ts';
import type { GanConfig } from '../../src/worker/api.ts';
import { baseStyles, ganSettingsStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

type NumberField = 'latent' | 'batch' | 'dSteps' | 'labelSmoothing' | 'seed';

/**
 * The GAN's settings: preset, networks' activation, k discriminator steps, one-sided label
 * smoothing, generator loss, learning rates and β1 per network, batch, latent size, seed.
 * Emits `sp-gan-config` with a validated config; invalid entries show a message instead.
 */
@customElement('sp-gan-options')
export class SpGanOptions extends LitElement {
  static override styles = [baseStyles, ganSettingsStyles(55)];

  @property({ attribute: false }) config: GanConfig = ARTICLE_GAN;
  private message: string | null = null;

  private emit(config: GanConfig): void {
    try {
      validateGanConfig(config);
      this.message = null;
      emit(this, 'sp-gan-config', { config });
    } catch (e) {
      this.message = configErrorText(e);
    }
    this.requestUpdate();
  }

  private num(field: NumberField, label: string, step = 1) {
    return html`<label for=${field}>${label}</label>
      <input
        id=${field}
        type="number"
        step=${step}
        .value=${String(this.config[field])}
        @change=${(e: Event) => this.emit({ ...this.config, [field]: Number((e.target as HTMLInputElement).value) })}
      />`;
  }

  private adam(net: 'g' | 'd', name: string) {
    const o = this.config[net];
    return html`<label for=${`${net}-lr`}>${name} learning rate</label>
      <input
        id=${`${net}-lr`}
        type="number"
        step="0.0001"
        .value=${String(o.learningRate)}
        @change=${(e: Event) => this.emit({ ...this.config, [net]: { ...o, learningRate: Number((e.target as HTMLInputElement).value) } })}
      />
      <label for=${`${net}-b1`}>${name} Adam β1</label>
      <input
        id=${`${net}-b1`}
        type="number"
        step="0.05"
        .value=${String(o.beta1)}
        @change=${(e: Event) => this.emit({ ...this.config, [net]: { ...o, beta1: Number((e.target as HTMLInputElement).value) } })}
      />`;
  }

  override render() {
    const c = this.config;
    const preset = c === ARTICLE_GAN ? 'article' : c === SMALL_GAN ? 'small' : 'custom';
    return html`
      <div class="grid">
        <label for="preset">Preset</label>
        <select
          id="preset"
          data-testid="gan-preset"
          .value=${preset}
          @change=${(e: Event) => this.emit((e.target as HTMLSelectElement).value === 'small' ? SMALL_GAN : ARTICLE_GAN)}
        >
          <option value="article">The article's (G 100→128→256→784, D 784→512→256→1)</option>
          <option value="small">Small and fast (for the CPU)</option>
          <option value="custom" disabled>Custom</option>
        </select>
        <label for="act">Hidden activation</label>
        <select
          id="act"
          .value=${c.activation}
          @change=${(e: Event) => this.emit({ ...c, activation: (e.target as HTMLSelectElement).value as GanConfig['activation'] })}
        >
          <option value="relu">ReLU</option>
          <option value="leaky_relu">Leaky ReLU (0.2)</option>
        </select>
        <label for="loss">Generator loss</label>
        <select
          id="loss"
          .value=${c.nonSaturating ? 'ns' : 'minimax'}
          @change=${(e: Event) => this.emit({ ...c, nonSaturating: (e.target as HTMLSelectElement).value === 'ns' })}
        >
          <option value="ns">Non-saturating: −log D(G(z))</option>
          <option value="minimax">Minimax: log(1 − D(G(z)))</option>
        </select>
        ${this.num('dSteps', 'D steps per G step')} ${this.num('labelSmoothing', 'Label smoothing (real = 1 − s)', 0.05)} ${this.adam('g', 'G')}
        ${this.adam('d', 'D')} ${this.num('batch', 'Batch size')} ${this.num('latent', 'Latent size')} ${this.num('seed', 'Seed')}
      </div>
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan-options': SpGanOptions;
  }
}
