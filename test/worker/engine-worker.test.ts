import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT } from '../../src/config/experiment.ts';
import type { TrainEvent } from '../../src/worker/api.ts';
import { EngineClient, WorkerError } from '../../src/worker/client.ts';
import { rejection, waitFor } from '../helpers/async.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);

function collect(): { events: TrainEvent[]; stopped: Promise<TrainEvent>; onEvent: (e: TrainEvent) => void } {
  const events: TrainEvent[] = [];
  let resolve!: (e: TrainEvent) => void;
  const stopped = new Promise<TrainEvent>((r) => (resolve = r));
  return {
    events,
    stopped,
    onEvent: (e) => {
      events.push(e);
      if (e.type !== 'epoch') resolve(e);
    },
  };
}

describe('engine worker (Comlink)', () => {
  it('trains the article Iris network in the worker on WebGPU to ≥ 0.93 test accuracy', async () => {
    const client = EngineClient.start(WORKER);
    const { id, info } = await client.createSession({ ...DEFAULT_EXPERIMENT, backend: 'webgpu' });
    expect(info.backend).to.equal('webgpu');
    expect(info.backendLabel).to.match(/WebGPU/);
    const { events, stopped, onEvent } = collect();
    await client.startTraining(id, 200, onEvent);
    const end = await stopped;
    expect(end).to.deep.equal({ type: 'stopped', reason: 'done', epoch: 200 });
    expect(events.filter((e) => e.type === 'epoch')).to.have.length(200);
    const test = await client.evaluate(id, 'test');
    expect(test.rows).to.equal(30);
    expect(test.outputs).to.have.length(90);
    expect(test.accuracy).to.be.at.least(0.93);
    client.terminate();
  });

  it('pauses a long run, steps once, runs one epoch, and changes the learning rate live', async () => {
    const client = EngineClient.start(WORKER);
    const { id } = await client.createSession({ ...DEFAULT_EXPERIMENT, backend: 'cpu' });
    const { events, stopped, onEvent } = collect();
    await client.startTraining(id, 10000, onEvent);
    await waitFor('the first epoch', () => events.length > 0, 60_000);
    await client.pause(id);
    const end = await stopped;
    expect(end.type === 'stopped' && end.reason).to.equal('paused');
    const epochBefore = end.type === 'stopped' ? end.epoch : -1;
    expect(epochBefore).to.be.lessThan(10000);
    await client.setOptimizer(id, { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.01 });
    const step = await client.step(id);
    expect(step.rows).to.be.greaterThan(0);
    const record = await client.epoch(id);
    // Pause stops after the chunk in flight, which may end mid-epoch; the one step may then
    // complete that epoch, so the epoch run next is one or two past the last reported one.
    expect(record.epoch).to.be.within(epochBefore + 1, epochBefore + 2);
    client.terminate();
  });

  it('rejects an invalid config with a message naming the field', async () => {
    const client = EngineClient.start(WORKER);
    const bad = { ...DEFAULT_EXPERIMENT, hidden: [{ units: 0, activation: 'relu' as const }] };
    const error = await rejection(client.createSession(bad));
    expect(error.message).to.contain('model.hidden[0].units');
    client.terminate();
  });

  it('a worker that crashes rejects pending and later calls instead of hanging', async () => {
    const client = EngineClient.start(new URL('../fixtures/crashing-worker.ts', import.meta.url));
    const error = await rejection(client.ping());
    expect(error).to.be.instanceOf(WorkerError);
    expect((error as WorkerError).kind).to.equal('dead');
    expect(client.dead).to.equal(true);
    expect(((await rejection(client.ping())) as WorkerError).kind).to.equal('dead');
  });

  it('a hung worker times out; terminate rejects what is still pending', async () => {
    const client = EngineClient.start(new URL('../fixtures/hung-worker.ts', import.meta.url), { quick: 300, work: 60000, hangAfter: 60000 });
    const error = await rejection(client.ping());
    expect((error as WorkerError).kind).to.equal('timeout');
    const pending = client.createSession(DEFAULT_EXPERIMENT);
    client.terminate();
    expect(((await rejection(pending)) as WorkerError).kind).to.equal('dead');
  });

  it('the heartbeat declares a spinning worker dead and rejects every pending call', async () => {
    // The worker spins forever and the calls' own timeouts are far away: only the heartbeat
    // (one ping per 250 ms, hung after 4 s without a reply) can end these calls.
    const client = EngineClient.start(new URL('../fixtures/spinning-worker.ts', import.meta.url), { quick: 600000, work: 600000, hangAfter: 4000 });
    const calls = [client.createSession(DEFAULT_EXPERIMENT), client.evaluate(1, 'test')];
    const errors = await Promise.all(calls.map(rejection));
    for (const e of errors) expect((e as WorkerError).kind).to.equal('dead');
    expect(errors[0]!.message).to.contain('stopped answering');
    expect(client.dead).to.equal(true);
  });
});
