import { expect } from '@esm-bundle/chai';
import { createFastCpuBackend } from '../../src/cpu/fast-cpu-backend.ts';
import { createGpuBatchBackend } from '../../src/gpu/gpu-backend.ts';
import { ReferenceBackend } from '../../src/reference/reference-backend.ts';
import { ModelView } from '../../src/train/model-view.ts';
import { Trainer } from '../../src/train/trainer.ts';
import { batchOfOne, type BatchBackend, type BatchChunk, type BatchSetup, type ModelState } from '../../src/train/training-backend.ts';
import { testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

const ROWS = 12;

/** Adam (whose moments and bias corrections depend on the step count) with dropout (seeded by the step count). */
function adamSetup(): BatchSetup {
  const setup = smallSetup('softmax_ce', 'relu', { rows: ROWS, capacity: 4, seed: 5, optimizer: { kind: 'adam', learningRate: 0.05 } });
  return batchOfOne({ ...setup, dropout: [0.25, 0], dropoutSeed: 7 });
}

/** `steps` steps over rows 0, 1, 2 … in batches of 4, starting at step `from`. */
function chunk(from: number, steps: number): BatchChunk {
  const batchIndices = Uint32Array.from({ length: steps * 4 }, (_, i) => (from * 4 + i) % ROWS);
  return { steps, batchIndices, rows: new Uint32Array(steps).fill(4) };
}

async function trainedFor(backend: BatchBackend, from: number, steps: number): Promise<Float32Array> {
  await backend.runSteps(chunk(from, steps));
  return backend.readParams(0);
}

describe('Moving a model between backends with its whole state', () => {
  it('carries parameters, Adam moments, step count and live settings: the CPU run goes on bit for bit', async () => {
    const setup = adamSetup();
    const straight = await createFastCpuBackend(setup);
    const want = await trainedFor(straight, 0, 6);
    const first = await createFastCpuBackend(setup);
    await first.runSteps(chunk(0, 3));
    const state = await first.readState(0);
    expect(state.t).to.equal(3);
    expect(state.m.some((x) => x !== 0)).to.equal(true);
    const second = await createFastCpuBackend(setup);
    await second.writeState(0, state);
    expect([...(await trainedFor(second, 3, 3))]).to.deep.equal([...want]);
  });

  it('goes on within float32 noise on WebGPU, while restarting the optimizer does not', async () => {
    const setup = adamSetup();
    const want = await trainedFor(await createFastCpuBackend(setup), 0, 6);
    const cpu = await createFastCpuBackend(setup);
    await cpu.runSteps(chunk(0, 3));
    const state = await cpu.readState(0);
    const gpu = await createGpuBatchBackend(await testGpu(), setup);
    await gpu.writeState(0, state);
    const back = await gpu.readState(0);
    expect(back.t).to.equal(3);
    expect([...back.params, ...back.m, ...back.v]).to.deep.equal([...state.params, ...state.m, ...state.v]);
    expectClose(await trainedFor(gpu, 3, 3), want, 1e-5, 1e-4, 'params after the move');
    // The check can fail: the same parameters with a fresh optimizer land elsewhere.
    const reset = await createGpuBatchBackend(await testGpu(), setup);
    await reset.writeParams(0, state.params);
    const drift = Math.max(...(await trainedFor(reset, 3, 3)).map((x, i) => Math.abs(x - want[i]!)));
    expect(drift).to.be.above(1e-3);
    gpu.dispose();
    reset.dispose();
  });

  it('reads the float64 reference as float32 and refuses a state of another shape', async () => {
    const setup = adamSetup();
    const reference = new ReferenceBackend(setup);
    await reference.runSteps(chunk(0, 2));
    const state = await reference.readState(0);
    expect(state.params).to.be.instanceOf(Float32Array);
    expect(state.t).to.equal(2);
    const short: ModelState = { ...state, m: state.m.subarray(1) };
    const error = await reference.writeState(0, short).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).to.match(/m has \d+ values but this network's arena holds \d+/);
  });
});

/** A trainer on Iris-like random data: 3 epochs of 3 steps. */
function trainerOn(backend: BatchBackend, setup: BatchSetup): Trainer {
  const train = Uint32Array.from({ length: ROWS }, (_, i) => i);
  const splits = { train, validation: train.subarray(0, 4), test: new Uint32Array(0) };
  return new Trainer(new ModelView(backend), splits, { batchSize: 4, seed: 3, stepsPerSubmit: 2, classification: true }, setup.models[0]!.params);
}

describe('A trainer handing its run to another backend', () => {
  it('moves at a submit boundary mid-training: one history, the same steps, the new backend trains on', async () => {
    const setup = adamSetup();
    const straight = trainerOn(await createFastCpuBackend(setup), setup);
    await straight.trainEpochs(3);
    const moved = trainerOn(await createFastCpuBackend(setup), setup);
    const gpu = await createGpuBatchBackend(await testGpu(), setup);
    let handed: Promise<BatchBackend | null> | null = null;
    await moved.trainEpochs(3, (record) => {
      if (record.epoch === 1) handed = moved.offerBackend(gpu);
    });
    const left = await handed!;
    expect(left?.kind).to.equal('cpu');
    expect(moved.backend.kind).to.equal('webgpu');
    expect(moved.history.map((r) => r.epoch)).to.deep.equal([1, 2, 3]);
    expect(moved.steps.length).to.equal(straight.steps.length);
    expectClose(await moved.backend.readParams(), await straight.backend.readParams(), 1e-5, 1e-4, 'params after 3 epochs');
    expectClose(
      moved.history.map((r) => r.validationLoss!),
      straight.history.map((r) => r.validationLoss!),
      1e-5,
      1e-4,
      'validation losses',
    );
    left!.dispose();
    gpu.dispose();
  });

  it('moves at once when idle, and not at all when no longer wanted', async () => {
    const setup = adamSetup();
    const trainer = trainerOn(await createFastCpuBackend(setup), setup);
    await trainer.step();
    const other = await createFastCpuBackend(setup);
    expect(await trainer.offerBackend(other, () => false)).to.equal(null);
    expect(trainer.backend.batch).to.not.equal(other);
    const left = await trainer.offerBackend(other);
    expect(left).to.not.equal(null);
    expect(trainer.backend.batch).to.equal(other);
    expect((await other.readState(0)).t).to.equal(1);
  });

  it('stays where it is when the state cannot be written, and says why', async () => {
    const setup = adamSetup();
    const cpu = await createFastCpuBackend(setup);
    const trainer = trainerOn(cpu, setup);
    const broken = await createFastCpuBackend(setup);
    // Fault injection: a backend whose device went away while the state moved.
    broken.writeState = () => Promise.reject(new Error('the GPU device was lost'));
    const error = await trainer.offerBackend(broken).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).to.equal('the GPU device was lost');
    expect(trainer.backend.batch).to.equal(cpu);
    await trainer.trainEpochs(1);
    expect(trainer.history).to.have.length(1);
  });
});
