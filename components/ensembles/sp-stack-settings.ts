import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_STACK, ENSEMBLE_LIMITS, parseLearner, reasonOf, stackProblem, type LearnerSettings, type StackSettings } from '../../src/config/ensembles.ts';
import { ACTIVATIONS } from '../../src/nn/activation.ts';
import { OPTIMIZERS } from '../../src/nn/optimizer.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { ensembleStyles } from './ensemble-styles.ts';

/** A learner row as typed: layers and learning rate as text, the choices as picked. */
interface RowDraft {
  layers: string;
  activation: string;
  optimizer: string;
  lr: string;
}

const draftOf = (l: LearnerSettings): RowDraft => ({ layers: l.layers.join(','), activation: l.activation, optimizer: l.optimizer, lr: String(l.lr) });

/**
 * Stacking's settings: the base learners, one row each (hidden layers like `16` or `8,8`,
 * activation, optimizer, learning rate; 1 to 8 rows, added and removed here), the folds of the
 * out-of-fold predictions, the meta-learner's hidden layer (0: none) and whether it also gets the
 * original features. A bad field shows its message beside it and the last good settings stay.
 * Event out: `sp-stack-edit` (the new settings, or null with the problem).
 */
@customElement('sp-stack-settings')
export class SpStackSettings extends LitElement {
  static override styles = [baseStyles, ensembleStyles];

  @property({ attribute: false }) settings: StackSettings = DEFAULT_STACK;
  @property({ type: Boolean }) disabled = false;

  @state() private rows: RowDraft[] = DEFAULT_STACK.learners.map(draftOf);
  @state() private k = String(DEFAULT_STACK.k);
  @state() private meta = String(DEFAULT_STACK.meta);
  @state() private pass = DEFAULT_STACK.pass;
  @state() private problems: Record<string, string> = {};
  private emitted: StackSettings | null = null;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('settings') && this.settings !== this.emitted) {
      const s = this.settings;
      [this.rows, this.k, this.meta, this.pass, this.problems] = [s.learners.map(draftOf), String(s.k), String(s.meta), s.pass, {}];
    }
  }

  /** Reads every field; emits the settings when all read, else the first problem (the settings stay). */
  private changed(): void {
    const problems: Record<string, string> = {};
    const learners: LearnerSettings[] = [];
    this.rows.forEach((r, i) => {
      try {
        learners.push(parseLearner(`${r.layers}/${r.activation}/${r.optimizer}/${r.lr}`));
      } catch (e) {
        const field = (e as { field?: string }).field;
        problems[`learner-${i}`] = `Learner ${i + 1}: ${field === 'lr' ? 'learning rate' : (field ?? 'it')} ${reasonOf(e)}.`;
      }
    });
    const next: StackSettings = { k: Number(this.k), meta: Number(this.meta), pass: this.pass, learners };
    const whole = Object.keys(problems).length ? null : stackProblem(next);
    if (whole) problems[whole.field] = `${whole.field === 'k' ? 'Folds' : whole.field === 'meta' ? 'Meta hidden units' : 'Learners'} ${whole.message}.`;
    this.problems = problems;
    const first = Object.values(problems)[0] ?? null;
    this.emitted = first ? null : next;
    emit(this, 'sp-stack-edit', { settings: this.emitted, problem: first });
  }

  private setRow(i: number, patch: Partial<RowDraft>): void {
    this.rows = this.rows.map((r, j) => (j === i ? { ...r, ...patch } : r));
    this.changed();
  }

  private error(key: string, testid: string) {
    const p = this.problems[key];
    return p ? html`<span class="error" role="alert" data-testid=${testid}>${p}</span>` : nothing;
  }

  private renderRow(r: RowDraft, i: number) {
    const id = (f: string) => `s-${f}-${i}`;
    const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
    return html`<div class="row" data-testid="stack-learner">
      <strong>${i + 1}.</strong>
      <span class="field"
        ><label for=${id('layers')}>Layers</label>
        <input id=${id('layers')} class="layers" ?disabled=${this.disabled} .value=${r.layers} @change=${(e: Event) => this.setRow(i, { layers: value(e) })}
      /></span>
      <span class="field"
        ><label for=${id('act')}>Activation</label>
        <select id=${id('act')} ?disabled=${this.disabled} @change=${(e: Event) => this.setRow(i, { activation: value(e) })}>
          ${ACTIVATIONS.map((a) => html`<option value=${a} .selected=${r.activation === a}>${a}</option>`)}
        </select></span
      >
      <span class="field"
        ><label for=${id('opt')}>Optimizer</label>
        <select id=${id('opt')} ?disabled=${this.disabled} @change=${(e: Event) => this.setRow(i, { optimizer: value(e) })}>
          ${OPTIMIZERS.map((o) => html`<option value=${o} .selected=${r.optimizer === o}>${o}</option>`)}
        </select></span
      >
      <label for=${id('lr')}>Learning rate</label>
      <input
        id=${id('lr')}
        type="number"
        min="0"
        .step=${'any'}
        ?disabled=${this.disabled}
        .value=${r.lr}
        @change=${(e: Event) => this.setRow(i, { lr: value(e) })}
      />
      <button
        ?disabled=${this.disabled || this.rows.length <= 1}
        aria-label=${`Remove learner ${i + 1}`}
        @click=${() => {
          this.rows = this.rows.filter((_, j) => j !== i);
          this.changed();
        }}
      >
        Remove
      </button>
      ${this.error(`learner-${i}`, 'stack-learner-error')}
    </div>`;
  }

  override render() {
    const full = this.rows.length >= ENSEMBLE_LIMITS.maxLearners;
    return html`${this.rows.map((r, i) => this.renderRow(r, i))}
      <div class="row">
        <button
          data-testid="stack-add"
          ?disabled=${this.disabled || full}
          @click=${() => {
            this.rows = [...this.rows, draftOf(DEFAULT_STACK.learners[this.rows.length % DEFAULT_STACK.learners.length]!)];
            this.changed();
          }}
        >
          Add learner
        </button>
        ${full ? html`<span class="muted">at most ${ENSEMBLE_LIMITS.maxLearners} base learners</span>` : nothing}
      </div>
      <div class="row">
        <label for="s-k">Folds</label>
        <input
          id="s-k"
          type="number"
          data-testid="stack-k"
          min=${ENSEMBLE_LIMITS.minK}
          max=${ENSEMBLE_LIMITS.maxK}
          step="1"
          ?disabled=${this.disabled}
          .value=${this.k}
          @change=${(e: Event) => {
            this.k = (e.target as HTMLInputElement).value;
            this.changed();
          }}
        />
        ${this.error('k', 'stack-k-error')}
        <label for="s-meta">Meta-learner hidden units (0: none)</label>
        <input
          id="s-meta"
          type="number"
          data-testid="stack-meta"
          min="0"
          max=${ENSEMBLE_LIMITS.maxUnits}
          step="1"
          ?disabled=${this.disabled}
          .value=${this.meta}
          @change=${(e: Event) => {
            this.meta = (e.target as HTMLInputElement).value;
            this.changed();
          }}
        />
        ${this.error('meta', 'stack-meta-error')}
        <label
          ><input
            type="checkbox"
            data-testid="stack-pass"
            ?disabled=${this.disabled}
            .checked=${this.pass}
            @change=${(e: Event) => {
              this.pass = (e.target as HTMLInputElement).checked;
              this.changed();
            }}
          />
          Also pass the original features to the meta-learner</label
        >
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-stack-settings': SpStackSettings;
  }
}
