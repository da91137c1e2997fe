import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytes, formatCount, type KernelEntry } from '../../src/explorer/catalog.ts';
import type { ProfileReport } from '../../src/explorer/profiler.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { bindingCell, kernelTableStyles, onRowKey } from './kernel-table-view.ts';

/**
 * The kernels of one training step, in order: WGSL file and entry point, dispatch size and
 * invocations, bindings, estimated bytes and FLOPs, and (with a profile) mean time and share.
 * Clicking a row emits `sp-kernel-select` ({family}) to open that file (and the deprecated
 * `kernel-select`).
 */
@customElement('sp-shader-kernel-list')
export class SpShaderKernelList extends LitElement {
  static override styles = [baseStyles, kernelTableStyles];

  @property({ attribute: false }) kernels: KernelEntry[] = [];
  @property({ attribute: false }) profile: ProfileReport | null = null;
  /** Family whose rows are highlighted. */
  @property() selected = '';

  private select(k: KernelEntry): void {
    if (!k.family) return;
    emit(this, 'sp-kernel-select', { family: k.family });
  }

  override render() {
    const times = this.profile?.kernels ?? [];
    const totals = this.kernels.reduce((s, k) => ({ flops: s.flops + (k.flops ?? 0), bytes: s.bytes + (k.bytes ?? 0) }), { flops: 0, bytes: 0 });
    return html`
      <div class="scroll-region" role="region" aria-label="Kernels of one training step" tabindex="0">
        <table>
          <caption class="muted" style="text-align: left">
            ${this.kernels.length} dispatches per training step, in order; bytes and FLOPs are estimates from the shapes (each operand read once).
          </caption>
          <thead>
            <tr>
              <th>#</th>
              <th>kernel</th>
              <th>file · entry point</th>
              <th class="num">workgroups</th>
              <th class="num">invocations</th>
              <th>bindings</th>
              <th class="num">bytes</th>
              <th class="num">FLOPs</th>
              <th class="num">mean µs</th>
              <th class="num">share</th>
            </tr>
          </thead>
          <tbody>
            ${this.kernels.map((k) => {
              const t = times[k.index];
              return html`<tr
                class="kernel ${k.family && k.family === this.selected ? 'selected' : ''}"
                data-testid="kernel-row"
                tabindex="0"
                @click=${() => this.select(k)}
                @keydown=${(e: KeyboardEvent) => onRowKey(e, () => this.select(k))}
              >
                <td class="num">${k.index}</td>
                <td>${k.label.split(' · ').slice(1).join(' · ') || k.label}</td>
                <td><code>${k.file ?? '?'}</code> · <code>${k.entry}</code></td>
                <td class="num">${k.workgroups.join('×')}</td>
                <td class="num">${k.invocations === null ? 'n/a' : k.invocations.toLocaleString('en')}</td>
                ${bindingCell(k.bindings)}
                <td class="num">${formatBytes(k.bytes)}</td>
                <td class="num">${formatCount(k.flops)}</td>
                <td class="num" data-testid="kernel-time">${t && t.samples > 0 ? t.meanUs.toFixed(1) : '…'}</td>
                <td class="num">${t && t.samples > 0 ? `${(t.share * 100).toFixed(1)}%` : nothing}</td>
              </tr>`;
            })}
          </tbody>
          <tfoot>
            <tr>
              <th colspan="6">step total</th>
              <th class="num">${formatBytes(totals.bytes)}</th>
              <th class="num">${formatCount(totals.flops)}</th>
              <th class="num" data-testid="step-time">${this.profile && this.profile.steps > 0 ? this.profile.stepUs.toFixed(1) : '…'}</th>
              <td></td>
            </tr>
          </tfoot>
        </table>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-kernel-list': SpShaderKernelList;
  }
}
