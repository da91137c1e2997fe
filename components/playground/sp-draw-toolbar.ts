import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Task } from '../../src/config/task.ts';
import { DRAWN_LIMITS, drawnClasses, type DrawnPoint } from '../../src/data/drawn.ts';
import { emit } from '../shared/events.ts';
import { classColor } from '../shared/palette.ts';
import { baseStyles } from '../shared/styles.ts';
import type { DrawTool } from './draw-controller.ts';
import { valueColor } from './sp-draw-surface.ts';

/**
 * The data plot's drawing controls: the draw-data toggle and, in draw mode, the class (or, for
 * regression, the value) of new points, the eraser, undo, clear, "start from the data", how
 * much is drawn, and why a drawing was not applied, right above the plot the reader draws on.
 * Properties in, events out (`sp-draw-toggle`, `sp-draw-tool`, `sp-draw-class`, `sp-draw-value`,
 * `sp-draw-undo`, `sp-draw-clear`, `sp-draw-from-data`); the playground's DrawController acts.
 */
@customElement('sp-draw-toolbar')
export class SpDrawToolbar extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
      }
      .row + .row,
      .row + p,
      p + p {
        margin-top: 6px;
      }
      p {
        margin: 0;
        font-size: 13px;
      }
      button[aria-pressed='true'] {
        border-color: var(--sp-accent);
        box-shadow: inset 0 0 0 1px var(--sp-accent);
      }
      .swatch {
        padding: 3px 7px;
        font-variant-numeric: tabular-nums;
      }
      .dot {
        display: inline-block;
        width: 12px;
        height: 12px;
        border-radius: 50%;
        margin-right: 4px;
        vertical-align: -1px;
        border: 1px solid rgba(0, 0, 0, 0.45);
      }
      input[type='range'] {
        flex: 1 1 120px;
        min-width: 0;
      }
      output {
        min-width: 3.2em;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** True in draw mode; otherwise only the toggle shows. */
  @property({ type: Boolean }) active = false;
  /** Classification draws classes, regression values. */
  @property() task: Task = 'classification';
  @property() tool: DrawTool = 'add';
  @property({ type: Number }) drawClass = 0;
  @property({ type: Number }) value = 0.5;
  /** The drawing so far, counted under the controls. */
  @property({ attribute: false }) points: readonly DrawnPoint[] = [];
  @property({ type: Boolean }) canUndo = false;
  /** Offer to start from the session's own points (2-D classification data that is not a drawing). */
  @property({ type: Boolean }) canUseData = false;
  /** Why the drawing was not applied, or that it is full. */
  @property() message: string | null = null;
  /** The value slider's position while it is dragged. */
  @state() private draft: number | null = null;

  private target() {
    if (this.task === 'regression') {
      const v = this.draft ?? this.value;
      return html`<div class="row">
        <label for="value">Value of new points</label>
        <input
          id="value"
          data-testid="draw-value"
          type="range"
          min="-1"
          max="1"
          step="0.01"
          .value=${String(v)}
          @input=${(e: Event) => (this.draft = Number((e.target as HTMLInputElement).value))}
          @change=${(e: Event) => {
            this.draft = null;
            emit(this, 'sp-draw-value', { value: Number((e.target as HTMLInputElement).value) });
          }}
        />
        <output for="value"><span class="dot" style="background:${valueColor(v)}"></span>${v.toFixed(2)}</output>
      </div>`;
    }
    return html`<div class="row" role="group" aria-label="Class of new points">
      ${Array.from(
        { length: DRAWN_LIMITS.maxClasses },
        (_, k) =>
          html`<button
            class="swatch"
            data-testid=${`draw-class-${k}`}
            aria-label=${`class ${k}`}
            aria-pressed=${this.drawClass === k ? 'true' : 'false'}
            @click=${() => emit(this, 'sp-draw-class', { drawClass: k })}
          >
            <span class="dot" style="background:${classColor(k)}"></span>${k}
          </button>`,
      )}
    </div>`;
  }

  private count(): string {
    const n = this.points.length;
    const k = drawnClasses(this.points).length;
    const classes = this.task === 'regression' ? '' : ` · ${k} class${k === 1 ? '' : 'es'}`;
    return `${n} point${n === 1 ? '' : 's'}${classes} (at most ${DRAWN_LIMITS.maxPoints}).`;
  }

  override render() {
    const toggle = html`<button
      data-testid="draw-data"
      class=${this.active ? 'primary' : ''}
      aria-pressed=${this.active ? 'true' : 'false'}
      @click=${() => emit(this, 'sp-draw-toggle', null)}
    >
      ✎ Draw data
    </button>`;
    if (!this.active) return html`<div class="row" role="toolbar" aria-label="Drawing">${toggle}</div>`;
    const erasing = this.tool === 'erase';
    return html`
      <div class="row" role="toolbar" aria-label="Drawing">
        ${toggle}
        <button
          data-testid="draw-eraser"
          aria-pressed=${erasing ? 'true' : 'false'}
          @click=${() => emit(this, 'sp-draw-tool', { tool: erasing ? 'add' : 'erase' })}
        >
          Eraser
        </button>
        <button data-testid="draw-undo" ?disabled=${!this.canUndo} @click=${() => emit(this, 'sp-draw-undo', null)}>Undo</button>
        <button data-testid="draw-clear" ?disabled=${this.points.length === 0} @click=${() => emit(this, 'sp-draw-clear', null)}>Clear</button>
        ${this.canUseData ? html`<button data-testid="draw-from-data" @click=${() => emit(this, 'sp-draw-from-data', null)}>Start from the data</button>` : null}
      </div>
      ${this.target()}
      <p data-testid="draw-count">${this.count()}</p>
      <p class="muted">Click or drag on the plot to add points; right-click or the eraser removes them. Press Draw data again to train on the drawing.</p>
      ${this.message ? html`<p class="error" role="alert" data-testid="draw-message">${this.message}</p>` : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-draw-toolbar': SpDrawToolbar;
  }
}
