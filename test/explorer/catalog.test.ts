import { expect } from '@esm-bundle/chai';
import lossSource from '../../shaders/loss.wgsl';
import { bindingNames, formatBytes, formatCount, stepCatalog, workgroupSizeOf } from '../../src/explorer/catalog.ts';
import { ShaderExplorer } from '../../src/explorer/explorer.ts';
import { explorerGpu } from './helpers.ts';

describe('stepCatalog', () => {
  it('lists the Iris step in order: gather, 3 forward, loss, 5 backward, optimizer', async () => {
    const explorer = await ShaderExplorer.create(await explorerGpu());
    try {
      const c = explorer.catalog;
      expect(c.map((k) => k.file)).to.deep.equal([
        'gather.wgsl',
        'matmul.wgsl',
        'matmul.wgsl',
        'matmul.wgsl',
        'loss.wgsl',
        ...Array(5).fill('matmul.wgsl'),
        'optimizer.wgsl',
      ]);
      expect(c.map((k) => k.index)).to.deep.equal(c.map((_, i) => i));
      const [gather, fwd0, , , loss] = c as [(typeof c)[0], (typeof c)[0], (typeof c)[0], (typeof c)[0], (typeof c)[0]];
      // Gather: 32 rows × 4 features in one workgroup of 256.
      expect(gather.workgroups).to.deep.equal([1, 1, 1]);
      expect(gather.invocations).to.equal(256);
      expect(gather.bytes).to.equal(4 * (32 + 2 * 32 * 4));
      expect(gather.bindings.map((b) => `${b.binding}:${b.kind}:${b.name}`)).to.deep.equal([
        '0:uniform:u',
        '1:read:src',
        '2:read:indices',
        '3:read:state',
        '4:rw:out',
      ]);
      // Forward layer 0: X[32,4]·W[4,16] + b, relu.
      expect(fwd0.entry).to.equal(`matmul_${explorer.backend.batch.matmulVariant}`);
      // Blocked: one workgroup of 4×4 covers 32×32 outputs; tiled: one of 16×16 covers 64×64.
      const size = explorer.backend.batch.matmulVariant === 'blocked' ? [4, 4, 1] : [16, 16, 1];
      expect(fwd0.workgroupSize).to.deep.equal(size);
      expect(fwd0.invocations).to.equal(size[0]! * size[1]!);
      expect(fwd0.flops).to.equal(2 * 32 * 16 * 4 + 2 * 32 * 16);
      expect(fwd0.bytes).to.equal(4 * (32 * 4 + 4 * 16 + 32 * 16 + 16));
      expect(loss.entry).to.equal('softmax_ce');
      expect(loss.bindings.map((b) => b.name)).to.deep.equal(['u', 'logits', 'targets', 'indices', 'weights', 'out', 'metrics', 'state']);
      const opt = c[c.length - 1]!;
      const arena = explorer.backend.batch.debugBuffers().arenaFloats;
      expect(opt.flops).to.equal(18 * arena);
      expect(opt.bytes).to.equal(4 * 7 * arena);
      // Four arena elements per invocation.
      expect(opt.invocations).to.equal(Math.ceil(arena / 4 / 256) * 256);
      expect(explorer.families.map((f) => `${f.name}${f.inStep ? '' : ' (not in step)'}`)).to.deep.equal([
        'gather',
        'matmul',
        'loss',
        'optimizer',
        'argmax (not in step)',
      ]);
    } finally {
      explorer.dispose();
    }
  });

  it('lists dispatches that name no family with what they have', () => {
    const entry = stepCatalog([{ label: 'x · y', entry: 'x', pipeline: {} as GPUComputePipeline, bindGroup: {} as GPUBindGroup, workgroups: [2, 3, 1] }])[0]!;
    expect(entry).to.include({ family: null, file: null, invocations: null, flops: null, bytes: null });
  });
});

describe('WGSL header readers', () => {
  it("reads @workgroup_size literals, consts, overrides (the pipeline's value, else the default) and missing dimensions", () => {
    const src =
      'const WG: u32 = 64u;\n// @workgroup_size(1) fn a\n@compute @workgroup_size(WG)\nfn a() {}\n@compute @workgroup_size(8, 4u, 2)\nfn b() {}\noverride S = 3;\n@compute @workgroup_size(4, 4, S)\nfn c() {}\n@compute @workgroup_size(WG * 2)\nfn d() {}';
    expect(workgroupSizeOf(src, 'a')).to.deep.equal([64, 1, 1]);
    expect(workgroupSizeOf(src, 'b')).to.deep.equal([8, 4, 2]);
    expect(workgroupSizeOf(src, 'c')).to.deep.equal([4, 4, 3]);
    expect(workgroupSizeOf(src, 'c', { S: 8 })).to.deep.equal([4, 4, 8]);
    expect(workgroupSizeOf(src, 'd')).to.equal(null);
    expect(workgroupSizeOf(src, 'missing')).to.equal(null);
    expect(workgroupSizeOf(lossSource, 'mse')).to.deep.equal([16, 1, 1]);
  });

  it('reads binding names, ignoring comments', () => {
    const names = bindingNames(
      '// @binding(0) var<uniform> nope: X;\n@group(0) @binding(0) var<uniform> u: P;\n@group(0) @binding(3) var<storage, read_write> out: array<f32>;',
    );
    expect([...names]).to.deep.equal([
      [0, 'u'],
      [3, 'out'],
    ]);
  });

  it('formats bytes and counts', () => {
    expect([formatBytes(100), formatBytes(2048), formatBytes(3 * 1024 * 1024), formatBytes(null)]).to.deep.equal(['100 B', '2.0 kB', '3.00 MB', 'n/a']);
    expect([formatCount(999), formatCount(12300), formatCount(4.5e6), formatCount(1.2e9)]).to.deep.equal(['999', '12.3 k', '4.5 M', '1.2 G']);
  });
});
