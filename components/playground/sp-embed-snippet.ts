import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/styles.ts';

/**
 * "Embed this experiment": the two snippets that put the current experiment into a blog post —
 * one module script plus a tag, or an iframe for hosts that cannot load modules — with copy
 * buttons. `hash` is the experiment's URL hash (without '#'); `base` is where the built files live.
 */
@customElement('sp-embed-snippet')
export class SpEmbedSnippet extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      textarea {
        width: 100%;
        box-sizing: border-box;
        font:
          12px/1.4 ui-monospace,
          monospace;
        resize: vertical;
      }
      .row {
        display: flex;
        justify-content: space-between;
        align-items: center;
        margin-top: 6px;
      }
    `,
  ];

  @property() hash = '';
  /** Folder URL of shaderprop.js and embed.html. */
  @property() base = new URL('./', location.href).href;
  @state() private copied: string | null = null;

  /** The module form: one script tag and one element configured by the hash. */
  get moduleSnippet(): string {
    return `<script type="module" src="${new URL('shaderprop.js', this.base).href}"></script>\n<sp-playground config="${escapeAttribute(this.hash)}"></sp-playground>`;
  }

  /** The iframe form. */
  get iframeSnippet(): string {
    return `<iframe src="${escapeAttribute(new URL(`embed.html#${this.hash}`, this.base).href)}" width="100%" height="720" style="border:0" title="shaderprop experiment" loading="lazy"></iframe>`;
  }

  private async copy(which: string, text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = which;
    } catch {
      this.copied = `${which}: select the text and copy it`;
    }
  }

  private block(id: string, label: string, text: string) {
    return html`
      <div class="row"><label for=${id}>${label}</label> <button data-testid=${`copy-${id}`} @click=${() => this.copy(label, text)}>Copy</button></div>
      <textarea id=${id} data-testid=${`snippet-${id}`} rows="3" readonly .value=${text}></textarea>
    `;
  }

  override render() {
    return html`
      ${this.block('module', 'Script tag', this.moduleSnippet)} ${this.block('iframe', 'Iframe', this.iframeSnippet)}
      ${this.copied ? html`<p class="muted" role="status">Copied: ${this.copied}</p>` : null}
    `;
  }
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-embed-snippet': SpEmbedSnippet;
  }
}
