import { expect } from '@esm-bundle/chai';
import { DEFAULT_GAN2D, type Gan2dConfig } from '../../src/gan2d/config.ts';
import type { Gan2dEvent } from '../../src/worker/api.ts';
import { EngineClient } from '../../src/worker/client.ts';
import { ARROWS, FIELD_SIDE, MANIFOLD_STEPS, SHOWN_POINTS } from '../../src/worker/gan2d-engine.ts';
import { Engine } from '../../src/worker/engine.ts';
import { rejection, waitFor } from '../helpers/async.ts';
import { FaultyGpu } from '../helpers/faults.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);
const SMALL: Gan2dConfig = { ...DEFAULT_GAN2D, generator: [16], discriminator: [16], batch: 64 };

function collect(): { events: Gan2dEvent[]; ended: Promise<Gan2dEvent>; onEvent: (e: Gan2dEvent) => void } {
  const events: Gan2dEvent[] = [];
  let resolve!: (e: Gan2dEvent) => void;
  const ended = new Promise<Gan2dEvent>((r) => (resolve = r));
  return {
    events,
    ended,
    onEvent: (e) => {
      events.push(e);
      if (e.type !== 'chunk') resolve(e);
    },
  };
}

describe('2-D GAN sessions in the engine worker', () => {
  let client: EngineClient;
  beforeEach(() => (client = EngineClient.start(WORKER)));
  afterEach(() => client.terminate());

  it('trains on the CPU in chunks, steps one iteration or one network, and draws a frame', async () => {
    const { id, info } = await client.createGan2d(SMALL, 'cpu');
    expect(info.backend).to.equal('cpu');
    expect(info.config).to.deep.equal(SMALL);
    const { events, ended, onEvent } = collect();
    await client.startGan2d(id, 200, 0, onEvent);
    expect(await ended).to.deep.equal({ type: 'stopped', reason: 'done', iteration: 200 });
    const chunks = events.filter((e) => e.type === 'chunk');
    expect(chunks.reduce((n, e) => n + (e.type === 'chunk' ? e.metrics.length : 0), 0)).to.equal(200);
    expect((await client.stepGan2d(id, 'iteration')).iteration).to.equal(201);
    const d = await client.stepGan2d(id, 'discriminator');
    expect(d.iteration).to.equal(201);
    expect(Number.isFinite(d.metric.dLoss)).to.equal(true);
    expect(Number.isNaN(d.metric.gLoss)).to.equal(true);
    const g = await client.stepGan2d(id, 'generator');
    expect(Number.isFinite(g.metric.gLoss)).to.equal(true);
    const frame = await client.gan2dFrame(id);
    expect(frame.iteration).to.equal(201);
    expect(frame.field).to.have.length(FIELD_SIDE * FIELD_SIDE);
    expect([...frame.field].every((v) => v >= 0 && v <= 1)).to.equal(true);
    expect(frame.manifold).to.have.length(2 * MANIFOLD_STEPS[2] ** 2);
    expect(frame.real).to.have.length(2 * SHOWN_POINTS);
    expect(frame.fake).to.have.length(2 * SHOWN_POINTS);
    expect(frame.push).to.have.length(2 * ARROWS);
    expect(frame.figures.modes!.total).to.equal(8);
    expect(Number.isFinite(frame.figures.kl)).to.equal(true);
    expect(frame.figures.js).to.be.within(0, Math.log(2) + 1e-9);
    const csv = await client.gan2dCsv(id);
    const lines = csv.trim().split('\n');
    expect(lines[0]).to.equal('x,y,kind');
    expect(lines).to.have.length(1 + 2 * SHOWN_POINTS);
    expect(lines.filter((l) => l.endsWith(',fake'))).to.have.length(SHOWN_POINTS);
    // The CSV's fakes are the frame's.
    expect(Math.fround(Number(lines[1 + SHOWN_POINTS]!.split(',')[0]))).to.equal(frame.fake[0]);
    await client.disposeGan2d(id);
    expect((await client.gpuMemory()).gans).to.equal(0);
  });

  it('paces a slow run, pauses it, and answers frames while it trains', async () => {
    const { id } = await client.createGan2d({ ...SMALL, latent: 1, latentDistribution: 'uniform', dataset: 'spiral' }, 'cpu');
    const { events, ended, onEvent } = collect();
    const began = performance.now();
    await client.startGan2d(id, 100_000, 20, onEvent);
    await waitFor('two chunks', () => events.length >= 2, 30_000);
    const frame = await client.gan2dFrame(id);
    expect(frame.manifold).to.have.length(2 * MANIFOLD_STEPS[1]);
    expect(frame.figures.modes).to.equal(null);
    expect(frame.figures.quality).to.equal(null);
    await client.pauseGan2d(id);
    const end = await ended;
    expect(end.type === 'stopped' && end.reason).to.equal('paused');
    const seconds = (performance.now() - began) / 1000;
    // 20 per second: far fewer iterations than the flat-out thousands in that time.
    expect(end.type === 'stopped' && end.iteration).to.be.at.most(20 * seconds + 5);
  });

  it('refuses a bad config naming the field, and fewer than 8 drawn points', async () => {
    expect((await rejection(client.createGan2d({ ...SMALL, batch: 0 }, 'cpu'))).message).to.contain('gan2d.batch');
    expect((await rejection(client.createGan2d({ ...SMALL, dataset: 'drawn', drawn: [[0, 0]] }, 'cpu'))).message).to.match(/8/);
  });

  it('trains and draws on WebGPU', async () => {
    const { id, info } = await client.createGan2d({ ...SMALL, loss: 'least_squares' }, 'webgpu');
    expect(info.backend).to.equal('webgpu');
    const { ended, onEvent } = collect();
    await client.startGan2d(id, 48, 0, onEvent);
    expect(await ended).to.deep.equal({ type: 'stopped', reason: 'done', iteration: 48 });
    const frame = await client.gan2dFrame(id);
    expect(frame.iteration).to.equal(48);
    expect([...frame.fake].every(Number.isFinite)).to.equal(true);
    expect([...frame.push].some((v) => v !== 0)).to.equal(true);
  });

  it('reports a device lost while it plays as an error event, and builds again on a new device', async () => {
    let faults: FaultyGpu | null = null;
    const engine = new Engine(async () => {
      const made = await FaultyGpu.create();
      faults = made.faults;
      return made.ctx;
    });
    const { id } = await engine.createGan2d(SMALL, 'webgpu');
    const { events, ended, onEvent } = collect();
    await engine.startGan2d(id, 100_000, 0, onEvent);
    await waitFor('a chunk', () => events.length > 0, 60_000);
    faults!.lose();
    const end = await ended;
    expect(end.type).to.equal('error');
    expect(end.type === 'error' && end.message).to.match(/lost|device/i);
    await engine.disposeGan2d(id);
    const again = await engine.createGan2d(SMALL, 'webgpu');
    expect((await engine.stepGan2d(again.id, 'iteration')).iteration).to.equal(1);
    await engine.disposeGan2d(again.id);
  });
});
