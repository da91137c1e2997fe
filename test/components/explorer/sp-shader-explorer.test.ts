import { expect } from '@esm-bundle/chai';
import '../../../components/explorer/sp-shader-explorer.ts';
import type { ExplorerApi, SpShaderExplorer } from '../../../components/explorer/sp-shader-explorer.ts';
import type { CheckResult } from '../../../src/explorer/checks.ts';
import type { CompileResult } from '../../../src/explorer/edit.ts';
import { sourceEntryPoints } from '../../../src/explorer/entry-points.ts';
import { ShaderExplorer } from '../../../src/explorer/explorer.ts';
import { KERNEL_SOURCES } from '../../../src/explorer/sources.ts';
import { droppedTermMatmul, explorerGpu } from '../../explorer/helpers.ts';
import { waitFor } from '../../helpers/async.ts';
import { findAll, findTags } from '../../helpers/sweep.ts';

/** An ExplorerApi that records calls: compiles succeed unless the source contains "BROKEN". */
function fakeExplorer() {
  const family = { source: 'fn a() {}', originalSource: 'fn a() {}' };
  const calls: string[] = [];
  const api: ExplorerApi = {
    catalog: [],
    families: [
      { name: 'matmul', inStep: true, family },
      { name: 'argmax', inStep: false, family: { source: 'x', originalSource: 'x' } },
    ],
    async compile(name, source): Promise<CompileResult> {
      calls.push(`compile ${name}`);
      if (source.includes('BROKEN'))
        return {
          ok: false,
          stage: 'shader',
          messages: [{ type: 'error', line: 1, column: 4, length: 1, message: 'bad' }],
          summary: 'matmul.wgsl: 1 error; first at 1:4: bad',
        };
      family.source = source;
      return { ok: true, stage: 'compiled', messages: [], summary: 'matmul.wgsl: 1 pipeline compiled; the edited kernel is running' };
    },
    reset(name) {
      calls.push(`reset ${name}`);
      family.source = family.originalSource;
      return true;
    },
    edited: () => family.source !== family.originalSource,
    async check(name): Promise<CheckResult> {
      calls.push(`check ${name}`);
      const matches = family.source === family.originalSource;
      return {
        family: name,
        matches,
        cases: [],
        maxAbs: matches ? 1e-7 : 0.5,
        maxRel: 0,
        summary: matches ? 'matmul.wgsl matches' : 'matmul.wgsl does not match',
      };
    },
    async snapshot() {
      calls.push('snapshot');
      return { step: 3, layers: [] };
    },
  };
  return { api, calls, family };
}

async function make(api: ExplorerApi): Promise<SpShaderExplorer> {
  const el = document.createElement('sp-shader-explorer');
  el.explorer = api;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const $ = (el: SpShaderExplorer, testid: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-testid="${testid}"]`)!;
const editor = (el: SpShaderExplorer) => el.shadowRoot!.querySelector('sp-shader-editor')!;
async function type(el: SpShaderExplorer, text: string): Promise<void> {
  const ta = editor(el).shadowRoot!.querySelector('textarea')!;
  ta.value = text;
  ta.dispatchEvent(new Event('input'));
  await el.updateComplete;
}
/** Waits (up to 90 s: compiling and checking on a loaded software adapter is slow) for a check verdict. */
async function settle(el: SpShaderExplorer): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
}

describe('<sp-shader-explorer>', () => {
  afterEach(() => document.querySelectorAll('sp-shader-explorer').forEach((e) => e.remove()));

  it('compiles the draft, shows messages on failure, and checks (compiling a changed draft first)', async () => {
    const { api, calls } = fakeExplorer();
    const el = await make(api);
    const events: string[] = [];
    for (const name of ['sp-kernel-compiled', 'sp-kernel-checked', 'kernel-compiled', 'kernel-checked']) {
      el.addEventListener(name, (e) => events.push(`${name} ${(e as CustomEvent<{ family: string }>).detail.family}`));
    }
    await type(el, 'BROKEN');
    $(el, 'compile').click();
    await settle(el);
    expect($(el, 'compile-status').textContent).to.contain('1 error; first at 1:4');
    expect(editor(el).messages.length).to.equal(1);
    await type(el, 'fn b() {}');
    $(el, 'check-kernel').click();
    await settle(el);
    expect(calls).to.deep.equal(['compile matmul', 'compile matmul', 'check matmul']);
    // The sp- names, each followed by its deprecated unprefixed name.
    expect(events).to.deep.equal([
      'sp-kernel-compiled matmul',
      'kernel-compiled matmul',
      'sp-kernel-compiled matmul',
      'kernel-compiled matmul',
      'sp-kernel-checked matmul',
      'kernel-checked matmul',
    ]);
    expect($(el, 'check-result').textContent).to.contain('does not match');
    $(el, 'reset-kernel').click();
    await settle(el);
    expect(editor(el).source).to.equal('fn a() {}');
    expect($(el, 'check-result').textContent).to.not.contain('match');
  });

  it('shows an edit from a link but compiles nothing until "Run this edited kernel"', async () => {
    const { api, calls, family } = fakeExplorer();
    const el = document.createElement('sp-shader-explorer');
    el.explorer = api;
    el.sharedEdit = { family: 'matmul', source: 'fn shared() {}' };
    document.body.append(el);
    await settle(el);
    expect($(el, 'shared-edit').textContent).to.contain('has not been compiled or run');
    expect(calls).to.deep.equal([]);
    $(el, 'run-shared').click();
    await settle(el);
    expect(calls).to.deep.equal(['compile matmul']);
    expect(family.source).to.equal('fn shared() {}');
    expect($(el, 'shared-edit')).to.equal(null);
  });

  it('switches files from the tabs and takes snapshots on request', async () => {
    const { api, calls } = fakeExplorer();
    const el = await make(api);
    const tabs = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[data-testid="family-tab"]');
    expect([...tabs].map((t) => t.textContent!.trim())).to.deep.equal(['matmul.wgsl', 'argmax.wgsl (not in the step)']);
    tabs[1]!.click();
    await el.updateComplete;
    expect(editor(el).source).to.equal('x');
    await el.takeSnapshot();
    expect(calls).to.deep.equal(['snapshot']);
  });

  it('on a real explorer: a broken matmul does not match, the shipped one does', async () => {
    const explorer = await ShaderExplorer.create(await explorerGpu());
    try {
      const el = await make(explorer);
      expect(el.shadowRoot!.querySelector('sp-shader-kernel-list')!.kernels.length).to.equal(11);
      await type(el, droppedTermMatmul());
      $(el, 'check-kernel').click();
      await waitFor('the check result', () => /match/.test($(el, 'check-result').textContent!), 120_000);
      expect($(el, 'compile-status').textContent).to.contain('the edited kernel is running');
      expect($(el, 'check-result').textContent).to.match(/does not match.*max abs error/);
      $(el, 'reset-kernel').click();
      await settle(el);
      $(el, 'check-kernel').click();
      await waitFor('the check result', () => /match/.test($(el, 'check-result').textContent!), 120_000);
      expect($(el, 'check-result').textContent).to.match(/matmul\.wgsl matches/);
    } finally {
      explorer.dispose();
    }
  });

  describe('without a GPU: one clear state, no dead controls', () => {
    /** An element that drives itself on `gpu`, settled in its no-GPU state. */
    async function offline(gpu: GPU | null): Promise<{ el: SpShaderExplorer; view: HTMLElement }> {
      const el = document.createElement('sp-shader-explorer');
      el.gpu = gpu;
      document.body.append(el);
      let view: HTMLElement | null = null;
      for (let i = 0; i < 100 && !view; i++) {
        await settle(el);
        view = el.shadowRoot!.querySelector('sp-shader-offline');
      }
      expect(view, 'the no-GPU view').to.not.equal(null);
      await (view as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
      await settle(el); // and its parts' first renders
      return { el, view: view! };
    }
    /** The first element with `testid` inside the view, through the shadow roots of its parts. */
    const inView = (view: HTMLElement, testid: string) => findAll(view, testid)[0] ?? null;

    it('names what is missing and why, and offers every kernel source, read only', async () => {
      const { el, view } = await offline(null);
      expect(inView(view, 'gpu-missing')!.textContent).to.equal('WebGPU');
      expect(inView(view, 'gpu-missing-why')!.textContent).to.contain('navigator.gpu is missing');
      expect(inView(view, 'explorer-unavailable')!.textContent).to.match(/What still works:.*WGSL source.*float64 reference checks/s);
      const tabs = findAll(view, 'family-tab').map((t) => t.textContent!.trim());
      expect(tabs).to.deep.equal(['matmul.wgsl', 'loss.wgsl', 'gather.wgsl', 'optimizer.wgsl', 'argmax.wgsl', 'dropout.wgsl', 'augment.wgsl', 'pixels.wgsl']);
      // The kernels, read from the sources: one row per entry point.
      expect(findAll(view, 'kernel-entry').length).to.equal(sourceEntryPoints(KERNEL_SOURCES).length);
      const editorEl = findTags<HTMLElementTagNameMap['sp-shader-editor']>(view, 'sp-shader-editor')[0]!;
      await editorEl.updateComplete;
      expect(editorEl.shadowRoot!.querySelector('textarea')!.readOnly).to.equal(true);
      expect(editorEl.source).to.match(/^\/\/ matmul\.wgsl/);
      // Nothing that needs a device is offered: no training toggle, compile, timing or snapshot.
      for (const testid of ['train-toggle', 'restart-training', 'compile', 'check-kernel', 'take-snapshot', 'timing-method']) {
        expect(el.shadowRoot!.querySelector(`[data-testid="${testid}"]`), testid).to.equal(null);
        expect(inView(view, testid), testid).to.equal(null);
      }
      findAll(view, 'family-tab')[7]!.click();
      await settle(el);
      expect(editorEl.source).to.match(/^\/\/ pixels\.wgsl/);
      // A row of the kernel table opens its file too.
      findAll(view, 'kernel-entry')
        .find((r) => r.textContent!.includes('softmax_ce'))!
        .click();
      await settle(el);
      expect(editorEl.source).to.match(/^\/\/ loss\.wgsl/);
    });

    it('shows every file exactly as shipped: the drawn text equals the source, first line and indentation included', async () => {
      const { el, view } = await offline(null);
      const editorEl = findTags<HTMLElementTagNameMap['sp-shader-editor']>(view, 'sp-shader-editor')[0]!;
      for (const [i, file] of KERNEL_SOURCES.entries()) {
        findAll(view, 'family-tab')[i]!.click();
        await settle(el);
        await editorEl.updateComplete;
        expect(editorEl.shadowRoot!.querySelector('pre')!.textContent, file.name).to.equal(file.source);
        expect(editorEl.shadowRoot!.querySelector('textarea')!.value, file.name).to.equal(file.source);
      }
    });

    it('says "a GPU adapter" when WebGPU finds none, and runs the float64 reference checks on the CPU', async () => {
      const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
      const { view } = await offline(noAdapter);
      expect(inView(view, 'gpu-missing')!.textContent).to.equal('a GPU adapter');
      inView(view, 'reference-check')!.click();
      const result = () => inView(view, 'reference-check-result')!.textContent!;
      for (let i = 0; i < 400 && !/match/.test(result()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(result()).to.match(/gradients match central differences: 15 of 15 cases/);
      expect((inView(view, 'reference-check') as HTMLButtonElement).disabled).to.equal(false);
    });
  });
});
