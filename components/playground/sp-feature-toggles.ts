import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_FEATURES, FEATURE_LABELS, INPUT_FEATURES, type InputFeature } from '../../src/data/features.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/**
 * The input features of 2-D data as checkboxes (x1, x2, x1², x2², x1·x2, sin x1, sin x2), each
 * a part of the experiment. Properties in, `sp-features-change` out; turning the last one off is
 * refused with a message beside the boxes and the box stays on.
 */
@customElement('sp-feature-toggles')
export class SpFeatureToggles extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin: 8px 0;
      }
      fieldset {
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
      }
      label {
        white-space: nowrap;
      }
    `,
  ];

  /** The features on now. */
  @property({ attribute: false }) features: readonly InputFeature[] = DEFAULT_FEATURES;
  @state() private message: string | null = null;

  private toggle(f: InputFeature, box: HTMLInputElement): void {
    const next = INPUT_FEATURES.filter((g) => (g === f ? box.checked : this.features.includes(g)));
    if (next.length === 0) {
      box.checked = true;
      this.message = 'At least one input feature must stay on.';
      return;
    }
    this.message = null;
    emit(this, 'sp-features-change', { features: next });
  }

  override render() {
    return html`<fieldset>
        <legend>Input features</legend>
        ${INPUT_FEATURES.map(
          (f) =>
            html`<label
              ><input
                type="checkbox"
                data-testid="feature-toggle"
                data-feature=${f}
                .checked=${this.features.includes(f)}
                @change=${(e: Event) => this.toggle(f, e.target as HTMLInputElement)}
              />
              ${FEATURE_LABELS[f]}</label
            >`,
        )}
      </fieldset>
      ${this.message ? html`<p class="error" role="alert" data-testid="features-error">${this.message}</p>` : null}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-feature-toggles': SpFeatureToggles;
  }
}
