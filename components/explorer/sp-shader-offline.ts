import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { runReferenceChecks, type ReferenceCheckReport } from '../../src/explorer/reference-checks.ts';
import { KERNEL_SOURCES } from '../../src/explorer/sources.ts';
import type { GpuMissing } from './explorer-session.ts';
import './sp-shader-editor.ts';
import { baseStyles } from '../shared/styles.ts';

/**
 * The shader explorer where no kernel can run (no WebGPU, no adapter, or no device): one state
 * that says what is missing and why, and offers what still works: reading every kernel's WGSL
 * source, and the float64 reference checks, which run on the CPU.
 */
@customElement('sp-shader-offline')
export class SpShaderOffline extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      section {
        margin: 0 0 20px;
      }
      h2 {
        font-size: 16px;
        margin: 0 0 8px;
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
      .tabs {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin-bottom: 8px;
      }
      .tabs button[aria-pressed='true'] {
        border-color: var(--sp-accent);
        box-shadow: inset 0 -2px 0 var(--sp-accent);
      }
      ul {
        margin: 6px 0;
        padding-left: 1.2em;
        font-size: 13px;
      }
      .ok {
        color: var(--sp-ok, #1a7f37);
      }
      @media (prefers-color-scheme: dark) {
        .ok {
          color: var(--sp-ok, #57d17a);
        }
      }
    `,
  ];

  /** What is missing and why. */
  @property({ attribute: false }) missing: GpuMissing | null = null;
  /** The file shown. */
  @state() private selected = KERNEL_SOURCES[0]!.name;
  @state() private report: ReferenceCheckReport | null = null;
  @state() private progress: string | null = null;
  @state() private running = false;

  private async check(): Promise<void> {
    this.report = null;
    this.running = true;
    this.progress = 'Running the float64 reference checks…';
    try {
      this.report = await runReferenceChecks((c, done, total) => (this.progress = `Checked ${done} of ${total}: ${c.name}`));
      this.progress = null;
    } catch (e) {
      this.progress = `The reference checks failed to run: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.running = false;
    }
  }

  private renderState() {
    const m = this.missing;
    return html`<section class="state" data-testid="explorer-unavailable">
      <h2>The kernels cannot run in this browser</h2>
      <p>
        <strong>Missing:</strong> <span data-testid="gpu-missing">${m?.missing ?? 'a GPU'}</span>. <strong>Why:</strong>
        <span data-testid="gpu-missing-why">${m?.why ?? 'unknown'}</span>
      </p>
      <p>
        <strong>What still works:</strong> reading every kernel's WGSL source below, and the float64 reference checks, which run on the CPU. Training on the
        GPU, per-kernel timing, editing and compiling kernels, and buffer snapshots need a GPU device. The playground and the GAN lab train without one, on the
        CPU.
      </p>
    </section>`;
  }

  private renderSources() {
    const shown = KERNEL_SOURCES.find((k) => k.name === this.selected) ?? KERNEL_SOURCES[0]!;
    return html`<section>
      <h2>Kernel sources (read only)</h2>
      <div class="tabs" role="group" aria-label="Kernel files">
        ${KERNEL_SOURCES.map((k) => html`<button aria-pressed=${k.name === shown.name} data-testid="family-tab" @click=${() => (this.selected = k.name)}>${k.name}.wgsl</button>`)}
      </div>
      <sp-shader-editor readonly .source=${shown.source} .filename=${`${shown.name}.wgsl — as shipped (read only: no GPU to compile it on)`}></sp-shader-editor>
    </section>`;
  }

  private renderChecks() {
    const r = this.report;
    const failed = r?.cases.filter((c) => !c.pass) ?? [];
    return html`<section>
      <h2>Float64 reference checks</h2>
      <p class="muted">
        The CPU reference is the spec every kernel is tested against. Its backward pass (every activation and loss) is checked against central differences of
        its own forward pass.
      </p>
      <button class="primary" data-testid="reference-check" ?disabled=${this.running} @click=${this.check}>Run the float64 reference checks</button>
      <p data-testid="reference-check-result" class=${r ? (failed.length ? 'error' : 'ok') : 'muted'} aria-live="polite">
        ${r ? r.summary : (this.progress ?? 'Not run yet.')}
      </p>
      ${
        failed.length
          ? html`<ul>
              ${failed.map((c) => html`<li>${c.name}: ${c.worst}</li>`)}
            </ul>`
          : nothing
      }
    </section>`;
  }

  override render() {
    return html`${this.renderState()}${this.renderSources()}${this.renderChecks()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-offline': SpShaderOffline;
  }
}
