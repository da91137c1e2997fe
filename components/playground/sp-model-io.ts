import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { MissingSpecError, modelFromSafetensors, paramsForSpec, type TrainingSummary } from '../../src/io/model-file.ts';
import { ModelFileError, SAFETENSORS_LIMITS } from '../../src/io/safetensors.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { baseStyles, filePickerStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** Detail of `sp-load-model`: a checked model ready for the worker's `loadParams`. */
export interface LoadModelDetail {
  spec: ModelSpec;
  params: Float32Array;
  /** The saved experiment, or null (a file from another tool, loaded into the current network). */
  config: ExperimentConfig | null;
  training: TrainingSummary | null;
  /** The file's name, for display. */
  name: string;
  messages: string[];
}

/** Detail of `sp-export`: a script, or `init`, the network's initial weights (init.safetensors, for a script's --init). */
export interface ExportDetail {
  format: 'pytorch' | 'keras' | 'init';
}

/**
 * Save, load and export a model. The element holds no model: `sp-save-model` asks the playground
 * to fetch the parameters and download the file; a chosen or dropped `.safetensors` file is read
 * here, locally, checked as untrusted input, and sent out as `sp-load-model`; `sp-export` asks
 * for a script or for the initial weights the scripts start from. A rejected file's reason is
 * shown in an alert.
 */
@customElement('sp-model-io')
export class SpModelIo extends LitElement {
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
      :host([dragging]) .drop {
        outline: 2px dashed var(--sp-accent);
        outline-offset: 4px;
      }
      .drop {
        border-radius: var(--sp-radius);
        padding: 4px;
      }
      p {
        margin: 6px 0 0;
      }
    `,
  ];

  /** False while there is no trained model to save or export (e.g. while one is being built). */
  @property({ type: Boolean }) ready = true;
  /**
   * The current network, if any: a file that does not describe its network (e.g. saved by
   * another tool) is loaded into this one when the shapes match.
   */
  @property({ attribute: false }) currentSpec: ModelSpec | null = null;
  /** Largest file accepted, checked before it is read. */
  @property({ type: Number }) maxBytes = SAFETENSORS_LIMITS.maxBytes;
  /** Shown while dragging a file over the element. */
  @property({ type: Boolean, reflect: true }) dragging = false;

  @state() private error = '';
  @state() private status = '';

  constructor() {
    super();
    this.addEventListener('dragover', (e) => this.onDragOver(e));
    this.addEventListener('dragleave', () => (this.dragging = false));
    this.addEventListener('drop', (e) => void this.onDrop(e));
  }

  /** Shows a message from the playground, e.g. why saving failed. */
  showError(message: string): void {
    this.error = message;
    this.status = '';
  }

  /**
   * Reads a model file locally and emits `sp-load-model`, or shows why it was refused. The size
   * is checked before a single byte is read.
   */
  async loadFile(file: File): Promise<void> {
    this.error = '';
    this.status = '';
    try {
      if (file.size > this.maxBytes) {
        throw new ModelFileError('too-large', `${file.name} has ${file.size} bytes; at most ${this.maxBytes} are accepted.`);
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const detail = this.readModel(bytes, file.name);
      this.status = `Loaded ${file.name}: ${describe(detail.spec)}.${detail.messages.length ? ` ${detail.messages.join(' ')}` : ''}`;
      emit(this, 'sp-load-model', detail);
    } catch (e) {
      const why = e instanceof ModelFileError ? e.message : `the file could not be read (${e instanceof Error ? e.message : String(e)})`;
      this.error = `${file.name} was not loaded: ${why}`;
    }
  }

  private readModel(bytes: Uint8Array, name: string): LoadModelDetail {
    try {
      const m = modelFromSafetensors(bytes, { maxBytes: this.maxBytes });
      return { ...m, name };
    } catch (e) {
      // No network description in the file: it can still fill the current network.
      if (!(e instanceof MissingSpecError) || !this.currentSpec) throw e;
      const { params, messages } = paramsForSpec(bytes, this.currentSpec, { maxBytes: this.maxBytes });
      return {
        spec: this.currentSpec,
        params,
        config: null,
        training: null,
        name,
        messages: ['The file does not describe its network; its weights were loaded into the current one.', ...messages],
      };
    }
  }

  private onDragOver(e: DragEvent): void {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private async onDrop(e: DragEvent): Promise<void> {
    this.dragging = false;
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    await this.loadFile(file);
  }

  private async onPick(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    await this.loadFile(file);
    // Allows choosing the same file again after fixing something.
    input.value = '';
  }

  override render() {
    return html`
      <div class="drop">
        <div class="row" role="group" aria-label="Save, load and export the model">
          <button data-testid="save-model" ?disabled=${!this.ready} @click=${() => emit(this, 'sp-save-model', null)}>Save model (.safetensors)</button>
          <label class="file">
            Load model
            <input type="file" data-testid="load-model" accept=".safetensors" @change=${(e: Event) => void this.onPick(e)} />
          </label>
          <button data-testid="export-pytorch" ?disabled=${!this.ready} @click=${() => emit(this, 'sp-export', { format: 'pytorch' })}>PyTorch code</button>
          <button data-testid="export-keras" ?disabled=${!this.ready} @click=${() => emit(this, 'sp-export', { format: 'keras' })}>Keras code</button>
          <button data-testid="export-init" ?disabled=${!this.ready} @click=${() => emit(this, 'sp-export', { format: 'init' })}>
            Initial weights (init.safetensors)
          </button>
        </div>
        <p class="muted">
          Or drop a .safetensors file here. Files are read on this computer and never uploaded. The scripts repeat this run (same rows, start, batch order and
          remedies); <code>--init init.safetensors --check</code> compares their first epochs with this run's curve.
        </p>
        ${this.error ? html`<p class="error" role="alert" data-testid="model-io-error">${this.error}</p>` : ''}
        <p role="status" data-testid="model-io-status">${this.status}</p>
      </div>
    `;
  }
}

/** "4 → 64 relu → 64 relu → 3". */
function describe(spec: ModelSpec): string {
  return [String(spec.inputSize), ...spec.hidden.map((l) => `${l.units} ${l.activation}`), String(spec.outputSize)].join(' → ');
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-model-io': SpModelIo;
  }
}
