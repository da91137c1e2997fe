// The shader explorer's Source section as template functions: the editor of the running kernels
// (tabs, editor, Compile / Reset / Check / Link and their results) and, while the GPU device
// starts, the shipped files read only with the same buttons disabled and the reason beside them.
// The element keeps the state; these draw it.
import { html, nothing } from 'lit';
import type { CheckResult } from '../../src/explorer/checks.ts';
import type { CompileResult } from '../../src/explorer/edit.ts';
import type { ExplorerApi } from './sp-shader-explorer.ts';
import './sp-shader-editor.ts';
import './sp-shader-sources.ts';

/** What the Compile / Reset / Check / Link row shows and does. */
interface ActionsContext {
  /** True while there is nothing to run them on (the device is not ready). */
  disabled: boolean;
  busy: 'compile' | 'check' | null;
  compile(): void;
  reset(): void;
  check(): void;
  share(): void;
}

function editActions(c: ActionsContext) {
  const off = c.disabled || c.busy !== null;
  return html`<div class="actions">
    <button class="primary" data-testid="compile" ?disabled=${off} @click=${() => c.compile()}>${c.busy === 'compile' ? 'Compiling…' : 'Compile'}</button>
    <button data-testid="reset-kernel" ?disabled=${off} @click=${() => c.reset()}>Reset to original</button>
    <button data-testid="check-kernel" ?disabled=${off} @click=${() => c.check()}>${c.busy === 'check' ? 'Checking…' : 'Check: does it still match?'}</button>
    <button data-testid="share-kernel" ?disabled=${c.disabled} @click=${() => c.share()}>Link to this edit</button>
  </div>`;
}

/** What the editor of the running kernels reads from the explorer element, and what its controls do. */
export interface LiveEditorContext extends Omit<ActionsContext, 'disabled'> {
  api: ExplorerApi;
  /** The family open in the editor; null when the network runs none the explorer can show. */
  family: ExplorerApi['families'][number] | null;
  draft: string;
  compiled: CompileResult | undefined;
  checked: CheckResult | undefined;
  shareLink: string;
  select(name: string): void;
  input(source: string): void;
}

/** The running kernels' files, editable, with Compile / Reset / Check / Link and their verdicts. */
export function liveEditor(c: LiveEditorContext) {
  const f = c.family;
  if (!f) return html`<p class="muted">This network runs no kernel the explorer can show.</p>`;
  const { compiled, checked } = c;
  const edited = c.api.edited(f.name);
  const dirty = c.draft !== f.family.source;
  const tab = (x: ExplorerApi['families'][number]) => `${x.name}.wgsl${x.inStep ? '' : ' (not in the step)'}${c.api.edited(x.name) ? ' ✎' : ''}`;
  return html`
    <div class="tabs" role="group" aria-label="Kernel files">
      ${c.api.families.map((x) => html`<button aria-pressed=${x.name === f.name} data-testid="family-tab" @click=${() => c.select(x.name)}>${tab(x)}</button>`)}
    </div>
    <sp-shader-editor
      .source=${c.draft}
      .filename=${`${f.name}.wgsl — ${edited ? 'edited, running' : 'as shipped'}${dirty ? ' · unsaved changes (Compile to run them)' : ''}`}
      .messages=${compiled?.messages ?? []}
      @sp-source-input=${(e: CustomEvent<{ source: string }>) => c.input(e.detail.source)}
    ></sp-shader-editor>
    ${editActions({ ...c, disabled: false })}
    ${c.shareLink ? html`<p class="status muted">Link: <input readonly size="40" .value=${c.shareLink} aria-label="Link to this edit" /></p>` : nothing}
    <p class="status ${compiled ? (compiled.ok ? 'ok' : 'error') : 'muted'}" data-testid="compile-status" aria-live="polite">
      ${compiled ? compiled.summary : 'The last good pipelines keep running until an edit compiles.'}
    </p>
    <p class="status ${checked ? (checked.matches ? 'ok' : 'error') : 'muted'}" data-testid="check-result" aria-live="polite">
      ${checked ? checked.summary : 'Check runs this kernel’s reference test on random inputs of awkward sizes.'}
    </p>
  `;
}

/** What the Source section shows before the device is ready. */
export interface WaitingEditorContext {
  /** The family shown; the same choice carries over to the editor once the device is ready. */
  selected: string;
  /** Why nothing can run yet, e.g. "waiting for the GPU device…". */
  waiting: string;
  select(name: string): void;
}

const noop = () => {};

/** Every shipped file, read only, and the edit buttons disabled with the reason in words. */
export function waitingEditor(c: WaitingEditorContext) {
  return html`
    <sp-shader-sources
      .selected=${c.selected}
      note="read only until the GPU device is ready"
      @sp-kernel-select=${(e: CustomEvent<{ family: string }>) => c.select(e.detail.family)}
    ></sp-shader-sources>
    ${editActions({ disabled: true, busy: null, compile: noop, reset: noop, check: noop, share: noop })}
    <p class="status muted" data-testid="edit-waiting">Editing, compiling and checking a kernel on the GPU: ${c.waiting}</p>
  `;
}
