// The evaluation side of a WebGPU batch: the runners behind evaluate() and predict(), and what
// validation passes inside training submits need. Separate from the backend because it is set up
// once from the training step's network and buffers and shares nothing else with the step loop.
import type { BatchSetup } from '../train/training-backend.ts';
import { EvalRunner } from './evaluate.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import type { GpuGuard } from './guard.ts';
import { buildForward } from './network.ts';
import { EVAL_CAPACITY } from './plan.ts';
import type { StagingPool } from './staging.ts';
import { ownFeatures, weightClasses, type StepBuffers, type TrainingStep } from './training-step.ts';
import type { ValidationContext } from './validation.ts';

/** The runners of a batch's evaluation and prediction, and the context its validation passes are built from. */
export interface BatchEvaluation {
  evalRunner: EvalRunner;
  predictRunner: EvalRunner;
  validationContext: ValidationContext;
}

/**
 * Builds the evaluation side of a batch on the training step's network. Evaluation gets its own,
 * wider activations (created in `mem`) so that a validation split or a boundary grid takes few
 * chunks whatever the training batch size.
 */
export function buildBatchEvaluation(
  device: GPUDevice,
  setup: BatchSetup,
  step: TrainingStep,
  b: StepBuffers,
  staging: StagingPool,
  guard: GpuGuard,
  mem: GpuBuffers,
): BatchEvaluation {
  const { spec } = setup;
  const models = setup.models.length;
  const evalCap = Math.max(setup.batchCapacity, EVAL_CAPACITY);
  const widths = [spec.inputSize, ...step.stack.layers.map((l) => l.units)];
  const evalActs = widths.map((w, i) => mem.create(`eval activations ${i}`, models * evalCap * w * 4, GPUBufferUsage.STORAGE));
  const forward = buildForward(step.stack, evalCap, evalActs, 'eval');
  forward.uniforms.forEach((u) => mem.adopt(u));
  const context = {
    device,
    kind: spec.loss,
    models,
    capacity: evalCap,
    inputSize: spec.inputSize,
    outputSize: spec.outputSize,
    targetWidth: setup.data.targetWidth,
    classes: weightClasses(spec),
    forward: forward.dispatches,
    input: evalActs[0]!,
    logits: evalActs[evalActs.length - 1]!,
    targets: b.targets,
    classWeights: b.weights,
    gather: step.gather,
    loss: step.loss,
    staging,
    guard: <T>(work: Promise<T>) => guard.run(work),
  };
  const srcModelStride = ownFeatures(setup) ? setup.data.rows * spec.inputSize : 0;
  return {
    evalRunner: new EvalRunner(context, 'eval', b.features, srcModelStride),
    predictRunner: new EvalRunner(context, 'predict', b.features, srcModelStride),
    validationContext: { ...context, stack: step.stack, features: b.features, srcModelStride, weights: b.weights },
  };
}
