import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { CompileMessage } from '../../src/explorer/edit.ts';
import { tokenizeWgsl, type Token } from '../../src/explorer/wgsl-tokens.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

/**
 * A WGSL editor: line numbers, syntax highlighting (a tokenizer rendered as Lit spans, never
 * innerHTML) under a transparent <textarea>, and compile messages marked at their line and
 * column with the list below. Emits `sp-source-input` ({source}) as the text changes (and the deprecated `source-input`).
 */
@customElement('sp-shader-editor')
export class SpShaderEditor extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        --line: 18px;
      }
      .scroll {
        max-height: var(--sp-editor-height, 480px);
        overflow: auto;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-bg);
        display: grid;
        grid-template-columns: auto 1fr;
        font:
          12.5px/var(--line) ui-monospace,
          SFMono-Regular,
          Menlo,
          Consolas,
          monospace;
      }
      .gutter {
        text-align: right;
        padding: 6px 8px;
        color: var(--sp-muted);
        background: var(--sp-panel);
        user-select: none;
        border-right: 1px solid var(--sp-border);
      }
      .gutter div.error {
        color: var(--sp-error);
        font-weight: 600;
      }
      .code {
        position: relative;
        padding: 6px 8px;
        min-width: max-content;
      }
      pre {
        margin: 0;
        font: inherit;
        white-space: pre;
      }
      .line {
        position: relative;
        height: var(--line);
      }
      .line.error {
        background: color-mix(in srgb, var(--sp-error) 12%, transparent);
      }
      .line.warning {
        background: color-mix(in srgb, #e69f00 14%, transparent);
      }
      .mark {
        position: absolute;
        top: 0;
        height: var(--line);
        border-bottom: 2px wavy var(--sp-error);
        pointer-events: none;
      }
      .mark.warning,
      .mark.info {
        border-bottom-color: #e69f00;
      }
      textarea {
        position: absolute;
        inset: 6px 8px;
        width: calc(100% - 16px);
        height: calc(100% - 12px);
        margin: 0;
        padding: 0;
        border: 0;
        outline: none;
        resize: none;
        overflow: hidden;
        font: inherit;
        line-height: var(--line);
        white-space: pre;
        background: transparent;
        color: transparent;
        caret-color: var(--sp-fg);
        tab-size: 2;
      }
      textarea:focus-visible {
        outline: none;
      }
      /* The text area is invisible (the highlighted copy shows through): the frame shows its focus. */
      .scroll:focus-within {
        outline: 2px solid var(--sp-accent);
        outline-offset: 2px;
      }
      textarea::selection {
        background: color-mix(in srgb, var(--sp-accent) 30%, transparent);
        color: transparent;
      }
      .keyword {
        color: #c5407a;
      }
      .type {
        color: #0072b2;
      }
      .builtin {
        color: #8a5a00;
      }
      .number {
        color: #009e73;
      }
      .comment {
        color: var(--sp-muted);
        font-style: italic;
      }
      .attribute {
        color: #7b4fbf;
      }
      ul.messages {
        list-style: none;
        margin: 6px 0 0;
        padding: 0;
        font-size: 13px;
      }
      ul.messages li {
        padding: 2px 0;
      }
      ul.messages button {
        padding: 0 6px;
        font:
          12px ui-monospace,
          monospace;
      }
      .kind-error {
        color: var(--sp-error);
        font-weight: 600;
      }
      .kind-warning,
      .kind-info {
        color: var(--sp-muted);
        font-weight: 600;
      }
    `,
  ];

  /** The text to edit; setting it replaces the editor's content. */
  @property() source = '';
  /** Shown above the code, e.g. "matmul.wgsl". */
  @property() filename = '';
  /** Shown for reading only (e.g. without a GPU to compile on): the text cannot be changed. */
  @property({ type: Boolean }) readonly = false;
  /** Messages of the last compile, marked in the code. */
  @property({ attribute: false }) messages: CompileMessage[] = [];
  @state() private text = '';
  @query('textarea') private textarea!: HTMLTextAreaElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source')) this.text = this.source;
  }

  /** The editor's current text. */
  get value(): string {
    return this.text;
  }

  private onInput(e: Event): void {
    this.text = (e.target as HTMLTextAreaElement).value;
    emit(this, 'sp-source-input', { source: this.text });
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return;
    // Two spaces, as the shaders are indented; Escape then Tab leaves the editor.
    e.preventDefault();
    const t = this.textarea;
    t.setRangeText('  ', t.selectionStart, t.selectionEnd, 'end');
    t.dispatchEvent(new Event('input'));
  }

  /** Puts the caret at a 1-based line and column. */
  reveal(line: number, column: number): void {
    const lines = this.text.split('\n');
    const at = lines.slice(0, Math.max(0, line - 1)).reduce((s, l) => s + l.length + 1, 0) + Math.max(0, column - 1);
    this.textarea.focus();
    this.textarea.setSelectionRange(at, at);
    const lineHeight = 18;
    this.renderRoot.querySelector('.scroll')?.scrollTo({ top: Math.max(0, (line - 5) * lineHeight) });
  }

  /**
   * One line of the highlighted copy. Written without whitespace between the tags on purpose:
   * inside the <pre> every space and newline of the template would show, indenting each line
   * and pushing the code a line down from the text area over it. A newline ends every line but
   * the last, so the <pre>'s text is the source exactly.
   */
  private renderLine(tokens: Token[], n: number, messages: CompileMessage[], worst: string, last: boolean) {
    const marks = messages.map(
      (m) =>
        html`<span
          class="mark ${m.type}"
          data-testid="compile-mark"
          style="left: ${m.column - 1}ch; width: ${Math.max(1, m.length)}ch"
          title=${m.message}
        ></span>`,
    );
    const spans = tokens.map((t) => html`<span class=${t.kind}>${t.text}</span>`);
    const end = last ? nothing : '\n';
    // prettier-ignore
    return html`<div class="line ${worst}" data-line=${n}>${spans}${marks}${end}</div>`;
  }

  override render() {
    const lines = tokenizeWgsl(this.text);
    const byLine = new Map<number, CompileMessage[]>();
    for (const m of this.messages ?? []) if (m.line > 0) byLine.set(m.line, [...(byLine.get(m.line) ?? []), m]);
    const worst = (n: number) => (byLine.get(n)?.some((m) => m.type === 'error') ? 'error' : byLine.has(n) ? 'warning' : '');
    const code = lines.map((tokens, i) => this.renderLine(tokens, i + 1, byLine.get(i + 1) ?? [], worst(i + 1), i === lines.length - 1));
    return html`
      ${this.filename ? html`<div class="muted">${this.filename}</div>` : nothing}
      <div class="scroll" role="region" aria-label=${`WGSL source${this.filename ? ` of ${this.filename}` : ''}, scrolls sideways`}>
        <div class="gutter" aria-hidden="true">${lines.map((_, i) => html`<div class=${worst(i + 1)}>${i + 1}</div>`)}</div>
        <div class="code">
          <pre aria-hidden="true">${code}</pre>
          <textarea
            data-testid="source-editor"
            spellcheck="false"
            autocomplete="off"
            .wrap=${'off'}
            ?readonly=${this.readonly}
            aria-label=${`WGSL source${this.filename ? ` of ${this.filename}` : ''}`}
            .value=${live(this.text)}
            @input=${this.onInput}
            @keydown=${this.onKeyDown}
          ></textarea>
        </div>
      </div>
      ${
        this.messages?.length
          ? html`<ul class="messages" aria-live="polite">
              ${this.messages.map(
                (m) =>
                  html`<li data-testid="compile-message">
                    <span class="kind-${m.type}">${m.type}</span>
                    ${m.line > 0 ? html`<button title="Show in the source" @click=${() => this.reveal(m.line, m.column)}>${m.line}:${m.column}</button>` : nothing}
                    ${m.message}
                  </li>`,
              )}
            </ul>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-editor': SpShaderEditor;
  }
}
