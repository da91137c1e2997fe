import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { KernelEntry } from '../src/explorer/catalog.ts';
import type { CheckResult } from '../src/explorer/checks.ts';
import type { CompileResult } from '../src/explorer/edit.ts';
import type { ProfileReport } from '../src/explorer/profiler.ts';
import { encodeSharedEdit, type SharedEdit } from '../src/explorer/share.ts';
import type { BufferSnapshot } from '../src/explorer/snapshot.ts';
import './sp-shader-buffers.ts';
import './sp-shader-editor.ts';
import './sp-shader-kernel-list.ts';
import './sp-shader-timing.ts';
import { OwnExplorerController } from './explorer-controller.ts';
import { baseStyles } from './styles.ts';

/** What the element drives; ShaderExplorer (src/explorer/explorer.ts) implements it. */
export interface ExplorerApi {
  readonly catalog: KernelEntry[];
  readonly families: { name: string; inStep: boolean; family: { source: string; originalSource: string } }[];
  compile(name: string, source: string): Promise<CompileResult>;
  reset(name: string): boolean;
  edited(name: string): boolean;
  check(name: string): Promise<CheckResult>;
  snapshot(): Promise<BufferSnapshot>;
}

/**
 * The shader explorer: the step's kernel list, per-kernel times, the WGSL of each family in an
 * editor with Compile / Reset / Check ("Does it still match?"), and the buffer inspector. An
 * edit that arrives in a link (`sharedEdit`) is only shown until someone clicks "Run this edited
 * kernel". Emits `kernel-compiled` ({family, result}) and `kernel-checked` ({family, result}).
 * Alone in a page (no `explorer` given, no `external` attribute) it trains the default Iris
 * network on a device of its own.
 */
@customElement('sp-shader-explorer')
export class SpShaderExplorer extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      section { margin: 0 0 20px; }
      h2 { font-size: 16px; margin: 0 0 8px; }
      .cols { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 20px; }
      @media (max-width: 900px) { .cols { grid-template-columns: 1fr; } }
      .tabs { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 8px; }
      .tabs button[aria-pressed='true'] { border-color: var(--sp-accent); box-shadow: inset 0 -2px 0 var(--sp-accent); }
      .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
      .status { font-size: 13px; margin: 4px 0; }
      .ok { color: #1a7f37; }
      .banner { border: 1px solid var(--sp-accent); border-radius: var(--sp-radius); padding: 8px 12px; margin-bottom: 12px; background: var(--sp-panel); }
    `,
  ];

  @property({ attribute: false }) explorer: ExplorerApi | null = null;
  @property({ attribute: false }) profile: ProfileReport | null = null;
  /** An edit from a link: shown, never compiled without a click. */
  @property({ attribute: false }) sharedEdit: SharedEdit | null = null;
  /** Family open in the editor. */
  @property() selected = 'matmul';
  /** Set when the page supplies `explorer` later; without it, an element alone runs its own. */
  @property({ type: Boolean }) external = false;

  private readonly own = new OwnExplorerController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.explorer && !this.external) void this.own.start();
  }

  @state() private drafts = new Map<string, string>();
  @state() private compiles = new Map<string, CompileResult>();
  @state() private checks = new Map<string, CheckResult>();
  @state() private busy: 'compile' | 'check' | null = null;
  @state() private snapshot: BufferSnapshot | null = null;
  @state() private snapshotBusy = false;
  @state() private shareLink = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    const names = this.explorer?.families.map((f) => f.name) ?? [];
    if (changed.has('explorer') && names.length && !names.includes(this.selected)) this.selected = names[0]!;
  }

  private get family() {
    return this.explorer?.families.find((f) => f.name === this.selected) ?? null;
  }

  private draft(): string {
    return this.drafts.get(this.selected) ?? this.family?.family.source ?? '';
  }

  private setDraft(name: string, source: string): void {
    this.drafts = new Map(this.drafts).set(name, source);
  }

  private async compile(name = this.selected, source = this.draft()): Promise<CompileResult | null> {
    if (!this.explorer) return null;
    this.busy = 'compile';
    try {
      const result = await this.explorer.compile(name, source);
      this.compiles = new Map(this.compiles).set(name, result);
      this.dispatchEvent(new CustomEvent('kernel-compiled', { detail: { family: name, result }, bubbles: true, composed: true }));
      return result;
    } finally {
      this.busy = null;
    }
  }

  private reset(): void {
    const name = this.selected;
    this.explorer?.reset(name);
    const drafts = new Map(this.drafts);
    drafts.delete(name);
    this.drafts = drafts;
    const compiles = new Map(this.compiles);
    compiles.delete(name);
    this.compiles = compiles;
    const checks = new Map(this.checks);
    checks.delete(name);
    this.checks = checks;
  }

  /** Checks the running kernel; a draft that differs from it is compiled first. */
  private async check(): Promise<void> {
    const name = this.selected;
    if (!this.explorer || !this.family) return;
    if (this.draft() !== this.family.family.source) {
      const compiled = await this.compile(name);
      if (!compiled?.ok) return;
    }
    this.busy = 'check';
    try {
      const result = await this.explorer.check(name);
      this.checks = new Map(this.checks).set(name, result);
      this.dispatchEvent(new CustomEvent('kernel-checked', { detail: { family: name, result }, bubbles: true, composed: true }));
    } finally {
      this.busy = null;
    }
  }

  private async runShared(): Promise<void> {
    const edit = this.sharedEdit;
    if (!edit) return;
    this.sharedEdit = null;
    this.selected = edit.family;
    this.setDraft(edit.family, edit.source);
    await this.compile(edit.family, edit.source);
  }

  private share(): void {
    const hash = encodeSharedEdit({ family: this.selected, source: this.draft() });
    this.shareLink = `${location.href.split('#')[0]}${hash}`;
  }

  /** Reads the buffers back now and shows their histograms. */
  async takeSnapshot(): Promise<void> {
    if (!this.explorer || this.snapshotBusy) return;
    this.snapshotBusy = true;
    try {
      this.snapshot = await this.explorer.snapshot();
    } finally {
      this.snapshotBusy = false;
    }
  }

  private renderEditor() {
    const f = this.family;
    if (!f) return this.own.error ? html`<p class="error" role="alert" data-testid="explorer-error">${this.own.error}</p>` : html`<p class="muted">Loading kernels…</p>`;
    const compiled = this.compiles.get(f.name);
    const checked = this.checks.get(f.name);
    const edited = this.explorer?.edited(f.name) ?? false;
    const dirty = this.draft() !== f.family.source;
    return html`
      <div class="tabs" role="group" aria-label="Kernel files">
        ${this.explorer!.families.map(
          (x) => html`<button aria-pressed=${x.name === f.name} data-testid="family-tab" @click=${() => (this.selected = x.name)}>
            ${x.name}.wgsl${x.inStep ? '' : ' (not in the step)'}${this.explorer!.edited(x.name) ? ' ✎' : ''}
          </button>`,
        )}
      </div>
      <sp-shader-editor
        .source=${this.draft()}
        .filename=${`${f.name}.wgsl — ${edited ? 'edited, running' : 'as shipped'}${dirty ? ' · unsaved changes (Compile to run them)' : ''}`}
        .messages=${compiled?.messages ?? []}
        @source-input=${(e: CustomEvent<{ source: string }>) => this.setDraft(f.name, e.detail.source)}
      ></sp-shader-editor>
      <div class="actions">
        <button class="primary" data-testid="compile" ?disabled=${this.busy !== null} @click=${() => this.compile()}>
          ${this.busy === 'compile' ? 'Compiling…' : 'Compile'}
        </button>
        <button data-testid="reset-kernel" ?disabled=${this.busy !== null} @click=${this.reset}>Reset to original</button>
        <button data-testid="check-kernel" ?disabled=${this.busy !== null} @click=${this.check}>
          ${this.busy === 'check' ? 'Checking…' : 'Check: does it still match?'}
        </button>
        <button data-testid="share-kernel" @click=${this.share}>Link to this edit</button>
      </div>
      ${this.shareLink ? html`<p class="status muted">Link: <input readonly size="40" .value=${this.shareLink} aria-label="Link to this edit" /></p>` : nothing}
      <p class="status ${compiled ? (compiled.ok ? 'ok' : 'error') : 'muted'}" data-testid="compile-status" aria-live="polite">
        ${compiled ? compiled.summary : 'The last good pipelines keep running until an edit compiles.'}
      </p>
      <p class="status ${checked ? (checked.matches ? 'ok' : 'error') : 'muted'}" data-testid="check-result" aria-live="polite">
        ${checked ? checked.summary : 'Check runs this kernel’s reference test on random inputs of awkward sizes.'}
      </p>
    `;
  }

  override render() {
    const e = this.explorer;
    return html`
      ${this.sharedEdit
        ? html`<div class="banner" data-testid="shared-edit">
            This link carries an edited <code>${this.sharedEdit.family}.wgsl</code> (${this.sharedEdit.source.length} characters).
            It has not been compiled or run.
            <button class="primary" data-testid="run-shared" @click=${this.runShared}>Run this edited kernel</button>
            <button @click=${() => (this.sharedEdit = null)}>Ignore</button>
          </div>`
        : nothing}
      <section>
        <h2>Kernels of one training step</h2>
        <sp-shader-kernel-list
          .kernels=${e?.catalog ?? []}
          .profile=${this.profile}
          .selected=${this.selected}
          @kernel-select=${(ev: CustomEvent<{ family: string }>) => (this.selected = ev.detail.family)}
        ></sp-shader-kernel-list>
      </section>
      <div class="cols">
        <section>
          <h2>Source</h2>
          ${this.renderEditor()}
        </section>
        <section>
          <h2>Time per kernel</h2>
          <sp-shader-timing .profile=${this.profile}></sp-shader-timing>
        </section>
      </div>
      <section>
        <h2>Buffer inspector</h2>
        <sp-shader-buffers .snapshot=${this.snapshot} .busy=${this.snapshotBusy} @snapshot-request=${this.takeSnapshot}></sp-shader-buffers>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-explorer': SpShaderExplorer;
  }
}
