import type { TensorDataset } from '../../src/data/dataset.ts';
import type { Activation } from '../../src/nn/activation.ts';
import { initParams } from '../../src/nn/init.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../../src/nn/optimizer.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { LossKind, ModelSpec } from '../../src/nn/spec.ts';
import type { BackendSetup } from '../../src/train/training-backend.ts';
import { randomArray } from './tolerance.ts';

/** Output width and target width that go with each loss. */
export const HEADS: Record<LossKind, { outputSize: number; targetWidth: number; classes: number }> = {
  softmax_ce: { outputSize: 3, targetWidth: 1, classes: 3 },
  sigmoid_bce: { outputSize: 1, targetWidth: 1, classes: 2 },
  mse: { outputSize: 2, targetWidth: 2, classes: 0 },
};

/** A random dataset shaped for `loss`: features in [-1, 1), class ids or regression targets. */
export function randomDataset(loss: LossKind, rows: number, inputSize: number, seed: number): TensorDataset {
  const rng = new Rng(seed);
  const head = HEADS[loss];
  const targets = loss === 'mse' ? randomArray(rng, rows * head.targetWidth) : Float32Array.from({ length: rows }, () => rng.int(head.classes));
  return { features: randomArray(rng, rows * inputSize), targets, rows, inputSize, targetWidth: head.targetWidth };
}

/** A 3-layer network (two hidden layers of `act`) with its random dataset and initial params. */
export function smallSetup(
  loss: LossKind,
  act: Activation,
  opts: { rows?: number; capacity?: number; seed?: number; optimizer?: Partial<OptimizerConfig>; weights?: Float32Array | null } = {},
): BackendSetup {
  const rows = opts.rows ?? 9;
  const spec: ModelSpec = {
    inputSize: 3,
    hidden: [
      { units: 5, activation: act },
      { units: 4, activation: act },
    ],
    outputSize: HEADS[loss].outputSize,
    loss,
  };
  const seed = opts.seed ?? 1;
  return {
    spec,
    data: randomDataset(loss, rows, 3, seed),
    batchCapacity: opts.capacity ?? rows,
    optimizer: { ...DEFAULT_OPTIMIZER, ...opts.optimizer },
    classWeights: opts.weights ?? null,
    params: initParams(spec, seed),
  };
}
