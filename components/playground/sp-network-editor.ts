import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { ACTIVATIONS, type Activation } from '../../src/nn/activation.ts';
import { arenaLayout, parameterCount } from '../../src/nn/arena.ts';
import { MODEL_LIMITS, type LayerSpec } from '../../src/nn/spec.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** Width of a freshly added layer: small enough to train fast, wide enough to learn something. */
const NEW_LAYER_UNITS = 8;

/** What the user typed into a units field that could not be accepted, and why. */
interface RejectedUnits {
  text: string;
  message: string;
}

/**
 * Edits the hidden layers of a dense network: units and activation per layer, add, remove and
 * reorder. Input and output widths come from the dataset, so they are shown but not editable.
 * Emits `sp-layers-change` with `{ layers }`, always a new array; invalid widths are not emitted.
 */
@customElement('sp-network-editor')
export class SpNetworkEditor extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        padding: 6px 8px;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-panel);
      }
      li.fixed {
        background: transparent;
        border-style: dashed;
      }
      .name {
        min-width: 5.5em;
        font-weight: 600;
      }
      input[type='number'] {
        width: 6em;
      }
      button.icon {
        padding: 2px 8px;
      }
      .error {
        flex-basis: 100%;
        margin: 0;
        font-size: 0.9em;
      }
      .footer {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        margin-top: 8px;
      }
      .count {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** Hidden layers, input side first. Never mutated; edits are emitted as a new array. */
  @property({ attribute: false }) layers: LayerSpec[] = [];
  /** Width of the input layer (features of the dataset). */
  @property({ type: Number }) inputSize = 1;
  /** Width of the output layer (classes or targets). */
  @property({ type: Number }) outputSize = 1;
  /** How the output row describes the head, e.g. "softmax (3 classes)". */
  @property() outputLabel = '';

  /** Rejected units per row; row indices shift on structural edits, so a new `layers` clears them. */
  @state() private rejected = new Map<number, RejectedUnits>();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('layers') && this.rejected.size > 0) this.rejected = new Map();
  }

  private emitLayers(layers: LayerSpec[]): void {
    emit(this, 'sp-layers-change', { layers });
  }

  private withLayer(i: number, patch: Partial<LayerSpec>): LayerSpec[] {
    return this.layers.map((l, j) => (j === i ? { ...l, ...patch } : { ...l }));
  }

  private onUnits(i: number, e: Event): void {
    const text = (e.target as HTMLInputElement).value.trim();
    const units = text === '' ? NaN : Number(text);
    const max = MODEL_LIMITS.maxUnits;
    if (!Number.isInteger(units) || units < 1 || units > max) {
      const message = `Units must be a whole number from 1 to ${max.toLocaleString('en-US')}.`;
      this.rejected = new Map(this.rejected).set(i, { text, message });
      return;
    }
    const rest = new Map(this.rejected);
    rest.delete(i);
    this.rejected = rest;
    if (units !== this.layers[i]?.units) this.emitLayers(this.withLayer(i, { units }));
  }

  private onActivation(i: number, e: Event): void {
    this.emitLayers(this.withLayer(i, { activation: (e.target as HTMLSelectElement).value as Activation }));
  }

  private move(i: number, by: -1 | 1): void {
    const next = this.layers.map((l) => ({ ...l }));
    const j = i + by;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j]!, next[i]!];
    this.emitLayers(next);
  }

  private removeLayer(i: number): void {
    this.emitLayers(this.layers.filter((_, j) => j !== i).map((l) => ({ ...l })));
  }

  private add(): void {
    if (this.layers.length >= MODEL_LIMITS.maxHiddenLayers) return;
    const activation = this.layers.at(-1)?.activation ?? 'relu';
    this.emitLayers([...this.layers.map((l) => ({ ...l })), { units: NEW_LAYER_UNITS, activation }]);
  }

  /** Trainable parameters of the whole network, or null while the inputs cannot form one. */
  private parameters(): number | null {
    try {
      const spec = { inputSize: this.inputSize, hidden: this.layers, outputSize: this.outputSize, loss: 'softmax_ce' as const };
      const n = parameterCount(arenaLayout(spec));
      return Number.isFinite(n) ? n : null;
    } catch {
      return null;
    }
  }

  private renderLayer(layer: LayerSpec, i: number, count: number) {
    const n = i + 1;
    const bad = this.rejected.get(i);
    const errId = `units-error-${i}`;
    return html`
      <li data-testid="layer-row">
        <span class="name">Hidden ${n}</span>
        <label
          >Units
          <input
            type="number"
            min="1"
            max=${MODEL_LIMITS.maxUnits}
            step="1"
            data-testid="units"
            aria-invalid=${bad ? 'true' : 'false'}
            aria-describedby=${ifDefined(bad ? errId : undefined)}
            .value=${live(bad ? bad.text : String(layer.units))}
            @change=${(e: Event) => this.onUnits(i, e)}
          />
        </label>
        <label
          >Activation
          <select data-testid="activation" @change=${(e: Event) => this.onActivation(i, e)}>
            ${ACTIVATIONS.map((a) => html`<option value=${a} .selected=${a === layer.activation}>${a}</option>`)}
          </select>
        </label>
        <button class="icon" data-testid="move-up" aria-label="Move layer ${n} up" ?disabled=${i === 0} @click=${() => this.move(i, -1)}>↑</button>
        <button class="icon" data-testid="move-down" aria-label="Move layer ${n} down" ?disabled=${i === count - 1} @click=${() => this.move(i, 1)}>↓</button>
        <button class="icon" data-testid="remove" aria-label="Remove layer ${n}" @click=${() => this.removeLayer(i)}>✕</button>
        ${bad ? html`<p class="error" id=${errId} role="alert">${bad.message}</p>` : null}
      </li>
    `;
  }

  override render() {
    const count = this.layers.length;
    const full = count >= MODEL_LIMITS.maxHiddenLayers;
    const params = this.parameters();
    return html`
      <ol aria-label="Network layers">
        <li class="fixed" data-testid="input-row"><span class="name">Input</span><span>${this.inputSize} features</span></li>
        ${this.layers.map((l, i) => this.renderLayer(l, i, count))}
        <li class="fixed" data-testid="output-row">
          <span class="name">Output</span>
          <span>${this.outputSize} ${this.outputSize === 1 ? 'unit' : 'units'}${this.outputLabel ? html`, ${this.outputLabel}` : null}</span>
        </li>
      </ol>
      <div class="footer">
        <button data-testid="add-layer" ?disabled=${full} @click=${() => this.add()}>+ Add layer</button>
        ${full ? html`<span class="muted">At most ${MODEL_LIMITS.maxHiddenLayers} hidden layers.</span>` : null}
        <span class="count">Parameters: <strong data-testid="param-count">${params === null ? '–' : params.toLocaleString('en-US')}</strong></span>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-network-editor': SpNetworkEditor;
  }
}
