import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { runReferenceChecks, type ReferenceCheckReport } from '../../src/explorer/reference-checks.ts';
import { baseStyles } from '../shared/styles.ts';
import { explorerPartStyles } from './explorer-styles.ts';

/**
 * The float64 reference checked on the CPU: its backward pass (every activation and loss)
 * against central differences of its own forward pass, on a click. Needs no GPU device, so the
 * explorer offers it at once, while a device starts, and where none exists.
 */
@customElement('sp-shader-reference-checks')
export class SpShaderReferenceChecks extends LitElement {
  static override styles = [
    baseStyles,
    explorerPartStyles,
    css`
      :host {
        display: block;
      }
      ul {
        margin: 6px 0;
        padding-left: 1.2em;
        font-size: 13px;
      }
    `,
  ];

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

  override render() {
    const r = this.report;
    const failed = r?.cases.filter((c) => !c.pass) ?? [];
    return html`<section>
      <h2>Float64 reference checks</h2>
      <p class="muted">
        The CPU reference is the spec every kernel is tested against. Its backward pass (every activation and loss) is checked against central differences of
        its own forward pass, on the CPU: no GPU device needed.
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
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-reference-checks': SpShaderReferenceChecks;
  }
}
