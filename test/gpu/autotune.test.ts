import { expect } from '@esm-bundle/chai';
import { chooseMatmulVariant, pickVariant, SWITCH_MARGIN } from '../../src/gpu/autotune.ts';
import { createGpuBackend } from '../../src/gpu/gpu-backend.ts';
import { testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';

describe('matmul variant chosen by a start-up trial', () => {
  it('keeps the adapter default in a near tie and switches when the other variant is clearly faster', () => {
    expect(pickVariant({ blocked: 10, tiled: 9 }, 'blocked')).to.equal('blocked');
    expect(pickVariant({ blocked: 10, tiled: 10 * (1 - SWITCH_MARGIN) - 0.01 }, 'blocked')).to.equal('tiled');
    expect(pickVariant({ blocked: 2, tiled: 10 }, 'tiled')).to.equal('blocked');
    expect(pickVariant({ blocked: 9.5, tiled: 10 }, 'tiled')).to.equal('tiled');
    expect(pickVariant({ blocked: NaN, tiled: 10 }, 'blocked')).to.equal('tiled');
    expect(pickVariant({ blocked: 5, tiled: NaN }, 'blocked')).to.equal('blocked');
  });

  it('times both variants once per device, keeps the result in memory, and new models use its pick', async () => {
    const ctx = await testGpu();
    const first = chooseMatmulVariant(ctx);
    expect(chooseMatmulVariant(ctx)).to.equal(first);
    const trial = await first;
    console.log(`matmul trial on ${ctx.adapterName}: blocked ${trial.ms.blocked.toFixed(2)} ms, tiled ${trial.ms.tiled.toFixed(2)} ms → ${trial.variant}`);
    expect(trial.ms.blocked).to.be.above(0).and.below(10_000);
    expect(trial.ms.tiled).to.be.above(0).and.below(10_000);
    expect(trial.defaultVariant).to.equal(ctx.software ? 'blocked' : 'tiled');
    expect(trial.variant).to.equal(pickVariant(trial.ms, trial.defaultVariant));
    const backend = await createGpuBackend(ctx, smallSetup('softmax_ce', 'relu'));
    expect(backend.batch.matmulVariant).to.equal(trial.variant);
    backend.dispose();
    const forced = await createGpuBackend(ctx, smallSetup('softmax_ce', 'relu'), { matmul: trial.variant === 'tiled' ? 'blocked' : 'tiled' });
    expect(forced.batch.matmulVariant).to.not.equal(trial.variant);
    forced.dispose();
  });
});
