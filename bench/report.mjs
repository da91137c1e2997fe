// Turns measurements into the printed report (medians, ratios to shaderprop-webgpu, shaderprop's
// own facts, the issue's goals) and the rows of bench/results.json. The table helpers, the views'
// goal (issue 29) and dist/'s sizes live in table.mjs, goals-views.mjs and dist-sizes.mjs.
import { printDist } from './dist-sizes.mjs';
import { printBatchGoals, printPoolGoal } from './goals-batch.mjs';
import { printViews, VIEWS, VIEWS_GOAL } from './goals-views.mjs';
import { fmt, printTable } from './table.mjs';

const OURS = 'shaderprop-webgpu';
/** Steps per submit and readback (STEPS_PER_READBACK in bench/workloads.ts). */
const K = 16;
const isMatmul = (w) => w.startsWith('matmul');
const flops = (w) => 2 * Number(w.slice('matmul-'.length)) ** 3;

/**
 * The rows of results.json: one per workload × implementation, with the models one unit trains
 * and `gflops` from the unit's FLOP count (every model's training step, or one matmul).
 */
export function resultRows(measurements) {
  return measurements
    .filter((m) => !m.variant)
    .map(({ workload, impl, median_ms, models, flops_per_unit, views }) => {
      const row = { workload, impl, median_ms: median_ms === null ? null : round(median_ms), models: models ?? 1 };
      const unitFlops = flops_per_unit ?? (isMatmul(workload) ? flops(workload) : null);
      if (unitFlops) row.gflops = median_ms === null ? null : round(unitFlops / (median_ms * 1e6));
      // inside-spiral: median_ms is with the maps and health off, these with them on.
      if (views) Object.assign(row, { views_on_ms: round(views.on_ms), views_ratio: round(views.ratio), views_goal_met: views.ratio <= VIEWS_GOAL });
      return row;
    });
}

/** Three significant digits, as numbers (not strings) for the JSON. */
function round(x) {
  return Number(x.toPrecision(3));
}

/** The value compared for a row: GFLOP/s for matmul, ms per step otherwise. */
function value(results, workload, impl) {
  const r = results.find((x) => x.workload === workload && x.impl === impl);
  if (!r || r.median_ms === null) return null;
  return isMatmul(workload) ? r.gflops : r.median_ms;
}

/** How many times faster shaderprop-webgpu is than `impl` (> 1: ours is faster), or null. */
export function speedup(results, workload, impl) {
  const ours = value(results, workload, OURS);
  const peer = value(results, workload, impl);
  if (ours === null || peer === null) return null;
  return isMatmul(workload) ? ours / peer : peer / ours;
}

function printMedians(results, workloads, impls) {
  console.log('\nmedians (ms per training step, mnist-gan: per D step + G step; GFLOP/s for matmul):');
  const rows = [['workload', ...impls]];
  const unit = (w) => (isMatmul(w) ? 'GFLOP/s' : w === VIEWS ? 'ms/step, views off' : 'ms/step');
  for (const w of workloads) rows.push([`${w} ${unit(w)}`, ...impls.map((i) => fmt(value(results, w, i)))]);
  printTable(rows);
}

function printRatios(results, workloads, impls) {
  const peers = impls.filter((i) => i !== OURS);
  if (!impls.includes(OURS) || !peers.length) return;
  console.log(`\nratios "peer / ${OURS}" (time ratio; GFLOP/s ratio inverted), > 1 means ${OURS} is faster:`);
  const rows = [['workload', ...peers]];
  for (const w of workloads) rows.push([w, ...peers.map((p) => (speedup(results, w, p) === null ? '—' : `${fmt(speedup(results, w, p))}×`))]);
  printTable(rows);
}

/** shaderprop's own facts per workload: memory, dispatches, submits, first step. */
function printFacts(measurements, workloads) {
  const find = (w, impl, variant) => measurements.find((m) => m.workload === w && m.impl === impl && m.variant === variant);
  const rows = [
    [
      'workload',
      'GPU bytes',
      'dispatches/step',
      'submits/step',
      'K used',
      'first step webgpu',
      'first step cpu',
      'first step reference',
      'matmul variant',
      'other variant',
    ],
  ];
  for (const w of workloads) {
    const g = find(w, OURS, undefined);
    // inside-spiral's first "step" is a session's build, a step and a refresh: its own table has it.
    if (!g || w === VIEWS) continue;
    const c = find(w, 'shaderprop-cpu', undefined);
    const r = find(w, 'shaderprop-reference', undefined);
    const other = measurements.find((m) => m.workload === w && m.impl === OURS && m.variant);
    // One runSteps (runIterations) call is one submit whatever its length: K = 16 by design.
    const submits = isMatmul(w) ? '—' : `1/${K}`;
    const otherText = other ? `${other.variant} ${other.median_ms === null ? 'skipped' : `${fmt(flops(w) / (other.median_ms * 1e6))} GFLOP/s`}` : '';
    const ms = (m) => (m && Number.isFinite(m.first_step_ms) ? `${fmt(m.first_step_ms)} ms` : '—');
    rows.push([
      w,
      g.extras.gpu_bytes ?? '—',
      g.extras.dispatches_per_step ?? '—',
      submits,
      g.chunk || '—',
      ms(g),
      ms(c),
      ms(r),
      g.extras.matmul_variant ?? '—',
      otherText,
    ]);
  }
  if (rows.length === 1) return;
  console.log(`\n${OURS} facts (submits/step: one submit and one readback per K = ${K} steps; K used: steps`);
  console.log('per readback in the timed runs, fewer than K only where one step is too slow for the budget;');
  console.log('first step: model creation, pipeline compilation and the first one-step submit with its readback):');
  printTable(rows);
}

/** The goals of issue 9, each met, not met, or not measured. */
function printGoals(results, measurements) {
  const s = (w, p) => speedup(results, w, p);
  const verdict = (ok) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  const atLeast = (x, k) => (x === null ? null : x >= k);
  const tfjs = ['tfjs-webgpu', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu'];
  const fastest = tfjs
    .map((p) => [p, value(results, 'iris-mlp', p)])
    .filter(([, v]) => v !== null)
    .sort((a, b) => a[1] - b[1])[0];
  const cpu = value(results, 'iris-mlp', 'shaderprop-reference');
  const tfcpu = value(results, 'iris-mlp', 'tfjs-cpu');
  const iris = measurements.find((m) => m.workload === 'iris-mlp' && m.impl === OURS && !m.variant);
  const goals = [
    ['iris-mlp ≥ 20× tfjs-webgpu', s('iris-mlp', 'tfjs-webgpu'), atLeast(s('iris-mlp', 'tfjs-webgpu'), 20)],
    [
      `iris-mlp faster than the fastest tfjs (${fastest?.[0] ?? '?'})`,
      fastest ? s('iris-mlp', fastest[0]) : null,
      fastest ? atLeast(s('iris-mlp', fastest[0]), 1) : null,
    ],
    ['mnist-mlp ≥ 5× tfjs-webgpu', s('mnist-mlp', 'tfjs-webgpu'), atLeast(s('mnist-mlp', 'tfjs-webgpu'), 5)],
    ['mnist-mlp at least as fast as tfjs-webgl', s('mnist-mlp', 'tfjs-webgl'), atLeast(s('mnist-mlp', 'tfjs-webgl'), 1)],
    ['mnist-gan ≥ 5× tfjs-webgpu', s('mnist-gan', 'tfjs-webgpu'), atLeast(s('mnist-gan', 'tfjs-webgpu'), 5)],
    ['mnist-gan at least as fast as tfjs-webgl', s('mnist-gan', 'tfjs-webgl'), atLeast(s('mnist-gan', 'tfjs-webgl'), 1)],
    ['matmul-512 ≥ 4× tfjs-webgpu GFLOP/s', s('matmul-512', 'tfjs-webgpu'), atLeast(s('matmul-512', 'tfjs-webgpu'), 4)],
    ['matmul-1024 ≥ 4× tfjs-webgpu GFLOP/s', s('matmul-1024', 'tfjs-webgpu'), atLeast(s('matmul-1024', 'tfjs-webgpu'), 4)],
    ['shaderprop-reference (float64) faster than tfjs-cpu on iris-mlp', cpu && tfcpu ? tfcpu / cpu : null, cpu && tfcpu ? cpu < tfcpu : null],
  ];
  console.log('\ngoals of issue 9 (ratios as above):');
  const rows = goals.map(([what, x, ok]) => [what, x === null ? '—' : `${fmt(x)}×`, verdict(ok)]);
  const dispatches = iris?.extras.dispatches_per_step;
  rows.push(['iris-mlp ≤ 12 dispatches per step, 1 readback per K', dispatches ?? '—', verdict(dispatches === undefined ? null : dispatches <= 12)]);
  printTable(rows);
}

/**
 * What Auto chose per workload: the trial's figures (ms per step on each backend, measured by the
 * session itself), its choice, the medians of Auto and of both backends measured alone (each in
 * its own cell), and Auto against the backend it chose timed in alternation in Auto's cell.
 */
function printAuto(results, measurements, workloads) {
  const rows = [
    ['workload', 'trial webgpu', 'trial cpu', 'Auto chose', 'auto median', 'webgpu median', 'cpu median', 'faster alone', 'chosen, paired', 'auto ÷ chosen'],
  ];
  for (const w of workloads) {
    const a = measurements.find((m) => m.workload === w && m.impl === 'shaderprop-auto' && !m.variant);
    if (!a) continue;
    const [gpu, cpu] = [value(results, w, OURS), value(results, w, 'shaderprop-cpu')];
    const trialMs = (x) => (Number.isFinite(x) ? `${fmt(x)} ms` : '—');
    const faster = gpu === null || cpu === null ? '—' : gpu < cpu ? 'webgpu' : 'cpu';
    rows.push([
      w,
      trialMs(a.extras.auto_trial_webgpu_ms),
      trialMs(a.extras.auto_trial_cpu_ms),
      a.extras.auto_choice ?? '—',
      fmt(value(results, w, 'shaderprop-auto')),
      fmt(gpu),
      fmt(cpu),
      faster,
      a.paired ? fmt(a.paired.baseline_ms) : '—',
      a.paired ? `${fmt(a.paired.ratio)}×` : '—',
    ]);
  }
  if (rows.length === 1) return;
  console.log("\nshaderprop-auto: what Auto chose (trial: ms per step on each backend in the session's own timed trial; medians in ms per step;");
  console.log("chosen, paired: the chosen backend built directly, its repetitions alternating with Auto's in Auto's cell;");
  console.log('auto ÷ chosen: median over those pairs, the same load on both):');
  printTable(rows);
}

/** The goals of issue 19 for the fast CPU backend and Auto, and issue 28's for Auto's own cost. */
function printCpuGoals(results, measurements) {
  const verdict = (ok) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  /** tfjs-wasm time ÷ fast CPU time (> 1: the fast CPU is faster). */
  const vsWasm = (w) => {
    const [c, t] = [value(results, w, 'shaderprop-cpu'), value(results, w, 'tfjs-wasm')];
    if (c === null || t === null) return null;
    return isMatmul(w) ? c / t : t / c;
  };
  const rows = [];
  for (const w of ['iris-mlp', 'mnist-mlp', 'mnist-gan']) {
    const x = vsWasm(w);
    rows.push([`shaderprop-cpu at least as fast as tfjs-wasm on ${w}`, x === null ? '—' : `${fmt(x)}×`, verdict(x === null ? null : x >= 1)]);
  }
  const m = vsWasm('matmul-512');
  rows.push(['shaderprop-cpu ≥ 50% of tfjs-wasm GFLOP/s on matmul-512', m === null ? '—' : `${fmt(100 * m)}%`, verdict(m === null ? null : m >= 0.5)]);
  for (const w of ['iris-mlp', 'mnist-mlp', 'mnist-gan']) {
    const a = measurements.find((x) => x.workload === w && x.impl === 'shaderprop-auto' && !x.variant);
    const [gpu, cpu] = [value(results, w, OURS), value(results, w, 'shaderprop-cpu')];
    const ok = !a || gpu === null || cpu === null ? null : a.extras.auto_choice === (gpu < cpu ? 'webgpu' : 'cpu');
    rows.push([`Auto picks the backend that is faster alone on ${w}`, a?.extras.auto_choice ?? '—', verdict(ok)]);
  }
  console.log('\ngoals of issue 19 (fast CPU: tfjs-wasm time ÷ shaderprop-cpu time, or GFLOP/s share):');
  printTable(rows);
  const paired = ['iris-mlp', 'mnist-mlp', 'mnist-gan'].map((w) => {
    const a = measurements.find((x) => x.workload === w && x.impl === 'shaderprop-auto' && !x.variant);
    const ratio = a?.paired?.ratio ?? null;
    return [`Auto's step within 15% of the backend it chose on ${w}`, ratio === null ? '—' : `${fmt(ratio)}×`, verdict(ratio === null ? null : ratio <= 1.15)];
  });
  console.log("\ngoal of issue 28 (Auto's time ÷ the chosen backend's, their repetitions alternating in Auto's cell):");
  printTable(paired);
}

/** Prints the whole report. */
export function printReport({ adapter, results, measurements, dist, opts, load, seconds }) {
  console.log(`\n=== shaderprop benchmark · adapter: ${adapter} · budget ${opts.budget} ms per measurement · ${seconds.toFixed(0)} s ===`);
  const busy = Math.max(load.start, load.end) > load.cores;
  console.log(
    `load average ${load.start.toFixed(1)} at start, ${load.end.toFixed(1)} at end, ${load.cores} cores${busy ? ': the machine was busy, so treat absolute times with care' : ''}`,
  );
  printMedians(results, opts.workloads, opts.impls);
  printRatios(results, opts.workloads, opts.impls);
  const skipped = measurements.filter((m) => m.median_ms === null);
  if (skipped.length) {
    console.log('\nnot measured:');
    for (const m of skipped) console.log(`  ${m.workload} on ${m.impl}${m.variant ? ` (${m.variant})` : ''}: ${m.skipped}`);
  }
  printFacts(measurements, opts.workloads);
  printAuto(results, measurements, opts.workloads);
  printGoals(results, measurements);
  printCpuGoals(results, measurements);
  printViews(measurements);
  printBatchGoals(results, 'shaderprop-webgpu');
  printBatchGoals(results, 'shaderprop-cpu');
  printPoolGoal(measurements);
  if (dist) printDist(dist);
}
