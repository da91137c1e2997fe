// The goals of issue 15 (many models in one pass), from one run's results: a batched Iris sweep
// against the same models trained one at a time, against the matmul kernel's own FLOP/s, and
// against TensorFlow.js training the 64 models one after another.
import { fmt, printTable } from './table.mjs';

const row = (results, workload, impl) => results.find((r) => r.workload === workload && r.impl === impl && r.median_ms !== null) ?? null;

/** Model-steps per second of a result row (models one unit trains ÷ seconds per unit). */
function modelSteps(r) {
  return r ? (r.models * 1000) / r.median_ms : null;
}

/** Prints the issue-15 goals for `impl` (shaderprop-webgpu by default), each met, not met or not measured. */
export function printBatchGoals(results, impl = 'shaderprop-webgpu') {
  const sweep = row(results, 'iris-sweep-64', impl);
  if (!sweep) return;
  const verdict = (x, k) => (x === null ? 'not measured' : x >= k ? 'met' : 'NOT met');
  const ratio = (a, b) => (a === null || b === null ? null : a / b);
  const one = modelSteps(row(results, 'iris-mlp', impl));
  const matmul = row(results, 'matmul-512', impl)?.gflops ?? null;
  const goals = [
    ['iris-sweep-64 model-steps/s ≥ 3× the same models one at a time', ratio(modelSteps(sweep), one), 3],
    ['iris-sweep-64 GFLOP/s ≥ 60% of matmul-512 GFLOP/s', ratio(sweep.gflops, matmul), 0.6],
    ['iris-sweep-64 model-steps/s ≥ 100× tfjs-webgpu', ratio(modelSteps(sweep), modelSteps(row(results, 'iris-sweep-64', 'tfjs-webgpu'))), 100],
    ['iris-sweep-64 model-steps/s ≥ 2× tfjs-wasm', ratio(modelSteps(sweep), modelSteps(row(results, 'iris-sweep-64', 'tfjs-wasm'))), 2],
  ];
  console.log(
    `\ngoals of issue 15 on ${impl} (iris-sweep-64: ${fmt(modelSteps(sweep))} model-steps/s, ${fmt(sweep.gflops)} GFLOP/s; one at a time: ${fmt(one)} model-steps/s):`,
  );
  printTable(goals.map(([what, x, k]) => [what, x === null ? '—' : `${fmt(x)}×`, verdict(x, k)]));
  const x8 = row(results, 'mnist-mlp-x8', impl);
  const single = modelSteps(row(results, 'mnist-mlp', impl));
  if (x8 && single)
    console.log(
      `  mnist-mlp-x8: ${fmt(modelSteps(x8))} model-steps/s, ${fmt(ratio(modelSteps(x8), single))}× mnist-mlp one at a time, ${fmt(x8.gflops)} GFLOP/s`,
    );
}

/** Issue 32's goal: the CPU pool's model-steps/s against the one-worker CPU backend's, their repetitions alternating in the pool's cell. */
export function printPoolGoal(measurements) {
  const rows = [];
  for (const w of ['iris-sweep-64', 'mnist-mlp-x8']) {
    const m = measurements.find((x) => x.workload === w && x.impl === 'shaderprop-cpu-pool' && !x.variant);
    if (!m) continue;
    const x = m.paired && m.paired.ratio > 0 ? 1 / m.paired.ratio : null;
    const verdict = x === null ? 'not measured' : x >= 1.8 ? 'met' : 'NOT met';
    const ms = (v) => (v === null || v === undefined ? '—' : `${fmt(v)} ms`);
    rows.push([`${w} on ${m.extras.workers ?? '?'} workers`, ms(m.median_ms), ms(m.paired?.baseline_ms), x === null ? '—' : `${fmt(x)}×`, verdict]);
  }
  if (!rows.length) return;
  console.log('\ngoal of issue 32 (CPU pool model-steps/s ≥ 1.8× one worker; pool and one-worker repetitions alternate in one cell, median of the pairs):');
  printTable([['workload', 'pool', 'one worker', 'speed-up', ''], ...rows]);
}
