import { expect } from '@esm-bundle/chai';
import { DEFAULT_GAN2D, type Gan2dConfig } from '../../src/gan2d/config.ts';
import type { Gan2dEvent } from '../../src/worker/api.ts';
import { EngineClient } from '../../src/worker/client.ts';
import { COMPARE_FIELD_SIDE, COMPARE_POINTS } from '../../src/worker/gan2d-compare-engine.ts';
import { rejection, waitFor } from '../helpers/async.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);
const SMALL: Gan2dConfig = { ...DEFAULT_GAN2D, generator: [16], discriminator: [16], batch: 64 };

describe('2-D GAN compare sets in the engine worker', () => {
  let client: EngineClient;
  beforeEach(() => (client = EngineClient.start(WORKER)));
  afterEach(() => client.terminate());

  it('trains 8 seeds in turns on the CPU and draws a small frame per variant', async () => {
    const { id, info, labels } = await client.createGan2dCompare(DEFAULT_GAN2D, { kind: 'seed', count: 8, from: 0, to: 0 }, 'cpu');
    expect(info.backend).to.equal('cpu');
    expect(labels).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8].map((s) => `seed ${s}`));
    const events: Gan2dEvent[] = [];
    const began = performance.now();
    const ended = new Promise<Gan2dEvent>((resolve) =>
      client.startGan2d(id, 256, 0, (e) => {
        events.push(e);
        if (e.type !== 'chunk') resolve(e);
      }),
    );
    expect(await ended).to.deep.equal({ type: 'stopped', reason: 'done', iteration: 256 });
    const seconds = (performance.now() - began) / 1000;
    // Measured, not asserted (the machine is shared): total iterations per second of the 8 variants.
    console.log(`compare: 8 × 256 iterations of the default ring in ${seconds.toFixed(2)} s: ${((8 * 256) / seconds).toFixed(0)} iterations/s in all`);
    expect(events.filter((e) => e.type === 'chunk')).to.have.length(8);
    const { iteration, variants } = await client.gan2dCompareFrames(id);
    expect(iteration).to.equal(256);
    expect(variants.map((v) => v.label)).to.deep.equal(labels);
    for (const v of variants) {
      expect(v.error).to.equal(null);
      const f = v.frame!;
      expect(f.iteration).to.equal(256);
      expect(f.field).to.have.length(COMPARE_FIELD_SIDE ** 2);
      expect(f.real).to.have.length(2 * COMPARE_POINTS);
      expect(f.fake).to.have.length(2 * COMPARE_POINTS);
      expect(f.figures.modes!.total).to.equal(8);
      expect(f.figures.js).to.be.within(0, Math.log(2) + 1e-9);
    }
    // Different seeds train differently.
    expect(variants[0]!.frame!.fake[0]).to.not.equal(variants[1]!.frame!.fake[0]);
    expect((await client.gpuMemory()).gans).to.equal(1);
    await client.disposeGan2d(id);
    expect((await client.gpuMemory()).gans).to.equal(0);
  });

  it('trains the three losses side by side on WebGPU', async () => {
    const { id, info, labels } = await client.createGan2dCompare(SMALL, { kind: 'loss', count: 3, from: 0, to: 0 }, 'webgpu');
    expect(info.backend).to.equal('webgpu');
    expect(labels).to.deep.equal(['minimax', 'non-saturating', 'least-squares']);
    const ended = new Promise<Gan2dEvent>((resolve) => void client.startGan2d(id, 64, 0, (e) => e.type !== 'chunk' && resolve(e)));
    expect(await ended).to.deep.equal({ type: 'stopped', reason: 'done', iteration: 64 });
    const { variants } = await client.gan2dCompareFrames(id);
    for (const v of variants) {
      expect(v.frame!.iteration).to.equal(64);
      expect([...v.frame!.fake].every(Number.isFinite)).to.equal(true);
    }
    await client.disposeGan2d(id);
  });

  it('pauses, answering frames while it trains, and refuses a bad spec naming the field', async () => {
    const { id } = await client.createGan2dCompare(SMALL, { kind: 'd-steps', from: 1, to: 3, count: 3 }, 'cpu');
    let chunks = 0;
    let stopped: Gan2dEvent | null = null;
    await client.startGan2d(id, 10_000_000, 0, (e) => (e.type === 'chunk' ? chunks++ : (stopped = e)));
    await waitFor('a few turns', () => chunks >= 2, 30_000);
    const { variants } = await client.gan2dCompareFrames(id);
    expect(variants.map((v) => v.label)).to.deep.equal(['1 D steps', '2 D steps', '3 D steps']);
    await client.pauseGan2d(id);
    await waitFor('the stop event', () => stopped !== null, 5000);
    expect(stopped).to.include({ type: 'stopped', reason: 'paused' });
    await client.disposeGan2d(id);
    const error = await rejection(client.createGan2dCompare(SMALL, { kind: 'seed', count: 9, from: 0, to: 0 }, 'cpu'));
    expect(error.message).to.contain('compare.count');
    expect((await client.gpuMemory()).gans).to.equal(0);
  });
});
