import { expect } from '@esm-bundle/chai';
import lossSource from '../../shaders/loss.wgsl';
import gatherSource from '../../shaders/gather.wgsl';
import { checkFamily, compareArrays } from '../../src/explorer/checks.ts';
import { compileKernel } from '../../src/explorer/edit.ts';
import type { KernelFamily } from '../../src/gpu/kernel.ts';
import { ArgmaxKernel } from '../../src/gpu/kernels/argmax.ts';
import { GatherKernel } from '../../src/gpu/kernels/gather.ts';
import { LossKernel } from '../../src/gpu/kernels/loss.ts';
import { MatmulKernel } from '../../src/gpu/kernels/matmul.ts';
import { OptimizerKernel } from '../../src/gpu/kernels/optimizer.ts';
import { droppedTermMatmul, explorerGpu, reversedLoopMatmul } from './helpers.ts';

async function families(): Promise<Record<string, KernelFamily>> {
  const { device } = await explorerGpu();
  return {
    matmul: new MatmulKernel(device, 'blocked').family,
    loss: new LossKernel(device).family,
    gather: new GatherKernel(device, 65535).family,
    optimizer: new OptimizerKernel(device, 65535).family,
    argmax: new ArgmaxKernel(device).family,
  };
}

describe('compareArrays', () => {
  it('applies |got − want| ≤ atol + rtol·|want| and reports max abs and rel errors', () => {
    const r = compareArrays('x', [1.001, 2, -4], [1, 2, -4.004], 1e-3, 1e-3);
    expect(r.pass).to.equal(true);
    expect(r.maxAbs).to.be.closeTo(0.004, 1e-9);
    expect(r.maxRel).to.be.closeTo(0.001, 1e-6);
    expect(compareArrays('x', [1.01], [1], 1e-3, 1e-3).pass).to.equal(false);
  });

  it('lets NaN match only NaN, and fails on a length mismatch', () => {
    expect(compareArrays('x', [NaN], [NaN], 0, 0).pass).to.equal(true);
    expect(compareArrays('x', [NaN], [1], 1, 1).pass).to.equal(false);
    expect(compareArrays('x', [1], [NaN], 1, 1).pass).to.equal(false);
    expect(compareArrays('x', [1], [1, 2], 1, 1).pass).to.equal(false);
  });
});

describe('checkFamily: the shipped kernels match the float64 reference', () => {
  for (const name of ['matmul', 'loss', 'gather', 'optimizer', 'argmax']) {
    it(`${name}.wgsl matches`, async () => {
      const { device } = await explorerGpu();
      const family = (await families())[name]!;
      const result = await checkFamily(device, family, name === 'matmul' ? { matmulVariants: ['blocked', 'tiled'] } : {});
      expect(result.matches, result.summary).to.equal(true);
      expect(result.summary)
        .to.match(/ matches the float64 reference/)
        .and.to.match(/max abs error/);
      expect(result.cases.length).to.be.greaterThan(2);
      expect(result.maxAbs).to.be.lessThan(1e-3);
    });
  }
});

describe('checkFamily on edited kernels', () => {
  it('a matmul with a dropped term does not match', async () => {
    const { device } = await explorerGpu();
    const family = (await families()).matmul!;
    expect((await compileKernel(device, family, droppedTermMatmul())).ok).to.equal(true);
    const result = await checkFamily(device, family, { matmulVariants: ['blocked', 'tiled'] });
    expect(result.matches).to.equal(false);
    expect(result.summary).to.match(/does not match/);
    expect(result.maxAbs).to.be.greaterThan(1e-2);
  });

  it('a matmul with the k-loop reversed matches', async () => {
    const { device } = await explorerGpu();
    const family = (await families()).matmul!;
    expect((await compileKernel(device, family, reversedLoopMatmul())).ok).to.equal(true);
    const result = await checkFamily(device, family, { matmulVariants: ['blocked', 'tiled'] });
    expect(result.matches, result.summary).to.equal(true);
    expect(result.maxAbs).to.be.greaterThan(0);
  });

  it('a loss whose gradient lost its 1/rows does not match', async () => {
    const { device } = await explorerGpu();
    const family = (await families()).loss!;
    const wrong = lossSource.replace('let scale = w / f32(rows);', 'let scale = w;');
    expect(wrong).to.not.equal(lossSource);
    expect((await compileKernel(device, family, wrong)).ok).to.equal(true);
    const result = await checkFamily(device, family);
    expect(result.matches).to.equal(false);
    expect(result.cases.find((c) => !c.pass)!.name).to.match(/softmax_ce.*gradient/);
  });

  it('a gather that reads the wrong slot does not match', async () => {
    const { device } = await explorerGpu();
    const family = (await families()).gather!;
    const wrong = gatherSource.replace('let slot = state[st + 1u];', 'let slot = 0u;');
    expect(wrong).to.not.equal(gatherSource);
    expect((await compileKernel(device, family, wrong)).ok).to.equal(true);
    expect((await checkFamily(device, family)).matches).to.equal(false);
  });
});
