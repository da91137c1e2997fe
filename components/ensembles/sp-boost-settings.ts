import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { BOOST_FIELDS, DEFAULT_BOOST, ENSEMBLE_LIMITS, reasonOf, type BoostSettings } from '../../src/config/ensembles.ts';
import { ACTIVATIONS } from '../../src/nn/activation.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { ensembleStyles } from './ensemble-styles.ts';

type Field = keyof BoostSettings;
const LABELS: Record<Field, string> = {
  rounds: 'Rounds',
  layers: 'Weak learner layers',
  activation: 'Activation',
  epochs: 'Epochs per round',
  shrinkage: 'Shrinkage on α',
};
const write = (f: Field, s: BoostSettings) => (BOOST_FIELDS[f].write as (v: unknown) => string)(s[f]);

/**
 * Boosting's fields: rounds, the weak learner's hidden layers (e.g. `8` or `8,8`) and activation,
 * epochs per round, and the shrinkage (learning rate on α). Each field is checked as typed; a bad
 * one shows its message beside it and the last good settings stay. Event out: `sp-boost-edit`
 * (the new settings, or null with the problem).
 */
@customElement('sp-boost-settings')
export class SpBoostSettings extends LitElement {
  static override styles = [baseStyles, ensembleStyles];

  @property({ attribute: false }) settings: BoostSettings = DEFAULT_BOOST;
  @property({ type: Boolean }) disabled = false;

  /** What each field holds as typed, and the fields that do not read. */
  @state() private raw: Record<Field, string> = this.rawOf(DEFAULT_BOOST);
  @state() private problems: Partial<Record<Field, string>> = {};
  private emitted: BoostSettings | null = null;

  private rawOf(s: BoostSettings): Record<Field, string> {
    return Object.fromEntries((Object.keys(BOOST_FIELDS) as Field[]).map((f) => [f, write(f, s)])) as Record<Field, string>;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('settings') && this.settings !== this.emitted) {
      this.raw = this.rawOf(this.settings);
      this.problems = {};
    }
  }

  private edit(field: Field, value: string): void {
    this.raw = { ...this.raw, [field]: value };
    const problems: Partial<Record<Field, string>> = {};
    const next = { ...this.settings } as Record<Field, unknown>;
    for (const f of Object.keys(BOOST_FIELDS) as Field[]) {
      try {
        next[f] = BOOST_FIELDS[f].read(this.raw[f]);
      } catch (e) {
        problems[f] = `${LABELS[f]} ${reasonOf(e)}.`;
      }
    }
    this.problems = problems;
    const first = Object.values(problems)[0] ?? null;
    this.emitted = first ? null : (next as unknown as BoostSettings);
    emit(this, 'sp-boost-edit', { settings: this.emitted, problem: first });
  }

  private field(f: Field, input: unknown) {
    const problem = this.problems[f];
    const error = problem ? html`<span class="error" role="alert" data-testid=${`boost-${f}-error`}>${problem}</span>` : nothing;
    return html`<span class="field"><label for=${`b-${f}`}>${LABELS[f]}</label>${input}${error}</span>`;
  }

  private number(f: Field, min: number, max: number, step: string) {
    return this.field(
      f,
      html`<input
        id=${`b-${f}`}
        type="number"
        data-testid=${`boost-${f}`}
        min=${min}
        max=${max}
        .step=${step}
        ?disabled=${this.disabled}
        aria-invalid=${this.problems[f] ? 'true' : 'false'}
        .value=${this.raw[f]}
        @change=${(e: Event) => this.edit(f, (e.target as HTMLInputElement).value)}
      />`,
    );
  }

  override render() {
    return html`<div class="row">
        ${this.number('rounds', 1, ENSEMBLE_LIMITS.maxRounds, '1')} ${this.number('epochs', 1, ENSEMBLE_LIMITS.maxEpochs, '1')}
        ${this.number('shrinkage', 0, 10, 'any')}
      </div>
      <div class="row">
        ${this.field(
          'layers',
          html`<input
            id="b-layers"
            class="layers"
            data-testid="boost-layers"
            ?disabled=${this.disabled}
            aria-invalid=${this.problems.layers ? 'true' : 'false'}
            .value=${this.raw.layers}
            @change=${(e: Event) => this.edit('layers', (e.target as HTMLInputElement).value)}
          />`,
        )}
        ${this.field(
          'activation',
          html`<select
            id="b-activation"
            data-testid="boost-activation"
            ?disabled=${this.disabled}
            @change=${(e: Event) => this.edit('activation', (e.target as HTMLSelectElement).value)}
          >
            ${ACTIVATIONS.map((a) => html`<option value=${a} .selected=${this.raw.activation === a}>${a}</option>`)}
          </select>`,
        )}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-boost-settings': SpBoostSettings;
  }
}
