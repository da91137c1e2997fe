import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { rowNormalize } from '../../src/metrics/confusion.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { cellColors, cssRgb, parseColor, type Rgb } from './cell-colors.ts';

/** Detail of `sp-cell-select`: which cell of the matrix was chosen. */
export interface CellSelectDetail {
  trueClass: number;
  predictedClass: number;
}

/** Detail of `sp-normalize-change`. */
export interface NormalizeChangeDetail {
  normalized: boolean;
}

/**
 * A confusion matrix as an HTML table (rows = true class, columns = predicted), each cell's
 * background as strong as its value. Cells are buttons so they can be chosen with keyboard or
 * mouse: `sp-cell-select` says which. The "Row shares" toggle flips `normalized` and emits
 * `sp-normalize-change`, like a checkbox that reports its own change.
 */
@customElement('sp-confusion-matrix')
export class SpConfusionMatrix extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        justify-content: flex-end;
        margin-bottom: 6px;
      }
      table {
        border-collapse: collapse;
      }
      caption {
        text-align: left;
        color: var(--sp-muted);
        padding-bottom: 4px;
      }
      th {
        font-weight: 600;
        padding: 2px 6px;
        text-align: right;
      }
      thead th {
        text-align: center;
      }
      td {
        padding: 1px;
      }
      button.cell {
        min-width: 3.2em;
        padding: 6px 4px;
        border-radius: 4px;
        border-color: transparent;
        font-variant-numeric: tabular-nums;
        background: color-mix(in srgb, var(--sp-accent) var(--level), var(--sp-bg));
      }
      button.cell.diag {
        border-color: var(--sp-fg);
      }
      button.cell.strong {
        color: var(--sp-accent-fg);
      }
    `,
  ];

  /** Counts, `matrix[true][predicted]`. */
  @property({ attribute: false }) matrix: number[][] = [];
  /** Display names, by class index; missing names read "Class i". */
  @property({ attribute: false }) classNames: string[] = [];
  /** Show each row as shares of its true class instead of counts. */
  @property({ type: Boolean, reflect: true }) normalized = false;

  private toggle(): void {
    this.normalized = !this.normalized;
    emit(this, 'sp-normalize-change', { normalized: this.normalized });
  }

  /** The theme's colours in sRGB, read at each render (a host may retheme); null where one cannot be read, and CSS shades alone. */
  private theme(): { bg: Rgb; fg: Rgb; accent: Rgb; accentFg: Rgb } | null {
    const style = getComputedStyle(this);
    const [bg, fg, accent, accentFg] = ['--sp-bg', '--sp-fg', '--sp-accent', '--sp-accent-fg'].map((n) => parseColor(style.getPropertyValue(n).trim()));
    return bg && fg && accent && accentFg ? { bg, fg, accent, accentFg } : null;
  }

  private readonly scheme = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheme?.addEventListener('change', this.onScheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.scheme?.removeEventListener('change', this.onScheme);
  }

  private cell(t: number, p: number, shown: number, count: number, max: number, names: string[], theme: ReturnType<SpConfusionMatrix['theme']>) {
    const level = max > 0 ? shown / max : 0;
    // Every shade keeps its text at 4.5:1 (see cell-colors.ts); without readable theme colours, CSS mixes the shade.
    const colors = theme ? cellColors(level, theme) : null;
    const style: Record<string, string> = { '--level': `${(level * 100).toFixed(1)}%` };
    if (colors) Object.assign(style, { background: cssRgb(colors.background), color: cssRgb(colors.text) });
    const pct = `${Math.round(shown * 100)}%`;
    const text = this.normalized ? pct : String(count);
    const label = `True ${names[t]}, predicted ${names[p]}: ${count}${this.normalized ? `, ${pct} of the row` : ''}`;
    return html`<td>
      <button
        class="cell ${t === p ? 'diag' : ''} ${colors ? '' : level > 0.55 ? 'strong' : ''}"
        style=${styleMap(style)}
        aria-label=${label}
        data-true=${t}
        data-predicted=${p}
        @click=${() => emit(this, 'sp-cell-select', { trueClass: t, predictedClass: p })}
      >
        ${text}
      </button>
    </td>`;
  }

  override render() {
    const m = this.matrix ?? [];
    if (m.length === 0) return html`<p class="muted">No confusion matrix yet.</p>`;
    const names = m.map((_, i) => this.classNames?.[i] ?? `Class ${i}`);
    const shown = this.normalized ? rowNormalize(m) : m;
    const max = this.normalized ? 1 : Math.max(0, ...m.flat());
    const theme = this.theme();
    return html`
      <div class="bar">
        <button data-testid="normalize" aria-pressed=${this.normalized ? 'true' : 'false'} @click=${this.toggle}>Row shares</button>
      </div>
      <div class="scroll-region" role="region" aria-label="Confusion matrix" tabindex="0">
        <table>
          <caption>
            Confusion matrix: rows are true classes, columns predicted classes, cells ${this.normalized ? 'share of the true class' : 'counts'}
          </caption>
          <thead>
            <tr>
              <th scope="col"><span class="muted">true ╲ predicted</span></th>
              ${names.map((n) => html`<th scope="col">${n}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (row, t) =>
                html`<tr>
                  <th scope="row">${names[t]}</th>
                  ${row.map((v, p) => this.cell(t, p, v, m[t]![p]!, max, names, theme))}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-confusion-matrix': SpConfusionMatrix;
  }
}
