import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** The largest weight that may be typed (the engine refuses more, too). */
const MAX_WEIGHT = 1e6;

/**
 * A form to type one weight: which edge (layer, from, to, 1-based as people count) and its new
 * value. Apply emits `sp-weight-edit` with 0-based indices; a value that is not a number, or is
 * beyond ±1e6, is refused here with a message and nothing is emitted. Cancel emits `sp-weight-close`.
 */
@customElement('sp-weight-edit')
export class SpWeightEdit extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin-top: 8px;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 10px;
        align-items: end;
      }
      label {
        display: grid;
        font-size: 12px;
      }
      input {
        width: 6em;
        font: inherit;
      }
    `,
  ];

  @property({ type: Number }) layer = 0;
  @property({ type: Number }) from = 0;
  @property({ type: Number }) to = 0;
  /** The weight's value now, shown to start from. */
  @property({ type: Number }) value = 0;
  /** Layers and their input and unit counts, to bound the fields. */
  @property({ attribute: false }) shape: { inputs: number; units: number }[] = [];
  /** The current value of any weight, so picking another edge in the fields shows its value. */
  @property({ attribute: false }) readWeight: ((layer: number, from: number, to: number) => number) | null = null;
  /** A refusal from the engine, shown like the form's own. */
  @property() error: string | null = null;
  @state() private message: string | null = null;

  private apply(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const read = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const [layer, from, to] = ['layer', 'from', 'to'].map((n) => Number(read(n)) - 1) as [number, number, number];
    const text = read('value');
    const value = text === '' ? NaN : Number(text);
    const l = this.shape[layer];
    if (!l || !Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < 0 || from >= l.inputs || to >= l.units) {
      this.message = `There is no such weight: layer 1 to ${this.shape.length}, from 1 to ${l?.inputs ?? '…'}, to 1 to ${l?.units ?? '…'}.`;
      return;
    }
    if (!Number.isFinite(value) || Math.abs(value) > MAX_WEIGHT) {
      this.message = `"${text.slice(0, 20)}" is not a weight: type a number from -1e6 to 1e6. The weight keeps its value.`;
      return;
    }
    this.message = null;
    emit(this, 'sp-weight-edit', { layer, from, to, value });
  }

  /** Another edge picked in the fields: its value replaces the typed one. */
  private onPick(e: Event): void {
    const form = e.currentTarget as HTMLFormElement;
    const read = (name: string) => Number((form.elements.namedItem(name) as HTMLInputElement).value) - 1;
    const [layer, from, to] = [read('layer'), read('from'), read('to')];
    const l = this.shape[layer];
    if (!this.readWeight || !l || !(from >= 0 && from < l.inputs && to >= 0 && to < l.units && Number.isInteger(from) && Number.isInteger(to))) return;
    (form.elements.namedItem('value') as HTMLInputElement).value = String(this.readWeight(layer, from, to));
  }

  override render() {
    const shown = this.message ?? this.error;
    return html`<form
        data-testid="weight-edit"
        aria-label="Edit a weight"
        @submit=${this.apply}
        @input=${(e: Event) => (e.target as HTMLInputElement).name !== 'value' && this.onPick(e)}
      >
        <label>Layer <input name="layer" type="number" min="1" max=${this.shape.length} .value=${String(this.layer + 1)} /></label>
        <label>From <input name="from" type="number" min="1" .value=${String(this.from + 1)} /></label>
        <label>To <input name="to" type="number" min="1" .value=${String(this.to + 1)} /></label>
        <label>Weight <input name="value" data-testid="weight-value" inputmode="decimal" .value=${String(this.value)} /></label>
        <button type="submit">Apply</button>
        <button type="button" @click=${() => emit(this, 'sp-weight-close', null)}>Cancel</button>
      </form>
      ${shown ? html`<p class="error" role="alert" data-testid="weight-error">${shown}</p>` : null}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-weight-edit': SpWeightEdit;
  }
}
