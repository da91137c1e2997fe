import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { KERNEL_SOURCES } from '../../src/explorer/sources.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { explorerPartStyles } from './explorer-styles.ts';
import './sp-shader-editor.ts';

/**
 * Every shipped kernel file's WGSL, read only: one tab per file and the file in the editor's
 * view (line numbers, highlighting). Needs no GPU device, so the explorer shows it at once and
 * where no kernel can run. A tab emits `sp-kernel-select` ({family}) and shows that file.
 */
@customElement('sp-shader-sources')
export class SpShaderSources extends LitElement {
  static override styles = [
    baseStyles,
    explorerPartStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  /** The family shown (the file name without `.wgsl`); an unknown one shows the first file. */
  @property() selected = KERNEL_SOURCES[0]!.name;
  /** Why it is read only, after the file name, e.g. "no GPU to compile it on". */
  @property() note = 'read only';

  private select(name: string): void {
    this.selected = name;
    emit(this, 'sp-kernel-select', { family: name });
  }

  override render() {
    const shown = KERNEL_SOURCES.find((k) => k.name === this.selected) ?? KERNEL_SOURCES[0]!;
    return html`
      <div class="tabs" role="group" aria-label="Kernel files">
        ${KERNEL_SOURCES.map(
          (k) => html`<button aria-pressed=${k.name === shown.name} data-testid="family-tab" @click=${() => this.select(k.name)}>${k.name}.wgsl</button>`,
        )}
      </div>
      <sp-shader-editor readonly .source=${shown.source} .filename=${`${shown.name}.wgsl — as shipped (${this.note})`}></sp-shader-editor>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-sources': SpShaderSources;
  }
}
