import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sourceEntryPoints, type SourceEntryPoint } from '../../src/explorer/entry-points.ts';
import { KERNEL_SOURCES } from '../../src/explorer/sources.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { bindingCell, kernelTableStyles, onRowKey } from './kernel-table-view.ts';

// Read once: the shipped sources never change, and parsing them costs a little at every render.
const SHIPPED = sourceEntryPoints(KERNEL_SOURCES);

/**
 * Every kernel of the shipped WGSL files, read from the sources alone, so it shows with no GPU
 * device (or before one is ready): file and entry point, workgroup size (overrides at their
 * defaults) and bindings. Clicking a row emits `sp-kernel-select` ({family}), as the step's
 * kernel list does.
 */
@customElement('sp-shader-entry-points')
export class SpShaderEntryPoints extends LitElement {
  static override styles = [baseStyles, kernelTableStyles];

  /** Family whose rows are highlighted. */
  @property() selected = '';

  private select(e: SourceEntryPoint): void {
    emit(this, 'sp-kernel-select', { family: e.family });
  }

  override render() {
    const files = new Set(SHIPPED.map((e) => e.file)).size;
    return html`
      <div class="scroll-region" role="region" aria-label="Kernels of the shipped WGSL files" tabindex="0">
        <table>
          <caption class="muted" style="text-align: left">
            ${SHIPPED.length} kernels in ${files} WGSL files, read from the sources.
          </caption>
          <thead>
            <tr>
              <th>file · entry point</th>
              <th class="num">workgroup size</th>
              <th>bindings (one layout per file)</th>
            </tr>
          </thead>
          <tbody>
            ${SHIPPED.map(
              (e) =>
                html`<tr
                  class="kernel ${e.family === this.selected ? 'selected' : ''}"
                  data-testid="kernel-entry"
                  tabindex="0"
                  @click=${() => this.select(e)}
                  @keydown=${(ev: KeyboardEvent) => onRowKey(ev, () => this.select(e))}
                >
                  <td><code>${e.file}</code> · <code>${e.entry}</code></td>
                  <td class="num" title=${`@workgroup_size(${e.workgroupSizeText})`}>${e.workgroupSize?.join('×') ?? e.workgroupSizeText}</td>
                  ${bindingCell(e.bindings)}
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
    'sp-shader-entry-points': SpShaderEntryPoints;
  }
}
