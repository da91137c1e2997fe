import { expect } from '@esm-bundle/chai';
import { ShaderExplorer } from '../../src/explorer/explorer.ts';
import { droppedTermMatmul, explorerGpu, reversedLoopMatmul, zeroMatmul } from './helpers.ts';

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

async function lossesOf(explorer: ShaderExplorer, submits: number, steps = 8): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < submits; i++) out.push(...(await explorer.trainSteps(steps)).map((m) => m.loss));
  return out;
}

describe('edited kernels in a training explorer', () => {
  let explorer: ShaderExplorer;
  beforeEach(async () => {
    explorer = await ShaderExplorer.create(await explorerGpu());
  });
  afterEach(() => explorer.dispose());

  it('a right edit (reversed k-loop) matches, and training continues with it: losses finite and decreasing', async () => {
    const first = await lossesOf(explorer, 2);
    const compiled = await explorer.compile('matmul', reversedLoopMatmul());
    expect(compiled.ok, compiled.summary).to.equal(true);
    const d = explorer.backend.batch.stepDispatches.find((x) => x.family?.name === 'matmul')!;
    expect(d.family!.current(d.pipeline)).to.not.equal(d.pipeline);
    const check = await explorer.check('matmul');
    expect(check.matches, check.summary).to.equal(true);
    const after = await lossesOf(explorer, 6);
    expect(after.every(Number.isFinite)).to.equal(true);
    expect(mean(after.slice(-8))).to.be.lessThan(mean(first.slice(0, 8)));
    expect(mean(after.slice(-8))).to.be.lessThan(mean(after.slice(0, 8)));
  });

  it('a wrong edit (dropped term) does not match', async () => {
    expect((await explorer.compile('matmul', droppedTermMatmul())).ok).to.equal(true);
    const check = await explorer.check('matmul');
    expect(check.matches).to.equal(false);
    expect(check.summary).to.contain('does not match');
  });

  it('the step switches to an edit at the next submit, and back on reset', async () => {
    await lossesOf(explorer, 1);
    expect((await explorer.compile('matmul', zeroMatmul())).ok).to.equal(true);
    // All logits are 0: every step's loss is exactly ln 3 for three classes.
    const zeroed = await lossesOf(explorer, 1);
    for (const loss of zeroed) expect(loss).to.be.closeTo(Math.log(3), 1e-6);
    expect(explorer.reset('matmul')).to.equal(true);
    const restored = await lossesOf(explorer, 1);
    expect(restored.some((l) => Math.abs(l - Math.log(3)) > 1e-3)).to.equal(true);
  });
});
