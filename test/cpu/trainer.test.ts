import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, remediesOf, type ExperimentConfig } from '../../src/config/experiment.ts';
import { createFastCpuBackend } from '../../src/cpu/fast-cpu-backend.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { initParams } from '../../src/nn/init.ts';
import { DEFAULT_OPTIMIZER, type OptimizerKind } from '../../src/nn/optimizer.ts';
import { validateModelSpec } from '../../src/nn/spec.ts';
import { batchOfOne, type BackendSetup } from '../../src/train/training-backend.ts';
import { ModelView } from '../../src/train/model-view.ts';
import { remedySetup } from '../../src/train/remedies.ts';
import { Trainer } from '../../src/train/trainer.ts';
import { referenceEngine, stepLosses, trainBatch, type Engine, type Member } from '../helpers/batch-members.ts';
import { expectClose } from '../helpers/tolerance.ts';

const fast: Engine = (setup) => createFastCpuBackend(setup);

/** Trains an experiment for `epochs` on `engine` exactly as a Session sets it up; resolves with the trainer. */
async function trainExperiment(config: ExperimentConfig, engine: Engine, epochs: number): Promise<Trainer> {
  const data = await loadExperimentData(config);
  const spec = validateModelSpec({ inputSize: data.dataset.inputSize, hidden: config.hidden, outputSize: data.classNames.length, loss: 'softmax_ce' });
  const remedies = remedySetup(remediesOf(config), data, config.seed);
  const batchSize = config.batchSize === 'full' ? remedies.epochRows : Math.min(config.batchSize, remedies.epochRows);
  const setup: BackendSetup = {
    spec,
    data: data.dataset,
    batchCapacity: batchSize,
    optimizer: config.optimizer,
    classWeights: remedies.classWeights,
    params: initParams(spec, config.seed),
  };
  if (remedies.dropout) Object.assign(setup, { dropout: remedies.dropout, dropoutSeed: config.seed });
  if (remedies.augment) setup.augment = remedies.augment;
  const backend = new ModelView(await engine(batchOfOne(setup)));
  const trainer = new Trainer(
    backend,
    data.splits,
    { batchSize, seed: config.seed, stepsPerSubmit: 16, classification: true, ...remedies.trainer, optimizer: config.optimizer },
    setup.params,
  );
  await trainer.trainEpochs(epochs);
  backend.dispose();
  return trainer;
}

/** The same experiment on both engines: per-step and per-epoch losses agree within float32 tolerance. */
async function expectSameRun(config: ExperimentConfig, epochs: number): Promise<void> {
  const [f, r] = [await trainExperiment(config, fast, epochs), await trainExperiment(config, referenceEngine, epochs)];
  expect(f.history).to.have.length(epochs);
  // float32 against float64 through every step: |Δ| ≤ 1e-4 + 1e-3·|want| per step loss.
  expectClose(
    f.steps.map((s) => s.loss),
    r.steps.map((s) => s.loss),
    1e-4,
    1e-3,
    'step losses',
  );
  expectClose(
    f.history.map((h) => h.validationLoss ?? NaN),
    r.history.map((h) => h.validationLoss ?? NaN),
    1e-4,
    1e-3,
    'validation losses',
  );
  const accuracy = (t: Trainer) => t.history.map((h) => h.validationAccuracy ?? NaN);
  expectClose(accuracy(f), accuracy(r), 0.05, 0, 'validation accuracy (at most one row in 20 flips near a tie)');
}

describe('fast CPU backend through the trainer, against the float64 reference', () => {
  it('Iris, the article network (Adam, batch 32), 8 epochs', async () => {
    await expectSameRun({ ...DEFAULT_EXPERIMENT, seed: 42 }, 8);
  });

  it('spiral with dropout, balanced class weights on imbalanced classes, and jitter, 6 epochs', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      dataset: { name: 'spiral', size: 300, noise: 0.1, imbalance: 0.4, classes: 3 },
      hidden: [
        { units: 24, activation: 'relu' },
        { units: 12, activation: 'tanh' },
      ],
      optimizer: { ...DEFAULT_OPTIMIZER, kind: 'momentum', learningRate: 0.05, nesterov: true, l2: 0.001 },
      batchSize: 20,
      seed: 9,
      remedies: { ...DEFAULT_REMEDIES, dropout: [0.3, 0.2], classWeights: 'balanced', jitter: 0.15 },
    };
    await expectSameRun(config, 6);
  });
});

describe('fast CPU backend: N models of a batch', () => {
  it('N = 6 with every optimizer, dropout, class weights, a smaller batch and a diverging member: each is its run alone, and the reference', async () => {
    const KINDS: OptimizerKind[] = ['sgd', 'momentum', 'adam', 'adamw'];
    const members: Member[] = [
      ...Array.from({ length: 5 }, (_, z) => ({
        kind: KINDS[z % 4]!,
        lr: 10 ** (-3 + z / 2),
        seed: 100 + z,
        epochs: 2 + (z % 3),
        ...(z === 1 ? { dropout: [0.3, 0.1] } : {}),
        ...(z === 3 ? { batch: 8 } : {}),
        ...(z === 2 ? { classWeights: [1, 2, 0.5] } : {}),
      })),
      { kind: 'sgd', lr: 1e200, seed: 8, epochs: 3 },
    ];
    const runs = await trainBatch(fast, members);
    for (const [z, m] of members.entries()) {
      const [alone] = await trainBatch(fast, [m]);
      // One model's arithmetic does not depend on the others: bit for bit.
      expect(stepLosses(runs[z]!), `member ${z} against itself alone`).to.deep.equal(stepLosses(alone!));
      if (runs[z]!.status === 'diverged') continue;
      const [ref] = await trainBatch(referenceEngine, [m]);
      expectClose(stepLosses(runs[z]!), stepLosses(ref!), 1e-4, 1e-3, `member ${z} (${m.kind}, lr ${m.lr.toExponential(1)}) against the reference`);
      expect(runs[z]!.history.length, `member ${z} epochs`).to.equal(m.epochs);
    }
    expect(runs[5]!.status).to.equal('diverged');
  });
});
