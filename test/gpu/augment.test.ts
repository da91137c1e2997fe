import { expect } from '@esm-bundle/chai';
import { augmentBatch, IMAGE_PIXELS, type AugmentSetup } from '../../src/data/augment.ts';
import { createGpuBackend } from '../../src/gpu/gpu-backend.ts';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import { AUGMENT_PARAMS_BYTES, AugmentKernel, packAugmentParams } from '../../src/gpu/kernels/augment.ts';
import { stateLayout } from '../../src/gpu/kernels/state.ts';
import { initParams } from '../../src/nn/init.ts';
import { DEFAULT_OPTIMIZER } from '../../src/nn/optimizer.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { CpuBackend } from '../../src/reference/reference-model-backend.ts';
import type { BackendSetup } from '../../src/train/training-backend.ts';
import { readF32, run, storage, testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

const RANGES = { maxShift: 3, maxAngleDeg: 20, maxZoom: 0.15 };

/** `rows` digit-like images: a random bright stroke on a dark background, values in [0, 1]. */
function images(rows: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(rows * IMAGE_PIXELS);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < 60; k++) {
      const x = 6 + rng.int(16);
      const y = 6 + rng.int(16);
      out[r * IMAGE_PIXELS + y * 28 + x] = rng.uniform();
    }
  }
  return out;
}

/** Runs one augment dispatch on `batch` (capacity rows, of which `rows` are real) at step t. */
async function augmentOnGpu(a: AugmentSetup, batch: Float32Array, capacity: number, width: number, rows: number, t: number): Promise<Float32Array> {
  const { device } = await testGpu();
  const kernel = new AugmentKernel(device, 65535);
  // The model's state words: t, slot, dropout seed, augment seed, rows of slot 0.
  const state = storage(device, 'state', new Uint32Array([t, 0, 0, a.seed, rows]));
  const out = storage(device, 'out', capacity * width);
  const shape = { ...stateLayout(1), augment: a, capacity, width, models: 1 };
  const { dispatch } = kernel.dispatch('test', shape, { state, src: storage(device, 'batch', batch), out });
  await run(device, (pass) => encodeDispatches(pass, [dispatch]));
  return readF32(device, out, capacity * width);
}

describe('augment.wgsl', () => {
  it('packs AugmentParams into 48 bytes', () => {
    const bytes = packAugmentParams(100, 784, 256, 5, { kind: 'image', ranges: RANGES, seed: 7 });
    expect(bytes.byteLength).to.equal(AUGMENT_PARAMS_BYTES);
    expect([...new Uint32Array(bytes, 0, 4)]).to.deep.equal([100, 784, 5, 256]);
    expect([...new Float32Array(bytes, 16, 4)]).to.deep.equal([0, 3, 20, Math.fround(0.15)]);
    expect(new Uint32Array(bytes, 32, 1)[0]).to.equal(28);
  });

  it('augment_images matches the float64 reference per pixel (5 images + 2 padding rows, tolerance 1e-4), and changes every image', async () => {
    const capacity = 7;
    const rows = 5;
    const batch = images(capacity, 1);
    const a: AugmentSetup = { kind: 'image', ranges: RANGES, seed: 1234 };
    const got = await augmentOnGpu(a, batch, capacity, IMAGE_PIXELS, rows, 41);
    const real = rows * IMAGE_PIXELS;
    // f32 coordinates move a sample point by ~1e-5 px; bilinear sampling is continuous, so a
    // pixel moves by at most that times the local slope (≤ 1 here).
    expectClose(got.subarray(0, real), augmentBatch(Float64Array.from(batch.subarray(0, real)), rows, IMAGE_PIXELS, a, 41), 1e-4, 0, 'augmented images');
    expect([...got.subarray(real)]).to.deep.equal([...batch.subarray(real)]);
    for (let r = 0; r < rows; r++) {
      const slice = (x: Float32Array) => [...x.subarray(r * IMAGE_PIXELS, (r + 1) * IMAGE_PIXELS)];
      expect(slice(got)).to.not.deep.equal(slice(batch));
    }
    const next = await augmentOnGpu(a, batch, capacity, IMAGE_PIXELS, rows, 42);
    expect([...next.subarray(0, real)]).to.not.deep.equal([...got.subarray(0, real)]);
  });

  it('jitter_rows matches the reference noise (2-D rows, a size that is not a multiple of 256)', async () => {
    const capacity = 301;
    const rows = 297;
    const width = 2;
    const rng = new Rng(3);
    const batch = Float32Array.from({ length: capacity * width }, () => rng.normal());
    const a: AugmentSetup = { kind: 'jitter', sigma: 0.3, seed: 99 };
    const got = await augmentOnGpu(a, batch, capacity, width, rows, 7);
    // f32 log and cos on a value of size ≤ ~5σ: relative error ~1e-6.
    expectClose(
      got.subarray(0, rows * width),
      augmentBatch(Float64Array.from(batch.subarray(0, rows * width)), rows, width, a, 7),
      1e-5,
      1e-5,
      'jittered rows',
    );
    expect([...got.subarray(rows * width)]).to.deep.equal([...batch.subarray(rows * width)]);
  });

  it('refuses image augmentation of rows that are not 28×28 images', async () => {
    const { device } = await testGpu();
    const kernel = new AugmentKernel(device, 65535);
    const b = storage(device, 'b', 8);
    const shape = { ...stateLayout(1), augment: { kind: 'image' as const, ranges: RANGES, seed: 1 }, capacity: 4, width: 2, models: 1 };
    expect(() => kernel.dispatch('x', shape, { state: b, src: b, out: b })).to.throw(/28×28/);
  });
});

describe('augmentation in training', () => {
  it('image augmentation: three Adam steps in one submit match the reference; evaluation sees the images as they are', async () => {
    const spec: ModelSpec = { inputSize: IMAGE_PIXELS, hidden: [{ units: 8, activation: 'relu' }], outputSize: 10, loss: 'softmax_ce' };
    const rows = 12;
    const setup: BackendSetup = {
      spec,
      data: { features: images(rows, 5), targets: Float32Array.from({ length: rows }, (_, i) => i % 10), rows, inputSize: IMAGE_PIXELS, targetWidth: 1 },
      batchCapacity: 4,
      optimizer: { ...DEFAULT_OPTIMIZER, learningRate: 0.01 },
      classWeights: null,
      params: initParams(spec, 5),
      augment: { kind: 'image', ranges: RANGES, seed: 5 },
    };
    const gpu = await createGpuBackend(await testGpu(), setup);
    const cpu = new CpuBackend(setup);
    const plain = new CpuBackend({ ...setup, augment: null });
    const chunk = { batchIndices: Uint32Array.from({ length: 12 }, (_, i) => (i * 5) % rows), rows: new Uint32Array([4, 4, 3]) };
    const [g, c, p] = [await gpu.runSteps(chunk), await cpu.runSteps(chunk), await plain.runSteps(chunk)];
    expectClose(
      g.map((m) => m.loss),
      c.map((m) => m.loss),
      1e-5,
      1e-4,
      'step losses',
    );
    expect(c.map((m) => m.loss)).to.not.deep.equal(p.map((m) => m.loss));
    expectClose(await gpu.readParams(), await cpu.readParams(), 1e-5, 1e-4, 'params');
    const unaugmented = new CpuBackend({ ...setup, augment: null, params: await cpu.readParams() });
    const all = Uint32Array.from({ length: rows }, (_, i) => i);
    expectClose((await gpu.evaluate(all)).outputs, (await unaugmented.evaluate(all)).outputs, 1e-5, 1e-4, 'evaluation without augmentation');
    expect(gpu.batch.stepDispatches.map((d) => d.entry).slice(0, 2)).to.deep.equal(['gather_rows', 'augment_images']);
    gpu.dispose();
  });

  it('jitter: four SGD steps match the reference with fresh noise per step', async () => {
    const setup = {
      ...smallSetup('softmax_ce', 'tanh', { rows: 10, capacity: 5, seed: 2, optimizer: { kind: 'sgd', learningRate: 0.3 } }),
      augment: { kind: 'jitter', sigma: 0.2, seed: 11 } as const,
    };
    const gpu = await createGpuBackend(await testGpu(), setup);
    const cpu = new CpuBackend(setup);
    const chunk = { batchIndices: Uint32Array.from({ length: 20 }, (_, i) => i % 5), rows: new Uint32Array([5, 5, 5, 5]) };
    const [g, c] = [await gpu.runSteps(chunk), await cpu.runSteps(chunk)];
    expectClose(
      g.map((m) => m.loss),
      c.map((m) => m.loss),
      1e-5,
      1e-4,
      'step losses',
    );
    expectClose(await gpu.readParams(), await cpu.readParams(), 1e-5, 1e-4, 'params');
    expect(gpu.batch.stepDispatches.some((d) => d.entry === 'jitter_rows')).to.equal(true);
    gpu.dispose();
  });
});
