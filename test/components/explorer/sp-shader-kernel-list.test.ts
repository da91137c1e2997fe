import { expect } from '@esm-bundle/chai';
import '../../../components/explorer/sp-shader-kernel-list.ts';
import type { SpShaderKernelList } from '../../../components/explorer/sp-shader-kernel-list.ts';
import type { KernelEntry } from '../../../src/explorer/catalog.ts';
import type { ProfileReport } from '../../../src/explorer/profiler.ts';

const KERNELS: KernelEntry[] = [
  {
    index: 0,
    label: 'gather_rows · train input',
    family: 'gather',
    file: 'gather.wgsl',
    entry: 'gather_rows',
    workgroups: [1, 1, 1],
    workgroupSize: [256, 1, 1],
    invocations: 256,
    bindings: [
      { binding: 0, kind: 'uniform', name: 'u' },
      { binding: 1, kind: 'rw', name: 'out' },
    ],
    flops: 0,
    bytes: 1152,
  },
  {
    index: 1,
    label: 'matmul_blocked · train forward layer 0',
    family: 'matmul',
    file: 'matmul.wgsl',
    entry: 'matmul_blocked',
    workgroups: [2, 3, 1],
    workgroupSize: [16, 16, 1],
    invocations: 1536,
    bindings: [],
    flops: 5120,
    bytes: 2880,
  },
];
const PROFILE: ProfileReport = {
  method: 'timestamp-query',
  description: 'GPU time',
  steps: 10,
  stepUs: 40,
  kernels: [
    { index: 0, label: KERNELS[0]!.label, meanUs: 10, share: 0.25, samples: 10 },
    { index: 1, label: KERNELS[1]!.label, meanUs: 30, share: 0.75, samples: 10 },
  ],
};

async function make(): Promise<SpShaderKernelList> {
  const el = document.createElement('sp-shader-kernel-list');
  el.kernels = KERNELS;
  el.selected = 'matmul';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<sp-shader-kernel-list>', () => {
  afterEach(() => document.querySelectorAll('sp-shader-kernel-list').forEach((e) => e.remove()));

  it('lists each dispatch with file, entry, workgroups, invocations, bindings, bytes and FLOPs', async () => {
    const el = await make();
    const rows = [...el.shadowRoot!.querySelectorAll('[data-testid="kernel-row"]')].map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()),
    );
    expect(rows[0]!.slice(0, 8)).to.deep.equal(['0', 'train input', 'gather.wgsl · gather_rows', '1×1×1', '256', '0 u (uniform)1 out (rw)', '1.1 kB', '0']);
    expect(rows[1]!.slice(3, 5)).to.deep.equal(['2×3×1', '1,536']);
    expect(rows[1]![7]).to.equal('5.1 k');
    expect(rows[0]![8]).to.equal('…');
    expect(el.shadowRoot!.querySelectorAll('tr.selected').length).to.equal(1);
  });

  it('shows mean time and share once a profile arrives', async () => {
    const el = await make();
    el.profile = PROFILE;
    await el.updateComplete;
    const times = [...el.shadowRoot!.querySelectorAll('[data-testid="kernel-time"]')].map((t) => t.textContent!.trim());
    expect(times).to.deep.equal(['10.0', '30.0']);
    expect(el.shadowRoot!.querySelector('[data-testid="step-time"]')!.textContent!.trim()).to.equal('40.0');
    expect(el.shadowRoot!.textContent).to.contain('75.0%');
  });

  it('emits sp-kernel-select (and the deprecated kernel-select) with the family on click and on Enter', async () => {
    const el = await make();
    const seen: string[] = [];
    const seenByOldName: string[] = [];
    el.addEventListener('sp-kernel-select', (e) => seen.push(e.detail.family));
    el.addEventListener('kernel-select', (e) => seenByOldName.push((e as CustomEvent<{ family: string }>).detail.family));
    const rows = el.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="kernel-row"]');
    rows[0]!.click();
    rows[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(seen).to.deep.equal(['gather', 'matmul']);
    expect(seenByOldName).to.deep.equal(['gather', 'matmul']);
  });
});
