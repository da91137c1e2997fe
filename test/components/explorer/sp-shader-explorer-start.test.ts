// <sp-shader-explorer> while its GPU device starts: what needs no device shows from the first
// render, and what needs one waits, disabled and saying why, until the device is ready. The only
// fakes are WebGPU objects that hold the real adapter back (a fault: a device that is slow or
// never comes); everything else runs for real.
import { expect } from '@esm-bundle/chai';
import '../../../components/explorer/sp-shader-explorer.ts';
import type { SpShaderExplorer } from '../../../components/explorer/sp-shader-explorer.ts';
import { sourceEntryPoints } from '../../../src/explorer/entry-points.ts';
import { KERNEL_SOURCES } from '../../../src/explorer/sources.ts';
import { waitFor } from '../../helpers/async.ts';
import { findAll, findTags } from '../../helpers/sweep.ts';

/** A WebGPU whose adapter arrives only when `release()` is called (never, if it is not). */
function heldGpu(): { gpu: GPU; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const gpu = {
    async requestAdapter(options?: GPURequestAdapterOptions) {
      await gate;
      return navigator.gpu.requestAdapter(options);
    },
  } as unknown as GPU;
  return { gpu, release };
}

/** A self-driven explorer on `gpu`, after its first render (and its parts' first renders). */
async function startOn(gpu: GPU): Promise<SpShaderExplorer> {
  const el = document.createElement('sp-shader-explorer');
  el.gpu = gpu;
  document.body.append(el);
  await el.updateComplete;
  for (const part of findTags<HTMLElement & { updateComplete: Promise<boolean> }>(el, '*')) await part.updateComplete;
  return el;
}

const one = (el: Element, testid: string) => {
  const found = findAll(el, testid);
  expect(found.length, testid).to.equal(1);
  return found[0]!;
};
const text = (el: Element, testid: string) => one(el, testid).textContent!.replace(/\s+/g, ' ').trim();
const editor = (el: Element) => findTags<HTMLElementTagNameMap['sp-shader-editor']>(el, 'sp-shader-editor')[0]!;
/** What the editor draws: the highlighted copy's text (the text area's is only its value). */
const drawn = (el: Element) => editor(el).shadowRoot!.querySelector('pre')!.textContent;
const EDIT_BUTTONS = ['compile', 'reset-kernel', 'check-kernel', 'share-kernel'];

async function clickTab(el: SpShaderExplorer, name: string): Promise<void> {
  findAll(el, 'family-tab')
    .find((t) => t.textContent!.trim().startsWith(`${name}.wgsl`))!
    .click();
  await el.updateComplete;
  await editor(el).updateComplete;
}

describe('<sp-shader-explorer> while its GPU device starts', () => {
  afterEach(() => document.querySelectorAll('sp-shader-explorer').forEach((e) => e.remove()));

  it('shows the kernels, every source and the reference checks at once, on a device that never comes', async () => {
    const el = await startOn(heldGpu().gpu);
    // Said once, in the status line that has always said it.
    expect(text(el, 'explorer-starting')).to.match(/Starting: taking a GPU device/);
    expect(text(el, 'device')).to.equal('…');
    // The kernels, read from the sources; the step's own dispatch list waits.
    expect(findAll(el, 'kernel-entry').length).to.equal(sourceEntryPoints(KERNEL_SOURCES).length);
    expect(findAll(el, 'kernel-row').length).to.equal(0);
    expect(text(el, 'kernel-list-waiting')).to.match(/waiting for the GPU device…/);
    // Every file, exactly as shipped, read only.
    expect(findAll(el, 'family-tab').map((t) => t.textContent!.trim())).to.deep.equal(KERNEL_SOURCES.map((k) => `${k.name}.wgsl`));
    for (const file of KERNEL_SOURCES) {
      await clickTab(el, file.name);
      expect(drawn(el), file.name).to.equal(file.source);
      expect(one(el, 'source-editor')).to.have.property('readOnly', true);
    }
    // What needs the device is there, disabled, and says why.
    for (const testid of [...EDIT_BUTTONS, 'take-snapshot']) expect((one(el, testid) as HTMLButtonElement).disabled, testid).to.equal(true);
    expect(text(el, 'edit-waiting')).to.match(/waiting for the GPU device…/);
    expect(text(el, 'timing-waiting')).to.match(/timed while the network trains: waiting for the GPU device…/);
    expect(text(el, 'snapshot-waiting')).to.match(/waiting for the GPU device…/);
    expect(findAll(el, 'timing-method').length).to.equal(0);
    // The float64 reference checks run on the CPU meanwhile.
    one(el, 'reference-check').click();
    await waitFor('the reference checks', () => /match/.test(text(el, 'reference-check-result')), 120_000);
    expect(text(el, 'reference-check-result')).to.match(/gradients match central differences: 15 of 15 cases/);
    expect(text(el, 'explorer-starting'), 'still waiting').to.match(/taking a GPU device/);
  });

  it('lights up timing, editing and snapshots when the real device arrives, keeping the open file and the checks', async () => {
    const held = heldGpu();
    const el = await startOn(held.gpu);
    await clickTab(el, 'loss');
    one(el, 'reference-check').click();
    await waitFor('the reference checks', () => /match/.test(text(el, 'reference-check-result')), 120_000);
    held.release();
    await waitFor('the step of the real device', () => findAll(el, 'kernel-row').length > 0, 120_000);
    expect(findAll(el, 'kernel-row').length, 'gather, 3 forward, loss, 5 backward, optimizer').to.equal(11);
    expect(findAll(el, 'explorer-starting').length).to.equal(0);
    expect(text(el, 'device')).to.not.equal('…');
    for (const testid of ['kernel-list-waiting', 'kernel-entry', 'edit-waiting', 'timing-waiting', 'snapshot-waiting']) {
      expect(findAll(el, testid).length, testid).to.equal(0);
    }
    for (const testid of EDIT_BUTTONS) expect((one(el, testid) as HTMLButtonElement).disabled, testid).to.equal(false);
    expect(one(el, 'source-editor')).to.have.property('readOnly', false);
    expect(drawn(el), 'the file chosen while waiting stays open').to.equal(KERNEL_SOURCES.find((k) => k.name === 'loss')!.source);
    expect(text(el, 'reference-check-result'), 'the checks run while waiting keep their verdict').to.match(/15 of 15 cases/);
    await waitFor('a timed step', () => Number(text(el, 'step-time')) > 0, 120_000);
    expect(text(el, 'timing-method')).to.match(/GPU timestamps|CPU-side timing/);
    await waitFor('the first snapshot', () => text(el, 'snapshot-step').startsWith('after step'), 120_000);
    expect((one(el, 'take-snapshot') as HTMLButtonElement).disabled).to.equal(false);
  });
});
