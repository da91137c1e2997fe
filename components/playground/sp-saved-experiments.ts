import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import {
  MAX_EXPERIMENT_NAME,
  openExperimentStore,
  type ExperimentListing,
  type ExperimentStore,
  type ExperimentToSave,
} from '../../src/io/experiments-store.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** Detail of `sp-experiment-save`: the playground gathers config and parameters, then calls `saveExperiment`. */
export interface ExperimentSaveDetail {
  name: string;
}

/** Detail of `sp-experiment-open`: a saved experiment, checked, ready to rebuild. */
export interface ExperimentOpenDetail {
  name: string;
  configHash: string;
  config: ExperimentConfig;
  spec: ModelSpec;
  /** The trained arena for `spec`, or null if none was saved. */
  params: Float32Array | null;
  messages: string[];
}

let defaultStore: ExperimentStore | null = null;

/**
 * Experiments saved in this browser (IndexedDB): save the current one under a name, open or
 * delete a saved one. Saving emits `sp-experiment-save` {name}; the playground answers with
 * `saveExperiment(...)`, since only it has the parameters. Opening emits `sp-experiment-open`.
 */
@customElement('sp-saved-experiments')
export class SpSavedExperiments extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 8px 0 0;
      }
      li {
        display: flex;
        gap: 8px;
        align-items: center;
        padding: 2px 0;
      }
      li .name {
        flex: 1;
        overflow-wrap: anywhere;
      }
      p {
        margin: 6px 0 0;
      }
    `,
  ];

  /**
   * Where experiments live; a shared default store unless the page supplies one (set it before
   * the element is connected, or call `refresh()` after changing it).
   */
  @property({ attribute: false }) store: ExperimentStore | null = null;
  /** False while there is nothing to save. */
  @property({ type: Boolean }) ready = true;

  @state() private items: ExperimentListing[] = [];
  @state() private error = '';
  @state() private name = '';

  private get db(): ExperimentStore {
    return this.store ?? (defaultStore ??= openExperimentStore());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private async run(work: () => Promise<void>): Promise<boolean> {
    this.error = '';
    try {
      await work();
      return true;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return false;
    }
  }

  /** Reloads the list from the store. */
  async refresh(): Promise<void> {
    await this.run(async () => {
      this.items = await this.db.list();
    });
  }

  /** Saves an experiment (called by the playground), shows any failure, and refreshes the list. */
  async saveExperiment(experiment: ExperimentToSave): Promise<boolean> {
    const ok = await this.run(() => this.db.save(experiment));
    if (ok) {
      this.name = '';
      await this.refresh();
    }
    return ok;
  }

  /** Shows a message from the playground, e.g. that the parameters could not be fetched. */
  showError(message: string): void {
    this.error = message;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const name = this.name.trim();
    if (!name) {
      this.error = 'Give the experiment a name.';
      return;
    }
    this.error = '';
    emit(this, 'sp-experiment-save', { name });
  }

  private async open(name: string): Promise<void> {
    await this.run(async () => {
      const x = await this.db.load(name);
      emit(this, 'sp-experiment-open', {
        name: x.name,
        configHash: x.configHash,
        config: x.config,
        spec: x.spec,
        params: x.params,
        messages: x.messages,
      });
    });
  }

  private async deleteExperiment(name: string): Promise<void> {
    if (await this.run(() => this.db.delete(name))) await this.refresh();
  }

  override render() {
    return html`
      <form @submit=${(e: Event) => this.onSubmit(e)} aria-label="Save the current experiment">
        <input
          data-testid="experiment-name"
          aria-label="Experiment name"
          placeholder="Experiment name"
          maxlength=${MAX_EXPERIMENT_NAME}
          .value=${this.name}
          @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="experiment-save" ?disabled=${!this.ready}>Save experiment</button>
      </form>
      ${this.error ? html`<p class="error" role="alert" data-testid="experiments-error">${this.error}</p>` : ''}
      ${
        this.items.length === 0
          ? html`<p class="muted">No saved experiments yet.</p>`
          : html`<ul aria-label="Saved experiments">
              ${this.items.map(
                (x) =>
                  html`<li data-testid="saved-experiment">
                    <span class="name">${x.name}</span>
                    <span class="muted">${new Date(x.savedAt).toLocaleString()}${x.hasParams ? ' · trained' : ''}</span>
                    <button data-testid="experiment-open" @click=${() => void this.open(x.name)}>Open</button>
                    <button data-testid="experiment-delete" aria-label=${`Delete ${x.name}`} @click=${() => void this.deleteExperiment(x.name)}>Delete</button>
                  </li>`,
              )}
            </ul>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-saved-experiments': SpSavedExperiments;
  }
}
