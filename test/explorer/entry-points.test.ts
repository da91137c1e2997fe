import { expect } from '@esm-bundle/chai';
import { sourceBindings, sourceEntryPoints } from '../../src/explorer/entry-points.ts';
import { KERNEL_SOURCES } from '../../src/explorer/sources.ts';

describe('sourceEntryPoints', () => {
  it('reads every entry point of the shipped files with its workgroup size, no device needed', () => {
    const entries = sourceEntryPoints(KERNEL_SOURCES);
    const byEntry = new Map(entries.map((e) => [e.entry, e]));
    expect(new Set(entries.map((e) => e.file))).to.deep.equal(new Set(KERNEL_SOURCES.map((k) => `${k.name}.wgsl`)));
    expect(byEntry.get('matmul_blocked')!.workgroupSize, 'GROUP at its default 1').to.deep.equal([4, 4, 1]);
    expect(byEntry.get('matmul_blocked')!.workgroupSizeText).to.equal('4, 4, GROUP');
    expect(byEntry.get('matmul_tiled')!.workgroupSize).to.deep.equal([16, 16, 1]);
    expect(byEntry.get('softmax_ce')!.workgroupSize, 'a const').to.deep.equal([16, 1, 1]);
    expect(byEntry.get('gather_rows')!.workgroupSize).to.deep.equal([256, 1, 1]);
    expect(entries.filter((e) => e.family === 'loss').map((e) => e.entry)).to.deep.equal(['softmax_ce', 'sigmoid_bce', 'mse', 'least_squares']);
    // Helper functions are not entry points.
    expect(byEntry.has('use_model')).to.equal(false);
    expect(byEntry.get('gather_rows')!.bindings.map((b) => `${b.binding}:${b.kind}:${b.name}`)).to.deep.equal([
      '0:uniform:u',
      '1:read:src',
      '2:read:indices',
      '3:read:state',
      '4:rw:out',
    ]);
  });

  it('ignores commented-out code and reads storage without an access mode as read-only', () => {
    const source = [
      '// @compute @workgroup_size(8) fn old() {}',
      '@group(0) @binding(1) var<storage> xs: array<f32>;',
      '@group(0) @binding(0) var<uniform> u: P;',
      '/* @group(0) @binding(2) var<storage, read_write> gone: array<f32>; */',
      '@compute @workgroup_size(64, 2)',
      'fn main() {}',
    ].join('\n');
    expect(sourceBindings(source)).to.deep.equal([
      { binding: 0, kind: 'uniform', name: 'u' },
      { binding: 1, kind: 'read', name: 'xs' },
    ]);
    expect(sourceEntryPoints([{ name: 'x', source }]).map((e) => [e.entry, e.workgroupSize])).to.deep.equal([['main', [64, 2, 1]]]);
  });
});
