import { expect } from '@esm-bundle/chai';
import { createFastCpuBackend, FastCpuBackend } from '../../src/cpu/fast-cpu-backend.ts';
import { IMAGE_PIXELS } from '../../src/data/augment.ts';
import { ACTIVATIONS } from '../../src/nn/activation.ts';
import { initParams } from '../../src/nn/init.ts';
import { DEFAULT_OPTIMIZER } from '../../src/nn/optimizer.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { LossKind, ModelSpec } from '../../src/nn/spec.ts';
import { ReferenceBackend } from '../../src/reference/reference-backend.ts';
import { batchOfOne, type BatchSetup } from '../../src/train/training-backend.ts';
import { ModelView } from '../../src/train/model-view.ts';
import { BatchSchedule } from '../../src/train/schedule.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

const LOSSES: LossKind[] = ['softmax_ce', 'sigmoid_bce', 'mse'];

describe('fast CPU backend against the float64 reference', () => {
  for (const loss of LOSSES) {
    for (const act of ACTIVATIONS) {
      it(`three Adam steps of a 3-layer ${act} net with ${loss} (padded last batch), evaluation and validation`, async () => {
        // 11 rows in batches of 4: the third step has 3 real rows.
        const setup = smallSetup(loss, act, {
          rows: 11,
          capacity: 4,
          seed: 3,
          optimizer: { kind: 'adam', learningRate: 0.05 },
          weights: loss === 'softmax_ce' ? new Float32Array([1, 3, 0.5]) : null,
        });
        const fast = new ModelView(await createFastCpuBackend(batchOfOne(setup)));
        const ref = new ModelView(new ReferenceBackend(batchOfOne(setup)));
        const { chunk } = new BatchSchedule(
          Uint32Array.from({ length: 11 }, (_, i) => i),
          4,
          5,
        ).next(3);
        const all = Uint32Array.from({ length: 11 }, (_, i) => i);
        await fast.setValidation(all);
        await ref.setValidation(all);
        const withValidation = { steps: 3, batchIndices: chunk.batchIndices, rows: chunk.rows, validateAfter: new Uint8Array([0, 0, 1]) };
        const [[f], [r]] = [await fast.batch.runSteps(withValidation), await ref.batch.runSteps(withValidation)];
        // float32 kernels against float64 over 3 small steps: |Δ| ≤ 1e-5 + 1e-4·|want|.
        expectClose(
          f!.map((m) => m.loss),
          r!.map((m) => m.loss),
          1e-5,
          1e-4,
          'step losses',
        );
        expect(f!.map((m) => m.correct)).to.deep.equal(r!.map((m) => m.correct));
        expectClose([f![2]!.validation!.loss], [r![2]!.validation!.loss], 1e-5, 1e-4, 'validation loss');
        expect(f![2]!.validation!.correct).to.equal(r![2]!.validation!.correct);
        expect(f![0]!.validation).to.equal(undefined);
        expectClose(await fast.readParams(), await ref.readParams(), 1e-5, 1e-4, 'params after 3 steps');
        const [fe, re] = [await fast.evaluate(all), await ref.evaluate(all)];
        expectClose(fe.outputs, re.outputs, 1e-5, 1e-4, 'evaluation outputs');
        expectClose([fe.loss], [re.loss], 1e-5, 1e-4, 'evaluation loss');
        fast.dispose();
      });
    }
  }

  it('evaluation and predict across chunks of 256 rows (1100 rows), and a model that sits a step out', async () => {
    const setup = smallSetup('softmax_ce', 'tanh', { rows: 1100, capacity: 5 });
    const fast = await createFastCpuBackend(batchOfOne(setup));
    const ref = new ReferenceBackend(batchOfOne(setup));
    for (const rows of [3, 1100]) {
      const x = Float32Array.from({ length: rows * 3 }, (_, i) => Math.cos(i));
      expectClose((await fast.predict(x, rows))[0]!, (await ref.predict(x, rows))[0]!, 1e-5, 1e-4, `predict ${rows} rows`);
    }
    const all = [Uint32Array.from({ length: 1100 }, (_, i) => 1099 - i)];
    const [fe, re] = [await fast.evaluate(all), await ref.evaluate(all)];
    expectClose(fe[0]!.outputs, re[0]!.outputs, 1e-5, 1e-4, 'evaluation outputs');
    expect(fe[0]!.correct).to.equal(re[0]!.correct);
    const before = await fast.readParams(0);
    const [metrics] = await fast.runSteps({ steps: 1, batchIndices: new Uint32Array(5), rows: new Uint32Array([0]) });
    expect(metrics).to.deep.equal([{ loss: 0, correct: 0, rows: 0 }]);
    expect([...(await fast.readParams(0))]).to.deep.equal([...before]);
    fast.dispose();
    const error = await fast.readParams(0).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.contain('disposed');
  });

  it('writeParams resets the optimizer: the same steps from the same params give the same losses', async () => {
    const setup = smallSetup('softmax_ce', 'relu', { rows: 8, capacity: 8, optimizer: { kind: 'adam', learningRate: 0.01 } });
    const fast = new ModelView(await createFastCpuBackend(batchOfOne(setup)));
    const chunk = { batchIndices: Uint32Array.from({ length: 8 }, (_, i) => i), rows: new Uint32Array([8]) };
    const first = [...(await fast.runSteps(chunk)), ...(await fast.runSteps(chunk))].map((m) => m.loss);
    await fast.writeParams(setup.params);
    const again = [...(await fast.runSteps(chunk)), ...(await fast.runSteps(chunk))].map((m) => m.loss);
    expect(again).to.deep.equal(first);
    const error = await fast.writeParams(new Float32Array(3)).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.contain('arena holds');
  });

  it('dropout, class weights, jitter and a schedule rate: five steps match the reference', async () => {
    const spec: ModelSpec = {
      inputSize: 2,
      hidden: [
        { units: 16, activation: 'relu' },
        { units: 8, activation: 'tanh' },
      ],
      outputSize: 3,
      loss: 'softmax_ce',
    };
    const rng = new Rng(4);
    const rows = 40;
    const data = {
      features: Float32Array.from({ length: rows * 2 }, () => rng.normal()),
      targets: Float32Array.from({ length: rows }, () => rng.int(3)),
      rows,
      inputSize: 2,
      targetWidth: 1,
    };
    const setup: BatchSetup = {
      spec,
      data,
      batchCapacity: 16,
      augment: { kind: 'jitter', sigma: 0.3, seed: 5 },
      models: [
        {
          optimizer: { ...DEFAULT_OPTIMIZER, learningRate: 0.02 },
          classWeights: new Float32Array([1, 2.5, 0.4]),
          params: initParams(spec, 5),
          dropout: [0.4, 0.2],
          seeds: { dropout: 77, augment: 5 },
        },
      ],
    };
    const fast = await createFastCpuBackend(setup);
    const ref = new ReferenceBackend(setup);
    const steps = 5;
    const batchIndices = Uint32Array.from({ length: steps * 16 }, () => rng.int(rows));
    const chunk = { steps, batchIndices, rows: new Uint32Array([16, 16, 9, 16, 16]), learningRates: new Float64Array([NaN, NaN, 0.005, NaN, NaN]) };
    const [[f], [r]] = [await fast.runSteps(chunk), await ref.runSteps(chunk)];
    expectClose(
      f!.map((m) => m.loss),
      r!.map((m) => m.loss),
      1e-5,
      1e-4,
      'step losses',
    );
    expectClose(await fast.readParams(0), await ref.readParams(0), 1e-5, 1e-4, 'params');
  });

  it('image augmentation of 28×28 rows: three steps match the reference', async () => {
    const spec: ModelSpec = { inputSize: IMAGE_PIXELS, hidden: [{ units: 12, activation: 'relu' }], outputSize: 10, loss: 'softmax_ce' };
    const rng = new Rng(8);
    const rows = 12;
    const data = {
      features: Float32Array.from({ length: rows * IMAGE_PIXELS }, () => rng.uniform()),
      targets: Float32Array.from({ length: rows }, () => rng.int(10)),
      rows,
      inputSize: IMAGE_PIXELS,
      targetWidth: 1,
    };
    const setup: BatchSetup = {
      spec,
      data,
      batchCapacity: 6,
      augment: { kind: 'image', ranges: { maxShift: 3, maxAngleDeg: 20, maxZoom: 0.2 }, seed: 2 },
      models: [{ optimizer: { ...DEFAULT_OPTIMIZER, learningRate: 0.01 }, classWeights: null, params: initParams(spec, 2), seeds: { dropout: 2, augment: 2 } }],
    };
    const [fast, ref] = [await createFastCpuBackend(setup), new ReferenceBackend(setup)];
    const chunk = { steps: 3, batchIndices: Uint32Array.from({ length: 18 }, (_, i) => i % rows), rows: new Uint32Array([6, 6, 6]) };
    const [[f], [r]] = [await fast.runSteps(chunk), await ref.runSteps(chunk)];
    expectClose(
      f!.map((m) => m.loss),
      r!.map((m) => m.loss),
      1e-5,
      1e-4,
      'step losses',
    );
    expectClose(await fast.readParams(0), await ref.readParams(0), 1e-5, 1e-4, 'params');
  });

  it('is a BatchBackend of kind cpu that names its kernels', async () => {
    const fast = await createFastCpuBackend(batchOfOne(smallSetup('mse', 'linear')));
    expect(fast).to.be.instanceOf(FastCpuBackend);
    expect(fast.kind).to.equal('cpu');
    expect(fast.label).to.contain('WebAssembly');
    expect(fast.models).to.equal(1);
  });
});
