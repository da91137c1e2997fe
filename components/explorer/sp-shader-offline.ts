import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { KERNEL_SOURCES } from '../../src/explorer/sources.ts';
import type { GpuMissing } from './explorer-session.ts';
import { explorerPartStyles } from './explorer-styles.ts';
import './sp-shader-entry-points.ts';
import './sp-shader-reference-checks.ts';
import './sp-shader-sources.ts';
import { baseStyles } from '../shared/styles.ts';

/**
 * The shader explorer where no kernel can run (no WebGPU, no adapter, or no device): one state
 * that says what is missing and why, and offers what still works: the kernels read from the
 * sources, every kernel's WGSL source, and the float64 reference checks, which run on the CPU.
 * The same pieces show in the explorer while its device starts.
 */
@customElement('sp-shader-offline')
export class SpShaderOffline extends LitElement {
  static override styles = [
    baseStyles,
    explorerPartStyles,
    css`
      :host {
        display: block;
      }
      .state {
        border: 1px solid var(--sp-border);
        border-left: 4px solid var(--sp-accent);
        border-radius: var(--sp-radius);
        padding: 10px 14px;
        background: var(--sp-panel);
      }
      .state p {
        margin: 6px 0;
      }
    `,
  ];

  /** What is missing and why. */
  @property({ attribute: false }) missing: GpuMissing | null = null;
  /** The file shown; the kernel table and the tabs both pick it. */
  @state() private selected = KERNEL_SOURCES[0]!.name;

  private renderState() {
    const m = this.missing;
    return html`<section class="state" data-testid="explorer-unavailable">
      <h2>The kernels cannot run in this browser</h2>
      <p>
        <strong>Missing:</strong> <span data-testid="gpu-missing">${m?.missing ?? 'a GPU'}</span>. <strong>Why:</strong>
        <span data-testid="gpu-missing-why">${m?.why ?? 'unknown'}</span>
      </p>
      <p>
        <strong>What still works:</strong> the kernels and every kernel's WGSL source below, read from the files, and the float64 reference checks, which run on
        the CPU. Training on the GPU, per-kernel timing, editing and compiling kernels, and buffer snapshots need a GPU device. The playground and the GAN lab
        train without one, on the CPU.
      </p>
    </section>`;
  }

  override render() {
    const select = (e: CustomEvent<{ family: string }>) => (this.selected = e.detail.family);
    return html`${this.renderState()}
      <section>
        <h2>Kernels</h2>
        <sp-shader-entry-points .selected=${this.selected} @sp-kernel-select=${select}></sp-shader-entry-points>
      </section>
      <section>
        <h2>Kernel sources (read only)</h2>
        <sp-shader-sources .selected=${this.selected} note="read only: no GPU to compile it on" @sp-kernel-select=${select}></sp-shader-sources>
      </section>
      <sp-shader-reference-checks></sp-shader-reference-checks>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-offline': SpShaderOffline;
  }
}
