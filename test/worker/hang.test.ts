import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { gpuDeadlines, withDeadline } from '../../src/gpu/deadline.ts';
import type { TrainEvent } from '../../src/worker/api.ts';
import { Engine } from '../../src/worker/engine.ts';
import { waitFor } from '../helpers/async.ts';
import { FaultyGpu } from '../helpers/faults.ts';

// The blog post's spiral widget, small enough to train fast on a software adapter.
const SPIRAL: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', size: 200, classes: 2 },
  hidden: [
    { units: 8, activation: 'tanh' },
    { units: 8, activation: 'tanh' },
  ],
  epochs: 300,
  seed: 3,
  backend: 'webgpu',
};

/** An engine running in this page on real devices that a test can make withhold readbacks. */
function faultyEngine(): { engine: Engine; faults: () => FaultyGpu; devices: () => number; withholdFromStart: (on: boolean) => void } {
  let faults: FaultyGpu | null = null;
  let devices = 0;
  let withhold = false;
  const engine = new Engine(async () => {
    const made = await FaultyGpu.create();
    faults = made.faults;
    faults.withholdReadbacks(withhold);
    devices++;
    return made.ctx;
  });
  return { engine, faults: () => faults!, devices: () => devices, withholdFromStart: (on) => (withhold = on) };
}

/** Collects a run's events; `next(predicate)` resolves at the first matching one. */
function events() {
  const seen: TrainEvent[] = [];
  const waiting: { test: (e: TrainEvent) => boolean; resolve: (e: TrainEvent) => void }[] = [];
  const onEvent = (e: TrainEvent) => {
    seen.push(e);
    for (const w of waiting.filter((x) => x.test(e))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(e);
    }
  };
  const next = (test: (e: TrainEvent) => boolean) => new Promise<TrainEvent>((resolve) => waiting.push({ test, resolve }));
  return { seen, onEvent, next };
}

const epochAtLeast = (n: number) => (e: TrainEvent) => e.type === 'epoch' && e.record.epoch >= n;

describe('no hang when a readback never comes back', () => {
  afterEach(() => {
    gpuDeadlines.readbackMs = 60_000;
  });

  it('disposing a session whose training waits on a withheld readback returns at once; its memory goes when the readback gives up', async () => {
    const { engine, faults, devices } = faultyEngine();
    const { id } = await engine.createSession(SPIRAL);
    const run = events();
    await engine.startTraining(id, 10_000, run.onEvent);
    await withDeadline(run.next(epochAtLeast(2)), 60_000, 'two epochs');
    gpuDeadlines.readbackMs = 1000;
    faults().withholdReadbacks();
    const before = faults().withheld;
    // The training loop is now parked on a mapAsync that will never settle.
    await waitFor('a withheld readback', () => faults().withheld > before, 30_000);
    // Before the fix disposeSession awaited that training: this deadline failed (the blog's rebuild hang).
    await withDeadline(engine.disposeSession(id), 2000, 'disposeSession');
    // The readback's deadline gives the stuck device up, which frees everything on it.
    await waitFor('the memory freed', async () => (await engine.gpuMemory()).bytes === 0, 30_000, 50);
    expect(
      run.seen.filter((e) => e.type !== 'epoch'),
      'a disposed session sends no more events',
    ).to.deep.equal([]);
    // The engine keeps working: a new session, on a fresh device, trains (with the normal
    // deadline again: its build times the matmul variants, which a loaded machine may take past 1 s).
    gpuDeadlines.readbackMs = 60_000;
    faults().withholdReadbacks(false);
    const next = await engine.createSession(SPIRAL);
    expect(devices()).to.equal(2);
    expect((await engine.step(next.id)).rows).to.be.greaterThan(0);
    await engine.disposeSession(next.id);
    await waitFor('the second session freed', async () => (await engine.gpuMemory()).bytes === 0, 30_000, 50);
  });

  it('a readback past its deadline ends the run as a lost device, and recover continues on a fresh device', async () => {
    const { engine, faults, devices } = faultyEngine();
    const { id } = await engine.createSession(SPIRAL);
    const run = events();
    await engine.startTraining(id, 10_000, run.onEvent);
    await withDeadline(run.next(epochAtLeast(2)), 60_000, 'two epochs');
    gpuDeadlines.readbackMs = 1000;
    faults().withholdReadbacks();
    const end = await withDeadline(
      run.next((e) => e.type !== 'epoch'),
      30_000,
      'the end of the run',
    );
    expect(end.type === 'error' && end.kind, JSON.stringify(end)).to.equal('device-lost');
    expect(end.type === 'error' && end.message).to.contain('did not finish within 1 s');
    // The fresh device's build times the matmul variants: give it the normal deadline again.
    gpuDeadlines.readbackMs = 60_000;
    const step = await engine.recover(id);
    expect(devices(), 'the stuck device was replaced').to.equal(2);
    const again = events();
    await engine.startTraining(id, 2, again.onEvent);
    const stopped = await withDeadline(
      again.next((e) => e.type !== 'epoch'),
      60_000,
      'two more epochs',
    );
    expect(stopped.type, JSON.stringify(stopped)).to.equal('stopped');
    expect(step).to.be.at.least(0);
    await engine.disposeSession(id);
    await waitFor('the memory freed', async () => (await engine.gpuMemory()).bytes === 0, 30_000, 50);
  });

  it('a start-up matmul trial whose queue never reports back fails the build in time; the next build gets a fresh device', async () => {
    const { engine, devices, withholdFromStart } = faultyEngine();
    gpuDeadlines.readbackMs = 1000;
    // The device's queue never reports back, so the trial that picks the matmul kernel waits forever.
    withholdFromStart(true);
    const error = await withDeadline(
      engine.createSession(SPIRAL).then(
        () => null,
        (e: Error) => e,
      ),
      30_000,
      'the stuck build',
    );
    expect(error?.message, 'the build fails instead of hanging').to.be.a('string');
    gpuDeadlines.readbackMs = 60_000;
    withholdFromStart(false);
    const { id, info } = await engine.createSession(SPIRAL);
    expect(info.backend).to.equal('webgpu');
    expect(devices(), 'a fresh device replaced the stuck one').to.equal(2);
    await engine.disposeSession(id);
  });

  it('pause returns within the readback deadline when the chunk in flight never reads back', async () => {
    const { engine, faults } = faultyEngine();
    const { id } = await engine.createSession(SPIRAL);
    const run = events();
    await engine.startTraining(id, 10_000, run.onEvent);
    await withDeadline(run.next(epochAtLeast(1)), 60_000, 'an epoch');
    gpuDeadlines.readbackMs = 1000;
    faults().withholdReadbacks();
    await withDeadline(engine.pause(id), 30_000, 'pause');
    await engine.disposeSession(id);
  });
});
