import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { downloadText } from '../shared/download.ts';
import { ganKerasScript } from '../../src/io/export-gan-keras.ts';
import { ganPytorchScript } from '../../src/io/export-gan-pytorch.ts';
import { ganFromSafetensors, type LoadedGan } from '../../src/io/gan-file.ts';
import { ModelFileError, SAFETENSORS_LIMITS } from '../../src/io/safetensors.ts';
import { ARTICLE_GAN, type GanConfig } from '../../src/train/gan-config.ts';
import { baseStyles, filePickerStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** Detail of `sp-gan-load`: a checked generator and discriminator, ready to build the GAN with. */
export type GanLoadDetail = LoadedGan;

/**
 * The GAN lab's code export and loader: downloads a PyTorch or a Keras script for the GAN as
 * configured (`config`), and reads a pair of "Save G and D" files (picked together, in either
 * order, here on this computer), checks them as untrusted model files and emits `sp-gan-load`.
 */
@customElement('sp-gan-export')
export class SpGanExport extends LitElement {
  static override styles = [
    baseStyles,
    filePickerStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: center;
      }
      p {
        margin: 6px 0 0;
      }
    `,
  ];

  /** The GAN as configured now; null while none is built. */
  @property({ attribute: false }) config: GanConfig | null = null;
  /** True while the GAN trains: loading would replace it, so it waits for a pause. */
  @property({ type: Boolean }) busy = false;
  /** Largest file accepted, checked before it is read. */
  @property({ type: Number }) maxBytes = SAFETENSORS_LIMITS.maxBytes;

  @state() private error = '';
  @state() private status = '';

  private download(format: 'pytorch' | 'keras'): void {
    if (!this.config) return;
    try {
      const script = format === 'pytorch' ? ganPytorchScript(this.config) : ganKerasScript(this.config);
      downloadText(script, `shaderprop_gan_${format}.py`, 'text/x-python');
      this.error = '';
    } catch (e) {
      this.error = `The script could not be written: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Reads two picked files as the generator and the discriminator and emits `sp-gan-load`, or says why not. */
  async loadFiles(files: File[]): Promise<void> {
    this.error = '';
    this.status = '';
    try {
      if (files.length !== 2)
        throw new ModelFileError('architecture', `pick both files together, the generator and the discriminator (${files.length} picked)`);
      const big = files.find((f) => f.size > this.maxBytes);
      if (big) throw new ModelFileError('too-large', `${big.name} has ${big.size} bytes; at most ${this.maxBytes} are accepted`);
      const [a, b] = await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
      const loaded = ganFromSafetensors(a!, b!, this.config ?? ARTICLE_GAN);
      const c = loaded.config;
      this.status =
        `Loaded ${files.map((f) => f.name).join(' and ')}: G ${[c.latent, ...c.generator, 784].join('→')}, D ${[784, ...c.discriminator, 1].join('→')}, ` +
        `trained ${loaded.iterations} iterations.${loaded.messages.length ? ` ${loaded.messages.join(' ')}` : ''}`;
      emit(this, 'sp-gan-load', loaded);
    } catch (e) {
      const why = e instanceof ModelFileError ? e.message : `the files could not be read (${e instanceof Error ? e.message : String(e)})`;
      this.error = `The GAN was not loaded: ${why}`;
    }
  }

  private async onPick(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    await this.loadFiles([...(input.files ?? [])]);
    input.value = '';
  }

  override render() {
    return html`
      <div class="row" role="group" aria-label="Export and load the GAN">
        <button data-testid="gan-export-pytorch" ?disabled=${!this.config} @click=${() => this.download('pytorch')}>PyTorch code</button>
        <button data-testid="gan-export-keras" ?disabled=${!this.config} @click=${() => this.download('keras')}>Keras code</button>
        <label class="file">
          Load G and D
          <input type="file" multiple accept=".safetensors" data-testid="gan-load" ?disabled=${this.busy} @change=${(e: Event) => void this.onPick(e)} />
        </label>
      </div>
      <p class="muted">
        The scripts train this GAN from the lab's initial weights or from saved G and D files (--generator, --discriminator), and save files this lab loads.
        Pick both files to load them.
      </p>
      ${this.error ? html`<p class="error" role="alert" data-testid="gan-load-error">${this.error}</p>` : ''}
      <p role="status" data-testid="gan-load-status">${this.status}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan-export': SpGanExport;
  }
}
