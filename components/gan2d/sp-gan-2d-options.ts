import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { configErrorText } from '../../src/config/errors.ts';
import {
  DEFAULT_GAN2D,
  GAN2D_ACTIVATIONS,
  GAN2D_LOSSES,
  GAN2D_OPTIMIZERS,
  LATENT_DISTRIBUTIONS,
  validateGan2dConfig,
  type Gan2dConfig,
} from '../../src/gan2d/config.ts';
import { GAN2D_DATASETS } from '../../src/gan2d/datasets.ts';
import { GAN2D_PRESETS } from '../../src/gan2d/presets.ts';
import { encodeGan2dHash } from '../../src/gan2d/url.ts';
import { baseStyles, ganSettingsStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** What `sp-gan2d-config` carries: a config that validated. */
export interface Gan2dConfigDetail {
  config: Gan2dConfig;
}

const LABELS: Record<string, string> = {
  line: 'Line',
  gaussians: 'Two Gaussians',
  ring: 'Ring of 8 Gaussians',
  grid: 'Grid of 25 Gaussians',
  circle: 'Circle',
  spiral: 'Spiral',
  drawn: 'Drawn by you',
  uniform: 'Uniform U(−1, 1)',
  gaussian: 'Gaussian N(0, 1)',
  relu: 'ReLU',
  leaky_relu: 'Leaky ReLU',
  tanh: 'tanh',
  sgd: 'SGD',
  adam: 'Adam (β1 0.5)',
  minimax: 'Minimax: log(1 − D(G(z)))',
  non_saturating: 'Non-saturating: −log D(G(z))',
  least_squares: 'Least squares (LSGAN)',
};

const widths = (raw: string): number[] => (raw.trim() === '' ? [] : raw.split(',').map((v) => (v.trim() === '' ? NaN : Number(v))));

/**
 * The 2-D GAN's settings, each a labelled control with a `gan2d-…` test id: preset, data set,
 * latent size and distribution, both networks' hidden widths, activation, optimizer and learning
 * rate per network, batch, D steps, loss, seed. Emits `sp-gan2d-config` with a config that
 * validated; otherwise shows the message naming the field, and emits nothing.
 */
@customElement('sp-gan-2d-options')
export class SpGan2dOptions extends LitElement {
  static override styles = [
    baseStyles,
    ganSettingsStyles(50),
    // Hidden widths ("16,16") are typed, as wide as the numbers.
    css`
      input[type='text'] {
        width: 7em;
      }
    `,
  ];

  @property({ attribute: false }) config: Gan2dConfig = DEFAULT_GAN2D;
  @state() private message: string | null = null;

  /** Validates and emits; returns the message shown (null when the config was taken). */
  change(config: Gan2dConfig): string | null {
    try {
      validateGan2dConfig(config);
      this.message = null;
      emit(this, 'sp-gan2d-config', { config });
    } catch (e) {
      this.message = configErrorText(e);
    }
    return this.message;
  }

  private select(id: string, label: string, value: string, options: readonly string[], set: (v: string) => Gan2dConfig) {
    return html`<label for=${id}>${label}</label>
      <select id=${id} data-testid=${`gan2d-${id}`} .value=${value} @change=${(e: Event) => this.change(set((e.target as HTMLSelectElement).value))}>
        ${options.map((o) => html`<option value=${o} ?selected=${o === value}>${LABELS[o] ?? o}</option>`)}
      </select>`;
  }

  private field(id: string, label: string, value: string, set: (raw: string) => Gan2dConfig, type: 'number' | 'text' = 'number', step: number | 'any' = 1) {
    return html`<label for=${id}>${label}</label>
      <input
        id=${id}
        data-testid=${`gan2d-${id}`}
        type=${type}
        .step=${String(step)}
        .value=${value}
        @change=${(e: Event) => this.change(set((e.target as HTMLInputElement).value))}
      />`;
  }

  override render() {
    const c = this.config;
    const link = encodeGan2dHash(c);
    const preset = GAN2D_PRESETS.find((p) => encodeGan2dHash({ ...p.config, drawn: c.drawn }) === link)?.id ?? 'custom';
    const num = (raw: string) => (raw.trim() === '' ? NaN : Number(raw));
    return html`
      <div class="grid">
        <label for="preset">Preset</label>
        <select
          id="preset"
          data-testid="gan2d-preset"
          .value=${preset}
          @change=${(e: Event) => {
            const p = GAN2D_PRESETS.find((x) => x.id === (e.target as HTMLSelectElement).value);
            if (p) this.change({ ...p.config, drawn: c.drawn });
          }}
        >
          <option value="custom" ?selected=${preset === 'custom'}>Your settings</option>
          ${GAN2D_PRESETS.map((p) => html`<option value=${p.id} ?selected=${p.id === preset}>${p.title}</option>`)}
        </select>
        ${this.select('dataset', 'Real data', c.dataset, GAN2D_DATASETS, (v) => ({ ...c, dataset: v as Gan2dConfig['dataset'] }))}
        ${this.select('latent', 'Latent size', String(c.latent), ['1', '2'], (v) => ({ ...c, latent: Number(v) }))}
        ${this.select('z', 'Latent distribution', c.latentDistribution, LATENT_DISTRIBUTIONS, (v) => ({ ...c, latentDistribution: v as Gan2dConfig['latentDistribution'] }))}
        ${this.field('g', 'G hidden widths', c.generator.join(','), (r) => ({ ...c, generator: widths(r) }), 'text')}
        ${this.field('d', 'D hidden widths', c.discriminator.join(','), (r) => ({ ...c, discriminator: widths(r) }), 'text')}
        ${this.select('act', 'Hidden activation', c.activation, GAN2D_ACTIVATIONS, (v) => ({ ...c, activation: v as Gan2dConfig['activation'] }))}
        ${this.select('gopt', 'G optimizer', c.g.kind, GAN2D_OPTIMIZERS, (v) => ({ ...c, g: { ...c.g, kind: v as Gan2dConfig['g']['kind'] } }))}
        ${this.field('glr', 'G learning rate', String(c.g.learningRate), (r) => ({ ...c, g: { ...c.g, learningRate: num(r) } }), 'number', 'any')}
        ${this.select('dopt', 'D optimizer', c.d.kind, GAN2D_OPTIMIZERS, (v) => ({ ...c, d: { ...c.d, kind: v as Gan2dConfig['d']['kind'] } }))}
        ${this.field('dlr', 'D learning rate', String(c.d.learningRate), (r) => ({ ...c, d: { ...c.d, learningRate: num(r) } }), 'number', 'any')}
        ${this.field('batch', 'Batch size', String(c.batch), (r) => ({ ...c, batch: num(r) }))}
        ${this.field('dsteps', 'D steps per G step', String(c.dSteps), (r) => ({ ...c, dSteps: num(r) }))}
        ${this.select('loss', 'Loss', c.loss, GAN2D_LOSSES, (v) => ({ ...c, loss: v as Gan2dConfig['loss'] }))}
        ${this.field('seed', 'Seed', String(c.seed), (r) => ({ ...c, seed: num(r) }))}
      </div>
      ${preset !== 'custom' ? html`<p class="muted" data-testid="gan2d-preset-teaches">${GAN2D_PRESETS.find((p) => p.id === preset)!.teaches}</p>` : null}
      ${this.message ? html`<p class="error" role="alert" data-testid="gan2d-settings-error">${this.message}</p>` : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan-2d-options': SpGan2dOptions;
  }
}
