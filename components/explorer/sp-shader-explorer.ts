import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { KernelEntry } from '../../src/explorer/catalog.ts';
import type { CheckResult } from '../../src/explorer/checks.ts';
import type { CompileResult } from '../../src/explorer/edit.ts';
import type { ProfileReport } from '../../src/explorer/profiler.ts';
import { encodeSharedEdit, type SharedEdit } from '../../src/explorer/share.ts';
import type { BufferSnapshot } from '../../src/explorer/snapshot.ts';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { liveEditor, waitingEditor } from './explorer-editor-view.ts';
import { ExplorerSession } from './explorer-session.ts';
import { sessionBar, sharedEditBanner } from './explorer-session-view.ts';
import { explorerPartStyles, explorerStyles } from './explorer-styles.ts';
import './sp-shader-buffers.ts';
import './sp-shader-entry-points.ts';
import './sp-shader-offline.ts';
import './sp-shader-kernel-list.ts';
import './sp-shader-reference-checks.ts';
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
 * with Pause and Restart. What needs no device shows from the first render: the kernels and
 * every kernel's WGSL read from the shipped files, and the float64 reference checks; the step's
 * dispatches, timing, editing and snapshots follow when the device is ready, their controls
 * disabled and saying why until then. Without WebGPU, an adapter or a device it shows one state
 * instead: what is missing and why, the same device-free parts, and nothing that needs a device.
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
    if (!this.selfDriven) return;
    // After this update, not inside it: starting asks for another render.
    void this.updateComplete.then(() => this.session.start(this.experiment, this.gpu));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: the session stopped on disconnect starts again.
    if (this.selfDriven && !this.session.explorer) void this.session.start(this.experiment, this.gpu);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Decided before the first render, so that render already shows the device-free parts.
    if (!this.hasUpdated && !this.explorer) this.selfDriven = true;
    else if (changed.has('experiment') && this.selfDriven) void this.session.start(this.experiment, this.gpu);
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

  private renderEditor(api: ExplorerApi) {
    const name = this.selected;
    return liveEditor({
      api,
      family: this.family,
      draft: this.draft(),
      compiled: this.compiles.get(name),
      checked: this.checks.get(name),
      busy: this.busy,
      shareLink: this.shareLink,
      select: (family) => (this.selected = family),
      input: (source) => this.setDraft(name, source),
      compile: () => void this.compile(),
      reset: () => this.reset(),
      check: () => void this.check(),
      share: () => this.share(),
    });
  }

  /** The own session's bar: the session, the network it trains, and a retry that keeps both. */
  private renderSession() {
    return sessionBar({ session: this.session, experiment: this.experiment, retry: () => void this.session.start(this.experiment, this.gpu) });
  }

  private renderSharedEdit(canRun: boolean, waiting: string | null = null) {
    return sharedEditBanner({ edit: this.sharedEdit, canRun, waiting, run: () => void this.runShared(), ignore: () => (this.sharedEdit = null) });
  }

  /** Before the device is ready: the kernels read from the sources, and why the step's own list waits. */
  private renderWaitingKernels(waiting: string) {
    return html`<p class="status muted" data-testid="kernel-list-waiting">
        The step's dispatches, in order, with their sizes, bytes, FLOPs and times, are listed once the network is built on the GPU: ${waiting} Meanwhile, every
        kernel of the shipped files:
      </p>
      <sp-shader-entry-points .selected=${this.selected} @sp-kernel-select=${this.onSelect}></sp-shader-entry-points>`;
  }

  private readonly onSelect = (e: CustomEvent<{ family: string }>) => (this.selected = e.detail.family);

  override render() {
    if (this.selfDriven && this.session.state === 'no-gpu') {
      return html`${this.renderSharedEdit(false)}<sp-shader-offline .missing=${this.session.missing}></sp-shader-offline>`;
    }
    const e = this.api;
    // Null once the explorer runs; while the own session starts (or after it failed), why not yet.
    const waiting = e ? null : this.selfDriven ? this.session.waitingFor : null;
    if (!e && waiting === null) return this.renderSharedEdit(false);
    const profile = this.selfDriven ? this.session.profile : this.profile;
    return html`
      ${this.selfDriven ? this.renderSession() : nothing} ${this.renderSharedEdit(e !== null, waiting)}
      <section>
        <h2>Kernels of one training step</h2>
        ${
          e
            ? html`<sp-shader-kernel-list
                .kernels=${e.catalog}
                .profile=${profile}
                .selected=${this.selected}
                @sp-kernel-select=${this.onSelect}
              ></sp-shader-kernel-list>`
            : this.renderWaitingKernels(waiting!)
        }
      </section>
      <div class="cols">
        <section>
          <h2>Source</h2>
          ${e ? this.renderEditor(e) : waitingEditor({ selected: this.selected, waiting: waiting!, select: (family) => (this.selected = family) })}
        </section>
        <section>
          <h2>Time per kernel</h2>
          ${
            e
              ? html`<sp-shader-timing .profile=${profile}></sp-shader-timing>`
              : html`<p class="status muted" data-testid="timing-waiting">Each kernel is timed while the network trains: ${waiting}</p>`
          }
        </section>
      </div>
      <section>
        <h2>Buffer inspector</h2>
        <sp-shader-buffers
          .snapshot=${this.snapshot}
          .busy=${this.snapshotBusy}
          .waiting=${waiting}
          @sp-snapshot-request=${this.takeSnapshot}
        ></sp-shader-buffers>
      </section>
      <sp-shader-reference-checks></sp-shader-reference-checks>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-explorer': SpShaderExplorer;
  }
}
