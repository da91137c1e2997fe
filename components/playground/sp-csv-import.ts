import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CSV_LIMITS, parseCsv, suggestColumns, tableFromCsv, type CsvColumnChoice, type ParsedCsv } from '../../src/data/csv.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { Task } from '../../src/config/task.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/** Detail of `sp-csv-load`: the table built from the user's file, and the file's name. */
export interface CsvLoadDetail {
  table: LabeledTable;
  name: string;
}

const PREVIEW_ROWS = 5;
const PREVIEW_COLUMNS = 12;

/**
 * Imports the user's CSV file: reads it in the page (nothing is uploaded), shows a preview and a
 * column picker, and emits `sp-csv-load` with the table when the user applies it. Every problem
 * with the file is shown as an alert instead of thrown, because the file is untrusted input.
 */
@customElement('sp-csv-import')
export class SpCsvImport extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        margin: 6px 0;
      }
      .preview {
        overflow-x: auto;
        max-width: 100%;
      }
      table {
        border-collapse: collapse;
        font-size: 12px;
      }
      th,
      td {
        border: 1px solid var(--sp-border);
        padding: 2px 6px;
        white-space: pre;
        max-width: 12em;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      th {
        background: var(--sp-panel);
      }
      fieldset {
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        margin: 6px 0;
      }
      .features {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        max-height: 10em;
        overflow-y: auto;
      }
    `,
  ];

  /** Classification reads the label column as classes; regression as a numeric target. */
  @property() task: Task = 'classification';
  /** Name of the file currently in use by the experiment, if any, shown as a reminder. */
  @property({ attribute: false }) loadedName: string | null = null;

  @state() private csv: ParsedCsv | null = null;
  @state() private fileName = '';
  @state() private choice: CsvColumnChoice = { label: 0, features: [] };
  @state() private error = '';
  @state() private status = '';

  private async onFile(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    this.csv = null;
    this.error = '';
    this.status = '';
    if (!file) return;
    this.fileName = file.name;
    // Refuse before reading: a huge file would stall the tab just to be rejected.
    if (file.size > CSV_LIMITS.maxChars) {
      this.error = `${file.name} is too large (${(file.size / 1e6).toFixed(1)} MB); the limit is ${CSV_LIMITS.maxChars / 1e6} MB.`;
      return;
    }
    try {
      const csv = parseCsv(await file.text());
      this.choice = suggestColumns(csv);
      this.csv = csv;
    } catch (err) {
      this.error = `Cannot read ${file.name}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private onLabel(e: Event): void {
    const label = Number((e.target as HTMLSelectElement).value);
    const old = this.choice.label;
    // The old label becomes a feature again so switching back and forth loses nothing.
    const features = [...this.choice.features.filter((c) => c !== label), old].sort((a, b) => a - b);
    this.choice = { label, features: old === label ? this.choice.features : features };
    this.error = '';
  }

  private onFeature(col: number, checked: boolean): void {
    const rest = this.choice.features.filter((c) => c !== col);
    this.choice = { ...this.choice, features: checked ? [...rest, col].sort((a, b) => a - b) : rest };
    this.error = '';
  }

  private apply(): void {
    if (!this.csv) return;
    try {
      const table = tableFromCsv(this.csv, this.choice, this.task);
      this.error = '';
      const target = table.values ? `target ${table.classNames[0]}` : `${table.classNames.length} classes`;
      this.status = `Using ${table.labels.length} rows, ${table.inputSize} inputs, ${target}.`;
      const detail: CsvLoadDetail = { table, name: this.fileName };
      emit(this, 'sp-csv-load', detail);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private renderPreview(csv: ParsedCsv) {
    const cols = Math.min(csv.header.length, PREVIEW_COLUMNS);
    const more = csv.header.length - cols;
    return html`
      <div class="preview" data-testid="csv-preview" role="region" aria-label="First rows of the file" tabindex="0">
        <table aria-label="First rows of the file">
          <thead>
            <tr>
              ${csv.header.slice(0, cols).map((h) => html`<th scope="col">${h}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${csv.rows.slice(0, PREVIEW_ROWS).map(
              (row) =>
                html`<tr>
                  ${row.slice(0, cols).map((cell) => html`<td>${cell}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="muted">
        ${csv.rows.length} rows, ${csv.header.length} columns${more > 0 ? ` (${more} not shown)` : ''}${csv.hasHeader ? '' : ', no header row found'}.
      </p>
    `;
  }

  private renderColumns(csv: ParsedCsv) {
    return html`
      <div class="row">
        <label for="label">${this.task === 'regression' ? 'Target column (numbers)' : 'Class label column'}</label>
        <select id="label" data-testid="csv-label" .value=${String(this.choice.label)} @change=${this.onLabel}>
          ${csv.header.map((h, c) => html`<option value=${c} ?selected=${c === this.choice.label}>${h}</option>`)}
        </select>
      </div>
      <fieldset>
        <legend>Feature columns</legend>
        <div class="features">
          ${csv.header.map((h, c) =>
            c === this.choice.label
              ? nothing
              : html`<label
                  ><input
                    type="checkbox"
                    data-testid="csv-feature"
                    .checked=${this.choice.features.includes(c)}
                    @change=${(e: Event) => this.onFeature(c, (e.target as HTMLInputElement).checked)}
                  />
                  ${h}</label
                >`,
          )}
        </div>
      </fieldset>
      <button class="primary" data-testid="csv-apply" ?disabled=${this.choice.features.length === 0} @click=${this.apply}>Use this data</button>
    `;
  }

  override render() {
    return html`
      <div class="row">
        <label for="file">CSV file</label>
        <input id="file" type="file" accept=".csv,text/csv" data-testid="csv-file" @change=${this.onFile} />
      </div>
      <p class="muted">The file is read in this tab; nothing is uploaded.${this.loadedName ? ` In use: ${this.loadedName}.` : ''}</p>
      ${this.error ? html`<p class="error" role="alert" data-testid="csv-error">${this.error}</p>` : nothing}
      ${this.csv ? [this.renderPreview(this.csv), this.renderColumns(this.csv)] : nothing}
      ${this.status ? html`<p role="status" data-testid="csv-status">${this.status}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-csv-import': SpCsvImport;
  }
}
