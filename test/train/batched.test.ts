import { expect } from '@esm-bundle/chai';
import { loadIris } from '../../src/data/iris.ts';
import { createGpuBatchBackend } from '../../src/gpu/gpu-backend.ts';
import { initParams } from '../../src/nn/init.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig, type OptimizerKind } from '../../src/nn/optimizer.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { ReferenceBackend } from '../../src/reference/reference-backend.ts';
import type { BatchBackend, BatchSetup } from '../../src/train/training-backend.ts';
import { BatchTrainer } from '../../src/train/batch-trainer.ts';
import type { ModelPlan, ModelRun } from '../../src/train/model-run.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';

/** One configuration of a batched run. */
interface Member {
  kind: OptimizerKind;
  lr: number;
  seed: number;
  epochs: number;
  batch?: number;
  dropout?: number[];
  earlyStopping?: boolean;
  classWeights?: number[];
}

const IRIS = loadIris({ seed: 7 });
const SPEC: ModelSpec = {
  inputSize: 4,
  hidden: [
    { units: 8, activation: 'relu' },
    { units: 8, activation: 'tanh' },
  ],
  outputSize: 3,
  loss: 'softmax_ce',
};

function optimizer(m: Member): OptimizerConfig {
  return {
    ...DEFAULT_OPTIMIZER,
    kind: m.kind,
    learningRate: m.lr,
    ...(m.kind === 'adamw' ? { weightDecay: 0.01 } : {}),
    ...(m.kind === 'momentum' ? { nesterov: m.seed % 2 === 0 } : {}),
  };
}

function batchOf(members: Member[]): { setup: BatchSetup; plans: ModelPlan[]; params: Float32Array[] } {
  const capacity = Math.max(...members.map((m) => m.batch ?? 16));
  const params = members.map((m) => initParams(SPEC, m.seed));
  const setup: BatchSetup = {
    spec: SPEC,
    data: IRIS.dataset,
    batchCapacity: capacity,
    models: members.map((m, z) => ({
      optimizer: optimizer(m),
      classWeights: m.classWeights ? Float32Array.from(m.classWeights) : null,
      params: params[z]!,
      seeds: { dropout: m.seed, augment: m.seed },
      ...(m.dropout ? { dropout: m.dropout } : {}),
    })),
  };
  const plans = members.map((m) => ({
    train: IRIS.splits.train,
    validation: IRIS.splits.validation,
    batchSize: m.batch ?? 16,
    seed: m.seed,
    earlyStopping: m.earlyStopping ? { monitor: 'validation_loss' as const, patience: 1, minDelta: 0.05 } : null,
    optimizer: optimizer(m),
  }));
  return { setup, plans, params };
}

type Engine = (setup: BatchSetup) => Promise<BatchBackend>;
const reference: Engine = async (setup) => new ReferenceBackend(setup);
const webgpu: Engine = async (setup) => createGpuBatchBackend(await testGpu(), setup);

/** Trains `members` as one batch on `engine`; resolves with each model's run. */
async function train(engine: Engine, members: Member[]): Promise<ModelRun[]> {
  const { setup, plans, params } = batchOf(members);
  const backend = await engine(setup);
  try {
    const trainer = new BatchTrainer(backend, plans, { stepsPerSubmit: 16, classification: true, onDivergence: 'stop', checkpointEvery: Infinity }, params);
    trainer.runs.forEach((r, z) => (r.target = members[z]!.epochs));
    await trainer.train();
    // Early-stopped models must end on their best weights, bit for bit.
    for (const [z, r] of trainer.runs.entries())
      if (r.stopped) expect([...(await backend.readParams(z))], `model ${z} restored`).to.deep.equal([...r.best!.params]);
    return trainer.runs;
  } finally {
    backend.dispose();
  }
}

const losses = (r: ModelRun) => r.steps.map((m) => m.loss);
const KINDS: OptimizerKind[] = ['sgd', 'momentum', 'adam', 'adamw'];

/** N members with log-spaced rates, every optimizer kind, dropout on some, a smaller batch on one, class weights on one. */
function sweep(n: number): Member[] {
  return Array.from({ length: n }, (_, z) => ({
    kind: KINDS[z % 4]!,
    lr: 10 ** (-3 + (2 * z) / Math.max(1, n - 1)),
    seed: 100 + z,
    epochs: 2 + (z % 3),
    ...(z % 5 === 1 ? { dropout: [0.3, 0.1] } : {}),
    ...(z % 7 === 3 ? { batch: 8 } : {}),
    ...(z % 11 === 2 ? { classWeights: [1, 2, 0.5] } : {}),
  }));
}

/** The sweep plus one member that early-stops and one whose rate overflows even float64 (it diverges on both engines). */
function withEnds(members: Member[]): Member[] {
  return [...members, { kind: 'adam', lr: 0.05, seed: 7, epochs: 30, earlyStopping: true }, { kind: 'sgd', lr: 1e200, seed: 8, epochs: 3 }];
}

describe('batched training: model z of a batch is the same run as that configuration alone', () => {
  for (const n of [1, 3, 7]) {
    it(`float64 reference, N = ${n + 2}: bit for bit, with an early-stopping and a diverging member`, async () => {
      const members = withEnds(sweep(n));
      const runs = await train(reference, members);
      for (const [z, m] of members.entries()) {
        const [alone] = await train(reference, [m]);
        expect(losses(runs[z]!), `member ${z}`).to.deep.equal(losses(alone!));
        expect(runs[z]!.status).to.equal(alone!.status);
      }
      const [stopper, diverged] = runs.slice(-2) as [ModelRun, ModelRun];
      expect(stopper.status).to.equal('early-stopped');
      expect(stopper.history.length).to.be.lessThan(30);
      expect(diverged.status).to.equal('diverged');
      expect(diverged.divergence!.what).to.equal('loss');
      // The others ran all their epochs.
      runs.slice(0, n).forEach((r, z) => expect(r.history.length, `member ${z} epochs`).to.equal(members[z]!.epochs));
    });
  }

  for (const n of [1, 3, 7, 64]) {
    it(`WebGPU, N = ${n + 2}: the same as alone on WebGPU, and within float32 tolerance of the reference`, async () => {
      const members = withEnds(sweep(n));
      const runs = await train(webgpu, members);
      const check = n <= 7 ? members.map((_, z) => z) : [0, 1, 2, 3, 31, 63, n, n + 1];
      for (const z of check) {
        const m = members[z]!;
        const [aloneGpu] = await train(webgpu, [m]);
        // The same kernels sum in the same order whatever the model index.
        expect(losses(runs[z]!), `member ${z} against itself alone`).to.deep.equal(losses(aloneGpu!));
        if (runs[z]!.status === 'diverged') continue;
        const [aloneRef] = await train(reference, [m]);
        // f32 against float64 over at most 30 epochs of 6 steps: 1e-4 + 1e-3·|want| per step loss.
        expectClose(losses(runs[z]!), losses(aloneRef!), 1e-4, 1e-3, `member ${z} (${m.kind}, lr ${m.lr.toExponential(1)}) against the reference`);
      }
      expect(runs[n]!.status).to.equal('early-stopped');
      expect(runs[n + 1]!.status).to.equal('diverged');
    });
  }

  it('a stopped member sits out: its parameters do not change while the others train on', async () => {
    const members: Member[] = [
      { kind: 'adam', lr: 0.01, seed: 1, epochs: 1 },
      { kind: 'adam', lr: 0.01, seed: 2, epochs: 4 },
    ];
    const { setup, plans, params } = batchOf(members);
    const backend = await webgpu(setup);
    const trainer = new BatchTrainer(backend, plans, { stepsPerSubmit: 16, classification: true, onDivergence: 'stop' }, params);
    trainer.runs.forEach((r, z) => (r.target = members[z]!.epochs));
    await trainer.train();
    const afterFirst = await backend.readParams(0);
    const [alone] = await train(webgpu, [members[0]!]);
    expect(losses(trainer.runs[0]!)).to.deep.equal(losses(alone!));
    expect(trainer.runs[1]!.history.length).to.equal(4);
    // Model 0 stopped after epoch 1; three more epochs of model 1 left it untouched.
    const { setup: s0, plans: p0, params: i0 } = batchOf([members[0]!]);
    const single = await webgpu(s0);
    const t0 = new BatchTrainer(single, p0, { stepsPerSubmit: 16, classification: true, onDivergence: 'stop' }, i0);
    t0.runs[0]!.target = 1;
    await t0.train();
    expect([...afterFirst]).to.deep.equal([...(await single.readParams(0))]);
    single.dispose();
    backend.dispose();
  });
});

describe('submits across epochs', () => {
  for (const [name, engine] of [
    ['reference', reference],
    ['WebGPU', webgpu],
  ] as const) {
    it(`${name}: submits that cross epochs (validation scored inside them) train the same bits as submits cut at every epoch`, async () => {
      const members = [...sweep(3), { kind: 'adam' as const, lr: 0.01, seed: 9, epochs: 5, batch: 8 }];
      const runs = async (crossEpochs: boolean) => {
        const { setup, plans, params } = batchOf(members);
        const backend = await engine(setup);
        const calls: number[] = [];
        const run = backend.runSteps.bind(backend);
        backend.runSteps = (chunk) => (calls.push(chunk.steps), run(chunk));
        const trainer = new BatchTrainer(backend, plans, { stepsPerSubmit: 16, classification: true, onDivergence: 'stop', crossEpochs }, params);
        trainer.runs.forEach((r, z) => (r.target = members[z]!.epochs));
        await trainer.train();
        backend.dispose();
        return { runs: trainer.runs, calls };
      };
      const [cut, crossed] = [await runs(false), await runs(true)];
      expect(crossed.calls.length, 'fewer submits').to.be.lessThan(cut.calls.length);
      crossed.runs.forEach((r, z) => {
        expect(losses(r), `member ${z} step losses`).to.deep.equal(losses(cut.runs[z]!));
        expect(r.history, `member ${z} epoch records`).to.deep.equal(cut.runs[z]!.history);
      });
    });
  }
});
