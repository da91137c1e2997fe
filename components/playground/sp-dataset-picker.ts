import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DATASET_LIMITS, DEFAULT_DATASET, type DatasetConfig, type DatasetName } from '../../src/config/experiment.ts';
import { datasetFitsTask, TASKS, type Task } from '../../src/config/task.ts';
import './sp-csv-import.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** Detail of `sp-task-change`: the task the reader picked. */
export interface TaskChangeDetail {
  task: Task;
}

/** Detail of `sp-dataset-change`: the whole new dataset config. */
export interface DatasetChangeDetail {
  dataset: DatasetConfig;
}

/** Human names of the datasets, in menu order. */
export const DATASET_LABELS: Record<DatasetName, string> = {
  iris: 'Iris',
  spiral: 'Spiral',
  circles: 'Circles',
  xor: 'XOR',
  gaussians: 'Gaussian blobs',
  moons: 'Moons',
  mnist: 'MNIST digits',
  plane: 'Plane',
  gaussmix: 'Gaussian mix',
  drawn: 'Draw your own',
  csv: 'Your CSV…',
};

/** How the task menu reads. */
const TASK_LABELS: Record<Task, string> = { classification: 'Classification', regression: 'Regression' };

/** Training images MNIST starts with (of 60,000): quick on a software adapter, ~95% accurate. */
const MNIST_DEFAULT_SIZE = 10000;
/** Toy sets beyond this many points redraw slowly; switching to one caps the size. */
const TOY_DEFAULT_MAX = 2000;

/** Which fields a dataset's controls show. */
const HAS_SHAPE = (name: DatasetName): boolean => name !== 'iris' && name !== 'csv' && name !== 'mnist' && name !== 'drawn';
/** Data sets with classes to unbalance. */
const HAS_BALANCE = (name: DatasetName): boolean => name !== 'csv' && name !== 'drawn' && datasetFitsTask(name, 'classification') && !REGRESSION_ONLY(name);
const REGRESSION_ONLY = (name: DatasetName): boolean => !datasetFitsTask(name, 'classification');
const HAS_CLASSES = (name: DatasetName): boolean => name === 'spiral' || name === 'gaussians';

/**
 * Chooses the task (classification or regression; `sp-task-change`) and the data: a built-in set with its size, noise, class count and class balance, or the
 * user's CSV file (through `<sp-csv-import>`). Properties in, events out: `sp-dataset-change`
 * with the whole new config whenever a built-in control is committed, and `sp-csv-load` (from the
 * import element, bubbling through) when the user applies a file; the host then sets `config`
 * to name 'csv' and `csvName`. Choosing "Your CSV…" alone emits nothing, since there is no data yet;
 * choosing "Draw your own" emits name 'drawn', and the host starts draw mode on the data plot.
 */
@customElement('sp-dataset-picker')
export class SpDatasetPicker extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .field {
        display: grid;
        grid-template-columns: 9em 1fr auto;
        gap: 8px;
        align-items: center;
        margin: 6px 0;
      }
      output {
        min-width: 4.5em;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      input[type='range'] {
        width: 100%;
      }
      sp-csv-import {
        margin-top: 8px;
      }
    `,
  ];

  /**
   * The dataset in use; the picker never changes it, it emits the config it wants instead. Not
   * named `dataset`, which would shadow HTMLElement's own `dataset` (the data-* attribute map).
   */
  @property({ attribute: false }) config: DatasetConfig = DEFAULT_DATASET;
  /** What the model predicts: the data sets offered are those that fit it. */
  @property() task: Task = 'classification';
  /** File name of the CSV data in use, when `config.name` is 'csv'. */
  @property({ attribute: false }) csvName: string | null = null;
  /** True while the reader draws on the data plot: the menu says "Draw your own" though the data in use is still the previous set. */
  @property({ type: Boolean }) drawing = false;

  /** True after the user picks "Your CSV…" until they apply a file or pick another set. */
  @state() private choosingCsv = false;
  /** Slider positions while dragging, shown next to the slider before they are committed. */
  @state() private draft: Partial<Pick<DatasetConfig, 'noise' | 'imbalance'>> = {};

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config')) {
      this.draft = {};
      if (this.config.name === 'csv') this.choosingCsv = false;
    }
  }

  private emit(patch: Partial<DatasetConfig>): void {
    const dataset: DatasetConfig = { ...this.config, ...patch };
    // A drawing's points belong to the drawn set only (the plot's draw mode keeps them for later).
    if (dataset.name !== 'drawn') delete dataset.drawn;
    emit(this, 'sp-dataset-change', { dataset });
  }

  private onName(e: Event): void {
    const name = (e.target as HTMLSelectElement).value as DatasetName;
    if (name === 'csv') {
      this.choosingCsv = true;
      return;
    }
    this.choosingCsv = false;
    // MNIST's size counts training images: start from 10,000 rather than a toy set's few hundred.
    if (name !== this.config.name)
      this.emit(name === 'mnist' ? { name, size: MNIST_DEFAULT_SIZE } : { name, size: Math.min(this.config.size, TOY_DEFAULT_MAX) });
  }

  /** Commits a number input or slider, clamped to its bounds; an unreadable entry is reverted. */
  private commit(field: 'size' | 'noise' | 'imbalance' | 'classes', input: HTMLInputElement | HTMLSelectElement): void {
    const v = Number(input.value);
    const L = DATASET_LIMITS;
    const [lo, hi, whole] = {
      size: [L.minSize, L.maxSize, true],
      noise: [0, L.maxNoise, false],
      imbalance: [L.minImbalance, 1, false],
      classes: [L.minClasses, L.maxClasses, true],
    }[field] as [number, number, boolean];
    if (input.value.trim() === '' || !Number.isFinite(v)) {
      input.value = String(this.config[field]);
      return;
    }
    const clamped = Math.min(hi, Math.max(lo, whole ? Math.round(v) : v));
    input.value = String(clamped);
    if (clamped !== this.config[field]) this.emit({ [field]: clamped });
  }

  private slider(field: 'noise' | 'imbalance', label: string, min: number, shown: (v: number) => string) {
    const value = this.draft[field] ?? this.config[field];
    return html`
      <div class="field">
        <label for=${field}>${label}</label>
        <input
          id=${field}
          data-testid=${`dataset-${field}`}
          type="range"
          min=${min}
          max="1"
          step="0.01"
          .value=${String(value)}
          aria-valuetext=${shown(value)}
          @input=${(e: Event) => (this.draft = { ...this.draft, [field]: Number((e.target as HTMLInputElement).value) })}
          @change=${(e: Event) => this.commit(field, e.target as HTMLInputElement)}
        />
        <output for=${field}>${shown(value)}</output>
      </div>
    `;
  }

  private renderShape(name: DatasetName) {
    const d = this.config;
    const L = DATASET_LIMITS;
    return html`
      <div class="field">
        <label for="size">Points</label>
        <input
          id="size"
          data-testid="dataset-size"
          type="number"
          min=${L.minSize}
          max=${L.maxSize}
          step="10"
          .value=${String(d.size)}
          @change=${(e: Event) => this.commit('size', e.target as HTMLInputElement)}
        />
        <span></span>
      </div>
      ${this.slider('noise', 'Noise', 0, (v) => v.toFixed(2))}
      ${
        HAS_CLASSES(name)
          ? html`<div class="field">
              <label for="classes">Classes</label>
              <select
                id="classes"
                data-testid="dataset-classes"
                .value=${String(d.classes)}
                @change=${(e: Event) => this.commit('classes', e.target as HTMLSelectElement)}
              >
                ${Array.from({ length: L.maxClasses - L.minClasses + 1 }, (_, i) => i + L.minClasses).map(
                  (k) => html`<option value=${k} ?selected=${k === d.classes}>${k}</option>`,
                )}
              </select>
              <span></span>
            </div>`
          : nothing
      }
    `;
  }

  private onTask(e: Event): void {
    this.choosingCsv = false;
    emit(this, 'sp-task-change', { task: (e.target as HTMLSelectElement).value as Task });
  }

  override render() {
    const name: DatasetName = this.choosingCsv ? 'csv' : this.drawing ? 'drawn' : this.config.name;
    const offered = (Object.keys(DATASET_LABELS) as DatasetName[]).filter((n) => datasetFitsTask(n, this.task));
    return html`
      <div class="field">
        <label for="task">Task</label>
        <select id="task" data-testid="task" .value=${this.task} @change=${this.onTask}>
          ${TASKS.map((t) => html`<option value=${t} ?selected=${t === this.task}>${TASK_LABELS[t]}</option>`)}
        </select>
        <span></span>
      </div>
      <div class="field">
        <label for="name">Dataset</label>
        <select id="name" data-testid="dataset-name" .value=${name} @change=${this.onName}>
          ${offered.map((n) => html`<option value=${n} ?selected=${n === name}>${DATASET_LABELS[n]}</option>`)}
        </select>
        <span></span>
      </div>
      ${HAS_SHAPE(name) ? this.renderShape(name) : nothing}
      ${
        name === 'mnist'
          ? html`<div class="field">
              <label for="size">Training images</label>
              <input
                id="size"
                data-testid="dataset-size"
                type="number"
                min="1000"
                max="60000"
                step="1000"
                .value=${String(this.config.size)}
                @change=${(e: Event) => this.commit('size', e.target as HTMLInputElement)}
              />
              <span></span>
            </div>`
          : nothing
      }
      ${HAS_BALANCE(name) ? this.slider('imbalance', 'Class balance', DATASET_LIMITS.minImbalance, balanceText) : nothing}
      ${name === 'drawn' ? html`<p class="muted">Draw points on the data plot; ✎ Draw data there turns drawing on and off.</p>` : nothing}
      ${name === 'csv' ? html`<sp-csv-import .loadedName=${this.csvName} .task=${this.task}></sp-csv-import>` : nothing}
    `;
  }
}

/** "1 : 4" for imbalance 0.25: the smallest class against the largest. */
function balanceText(imbalance: number): string {
  const ratio = 1 / imbalance;
  return `1 : ${ratio < 10 ? ratio.toFixed(1).replace(/\.0$/, '') : Math.round(ratio)}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-dataset-picker': SpDatasetPicker;
  }
}
