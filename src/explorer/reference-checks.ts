// The float64 reference checked on its own, without a GPU: its backward pass (dense layers,
// activations, the loss and its gradient, class weights) against central differences of its
// own forward pass, for every activation and loss. The reference is the spec every kernel is
// compared with, so this is what can still be verified where no kernel can run.
import type { TensorDataset } from '../data/dataset.ts';
import { arenaLayout } from '../nn/arena.ts';
import { ACTIVATIONS, type Activation } from '../nn/activation.ts';
import { initParams } from '../nn/init.ts';
import { DEFAULT_OPTIMIZER } from '../nn/optimizer.ts';
import { Rng } from '../nn/rng.ts';
import type { LossKind, ModelSpec } from '../nn/spec.ts';
import { CpuBackend } from '../reference/reference-model-backend.ts';
import { macrotask } from '../reference/yield.ts';
import { compareArrays, type CaseResult } from './checks.ts';

/** Output and target widths per loss: three classes, one logit for two classes, two targets. */
const HEADS: Record<LossKind, { outputSize: number; targetWidth: number; classes: number }> = {
  softmax_ce: { outputSize: 3, targetWidth: 1, classes: 3 },
  sigmoid_bce: { outputSize: 1, targetWidth: 1, classes: 2 },
  mse: { outputSize: 2, targetWidth: 2, classes: 0 },
};
const LOSSES: LossKind[] = ['softmax_ce', 'sigmoid_bce', 'mse'];
/** Central differences with h = 1e-6 in float64: truncation O(h²), rounding O(ε/h) ≈ 1e-10. */
const H = 1e-6;
const ATOL = 1e-7;
const RTOL = 1e-5;

/** Every case, the largest errors, and one line that says "match" or "do not match". */
export interface ReferenceCheckReport {
  cases: CaseResult[];
  passed: number;
  maxAbs: number;
  maxRel: number;
  summary: string;
}

function randomData(rng: Rng, loss: LossKind, rows: number, inputSize: number): TensorDataset {
  const head = HEADS[loss];
  const uniform = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const targets = loss === 'mse' ? uniform(rows * head.targetWidth) : Float32Array.from({ length: rows }, () => rng.int(head.classes));
  return { features: uniform(rows * inputSize), targets, rows, inputSize, targetWidth: head.targetWidth };
}

/** One 3→5→4→head network of `act`: analytic gradients against central differences. */
async function gradientCase(loss: LossKind, act: Activation, seed: number): Promise<CaseResult> {
  const rows = 9;
  const spec: ModelSpec = {
    inputSize: 3,
    hidden: [
      { units: 5, activation: act },
      { units: 4, activation: act },
    ],
    outputSize: HEADS[loss].outputSize,
    loss,
  };
  const weights = loss === 'softmax_ce' ? new Float32Array([0.5, 2, 1.25]) : null;
  const cpu = new CpuBackend({
    spec,
    data: randomData(new Rng(seed), loss, rows, 3),
    batchCapacity: rows,
    optimizer: DEFAULT_OPTIMIZER,
    classWeights: weights,
    params: initParams(spec, seed),
  });
  const layout = arenaLayout(spec);
  // Non-zero biases keep every parameter away from relu's kink at zero.
  for (const t of layout.tensors) if (t.kind === 'bias') for (let i = 0; i < t.size; i++) cpu.params[t.offset + i] = 0.1 * Math.sin(i + t.layer);
  const all = Uint32Array.from({ length: rows }, (_, i) => i);
  const { grads } = cpu.gradients(all, rows);
  const numeric = new Float64Array(grads.length);
  for (const t of layout.tensors) {
    for (let i = t.offset; i < t.offset + t.size; i++) {
      const w = cpu.params[i]!;
      cpu.params[i] = w + H;
      const up = (await cpu.evaluate(all)).loss;
      cpu.params[i] = w - H;
      const down = (await cpu.evaluate(all)).loss;
      cpu.params[i] = w;
      numeric[i] = (up - down) / (2 * H);
    }
  }
  return compareArrays(`${act} layers, ${loss}${weights ? ' with class weights' : ''}: gradient`, grads, numeric, ATOL, RTOL);
}

/**
 * Runs every case (5 activations × 3 losses), yielding to the page between cases; `onCase`
 * reports each as it finishes.
 */
export async function runReferenceChecks(onCase?: (c: CaseResult, done: number, total: number) => void): Promise<ReferenceCheckReport> {
  const cases: CaseResult[] = [];
  const total = LOSSES.length * ACTIVATIONS.length;
  for (const loss of LOSSES) {
    for (const act of ACTIVATIONS) {
      await macrotask();
      const c = await gradientCase(loss, act, 7 + cases.length);
      cases.push(c);
      onCase?.(c, cases.length, total);
    }
  }
  const passed = cases.filter((c) => c.pass).length;
  const maxAbs = Math.max(0, ...cases.map((c) => c.maxAbs));
  const maxRel = Math.max(0, ...cases.map((c) => c.maxRel));
  const errors = `max abs error ${maxAbs.toExponential(2)}, max rel error ${maxRel.toExponential(2)}`;
  const summary =
    passed === cases.length
      ? `The float64 reference's gradients match central differences: ${cases.length} of ${cases.length} cases, ${errors}`
      : `The float64 reference's gradients do not match central differences in ${cases.length - passed} of ${cases.length} cases; ${errors}`;
  return { cases, passed, maxAbs, maxRel, summary };
}
