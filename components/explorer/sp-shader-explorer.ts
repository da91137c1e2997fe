import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { KernelEntry } from '../../src/explorer/catalog.ts';
import type { CheckResult } from '../../src/explorer/checks.ts';
import type { CompileResult } from '../../src/explorer/edit.ts';
import type { ProfileReport } from '../../src/explorer/profiler.ts';
import { encodeSharedEdit, type SharedEdit } from '../../src/explorer/share.ts';
import type { BufferSnapshot } from '../../src/explorer/snapshot.ts';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { ExplorerSession } from './explorer-session.ts';
import { sessionBar, sharedEditBanner } from './explorer-session-view.ts';
import { explorerPartStyles, explorerStyles } from './explorer-styles.ts';
import './sp-shader-buffers.ts';
import './sp-shader-offline.ts';
import './sp-shader-editor.ts';
import './sp-shader-kernel-list.ts';
import './sp-shader-timing.ts';
import { baseStyles, containerStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

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
 * kernel". Emits `sp-kernel-compiled` ({family, result}) and `sp-kernel-checked` ({family, result}); the
 * unprefixed `kernel-compiled` and `kernel-checked` are dispatched too but deprecated.
 *
 * Unless a host assigns `explorer` before it first renders, the element drives itself: it takes
 * its own GPU device, trains `experiment`'s network (the small Iris one when null) and times it,
 * with Pause and Restart. Without WebGPU, an adapter or a device it shows one state instead:
 * what is missing and why, every kernel's source, and the float64 reference checks.
 */
@customElement('sp-shader-explorer')
export class SpShaderExplorer extends LitElement {
  static override styles = [baseStyles, containerStyles, explorerPartStyles, explorerStyles];

  /** A host's explorer; when set before the first render, the element does not start its own. */
  @property({ attribute: false }) explorer: ExplorerApi | null = null;
  @property({ attribute: false }) profile: ProfileReport | null = null;
  /** The network the element's own session trains (from a playground link); null for Iris 4→16→16→3. */
  @property({ attribute: false }) experiment: ExperimentConfig | null = null;
  /** The WebGPU the own session uses: the browser's; tests pass null or a fake to see the no-GPU state. */
  @property({ attribute: false }) gpu: GPU | null | undefined = globalThis.navigator?.gpu;
  /** An edit from a link: shown, never compiled without a click. */
  @property({ attribute: false }) sharedEdit: SharedEdit | null = null;
  /** Family open in the editor. */
  @property() selected = 'matmul';
  @state() private drafts = new Map<string, string>();
  @state() private compiles = new Map<string, CompileResult>();
  @state() private checks = new Map<string, CheckResult>();
  @state() private busy: 'compile' | 'check' | null = null;
  @state() private snapshot: BufferSnapshot | null = null;
  @state() private snapshotBusy = false;
  @state() private shareLink = '';
  private readonly session = new ExplorerSession(this);
  /** True when this element runs its own session (no host-assigned explorer). */
  private selfDriven = false;
  private snapshotTaken = false;

  /** The explorer in use: the host's, or the element's own session's once it is built (null once a removed element freed it). */
  get api(): ExplorerApi | null {
    return this.selfDriven ? this.session.explorer : this.explorer;
  }

  protected override firstUpdated(): void {
    if (this.explorer) return;
    this.selfDriven = true;
    // After this update, not inside it: starting asks for another render.
    void this.updateComplete.then(() => this.session.start(this.experiment, this.gpu));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: the session stopped on disconnect starts again.
    if (this.selfDriven && !this.session.explorer) void this.session.start(this.experiment, this.gpu);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('experiment') && this.selfDriven) void this.session.start(this.experiment, this.gpu);
    const names = this.api?.families.map((f) => f.name) ?? [];
    if (names.length && !names.includes(this.selected)) this.selected = names[0]!;
  }

  protected override updated(): void {
    // The buffer inspector opens with one snapshot once the own session has trained a little.
    if (this.selfDriven && !this.snapshotTaken && this.session.profile) {
      this.snapshotTaken = true;
      void this.takeSnapshot();
    }
  }

  private get family() {
    return this.api?.families.find((f) => f.name === this.selected) ?? null;
  }

  private draft(): string {
    return this.drafts.get(this.selected) ?? this.family?.family.source ?? '';
  }

  private setDraft(name: string, source: string): void {
    this.drafts = new Map(this.drafts).set(name, source);
  }

  private async compile(name = this.selected, source = this.draft()): Promise<CompileResult | null> {
    if (!this.api) return null;
    this.busy = 'compile';
    try {
      const result = await this.api.compile(name, source);
      this.compiles = new Map(this.compiles).set(name, result);
      emit(this, 'sp-kernel-compiled', { family: name, result });
      return result;
    } finally {
      this.busy = null;
    }
  }

  private reset(): void {
    const name = this.selected;
    this.api?.reset(name);
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
    if (!this.api || !this.family) return;
    if (this.draft() !== this.family.family.source) {
      const compiled = await this.compile(name);
      if (!compiled?.ok) return;
    }
    this.busy = 'check';
    try {
      const result = await this.api.check(name);
      this.checks = new Map(this.checks).set(name, result);
      emit(this, 'sp-kernel-checked', { family: name, result });
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
    if (!this.api || this.snapshotBusy) return;
    this.snapshotBusy = true;
    try {
      this.snapshot = await this.api.snapshot();
    } finally {
      this.snapshotBusy = false;
    }
  }

  private renderEditor() {
    const f = this.family;
    if (!f) return html`<p class="muted">This network runs no kernel the explorer can show.</p>`;
    const compiled = this.compiles.get(f.name);
    const checked = this.checks.get(f.name);
    const edited = this.api?.edited(f.name) ?? false;
    const dirty = this.draft() !== f.family.source;
    return html`
      <div class="tabs" role="group" aria-label="Kernel files">
        ${this.api!.families.map(
          (x) =>
            html`<button aria-pressed=${x.name === f.name} data-testid="family-tab" @click=${() => (this.selected = x.name)}>
              ${x.name}.wgsl${x.inStep ? '' : ' (not in the step)'}${this.api!.edited(x.name) ? ' ✎' : ''}
            </button>`,
        )}
      </div>
      <sp-shader-editor
        .source=${this.draft()}
        .filename=${`${f.name}.wgsl — ${edited ? 'edited, running' : 'as shipped'}${dirty ? ' · unsaved changes (Compile to run them)' : ''}`}
        .messages=${compiled?.messages ?? []}
        @sp-source-input=${(e: CustomEvent<{ source: string }>) => this.setDraft(f.name, e.detail.source)}
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

  /** The own session's bar: the session, the network it trains, and a retry that keeps both. */
  private renderSession() {
    return sessionBar({ session: this.session, experiment: this.experiment, retry: () => void this.session.start(this.experiment, this.gpu) });
  }

  private renderSharedEdit(canRun: boolean) {
    return sharedEditBanner({ edit: this.sharedEdit, canRun, run: () => void this.runShared(), ignore: () => (this.sharedEdit = null) });
  }

  override render() {
    const e = this.api;
    if (this.selfDriven && this.session.state === 'no-gpu') {
      return html`${this.renderSharedEdit(false)}<sp-shader-offline .missing=${this.session.missing}></sp-shader-offline>`;
    }
    const profile = this.selfDriven ? this.session.profile : this.profile;
    return html`
      ${this.selfDriven ? this.renderSession() : nothing} ${this.renderSharedEdit(e !== null)}
      ${
        e
          ? html`<section>
                <h2>Kernels of one training step</h2>
                <sp-shader-kernel-list
                  .kernels=${e.catalog}
                  .profile=${profile}
                  .selected=${this.selected}
                  @sp-kernel-select=${(ev: CustomEvent<{ family: string }>) => (this.selected = ev.detail.family)}
                ></sp-shader-kernel-list>
              </section>
              <div class="cols">
                <section>
                  <h2>Source</h2>
                  ${this.renderEditor()}
                </section>
                <section>
                  <h2>Time per kernel</h2>
                  <sp-shader-timing .profile=${profile}></sp-shader-timing>
                </section>
              </div>
              <section>
                <h2>Buffer inspector</h2>
                <sp-shader-buffers .snapshot=${this.snapshot} .busy=${this.snapshotBusy} @sp-snapshot-request=${this.takeSnapshot}></sp-shader-buffers>
              </section>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-explorer': SpShaderExplorer;
  }
}
