// The batched-training fixture of the trainer tests (test/train/batched.test.ts on the reference
// and WebGPU, test/cpu/trainer.test.ts on the fast CPU): Iris and a small two-hidden-layer network,
// "members" (one model's optimizer, rate, seed, epochs and remedies each) turned into a batch setup
// with BatchTrainer plans, and a run of them as one batch. One copy, so both files train the same
// batches and a member means the same model in either.
import { expect } from '@esm-bundle/chai';
import { loadIris } from '../../src/data/iris.ts';
import { initParams } from '../../src/nn/init.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig, type OptimizerKind } from '../../src/nn/optimizer.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { ReferenceBackend } from '../../src/reference/reference-backend.ts';
import { BatchTrainer } from '../../src/train/batch-trainer.ts';
import type { ModelPlan, ModelRun } from '../../src/train/model-run.ts';
import type { BatchBackend, BatchSetup } from '../../src/train/training-backend.ts';

/** What builds the backend for a batch setup: the float64 reference, the fast CPU, WebGPU. */
export type Engine = (setup: BatchSetup) => Promise<BatchBackend>;

/** The float64 CPU reference, the engine every other one is compared with. */
export const referenceEngine: Engine = async (setup) => new ReferenceBackend(setup);

/** One model of a batched run. */
export interface Member {
  kind: OptimizerKind;
  lr: number;
  seed: number;
  epochs: number;
  /** Rows per step (16 when absent). */
  batch?: number;
  dropout?: number[];
  /** Early stopping on the validation loss, so tight (patience 1, minDelta 0.05) that it stops within a few epochs. */
  earlyStopping?: boolean;
  classWeights?: number[];
}

/** The rows every member trains and validates on. */
export const IRIS = loadIris({ seed: 7 });

/** The network every member trains: two hidden layers of different activations, so both kinds of kernel run. */
export const SPEC: ModelSpec = {
  inputSize: 4,
  hidden: [
    { units: 8, activation: 'relu' },
    { units: 8, activation: 'tanh' },
  ],
  outputSize: 3,
  loss: 'softmax_ce',
};

/** A member's optimizer; AdamW decays and momentum alternates Nesterov by seed, so each kind's options are exercised. */
function optimizer(m: Member): OptimizerConfig {
  return {
    ...DEFAULT_OPTIMIZER,
    kind: m.kind,
    learningRate: m.lr,
    ...(m.kind === 'adamw' ? { weightDecay: 0.01 } : {}),
    ...(m.kind === 'momentum' ? { nesterov: m.seed % 2 === 0 } : {}),
  };
}

/** The batch setup, trainer plans and initial parameters of `members` trained together. */
export function batchOf(members: Member[]): { setup: BatchSetup; plans: ModelPlan[]; params: Float32Array[] } {
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

/** Trains `members` as one batch on `engine`, each for its epochs; resolves with each model's run. */
export async function trainBatch(engine: Engine, members: Member[]): Promise<ModelRun[]> {
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

/** A run's loss at every step. */
export const stepLosses = (r: ModelRun): number[] => r.steps.map((m) => m.loss);
