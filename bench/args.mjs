// Command-line arguments of `npm run bench` and `npm run bench:node`.

/**
 * Workloads and implementations in report order (the same lists as bench/workloads.ts, plus
 * `ready`: the built pages' time to usable, bench/ready.mjs, which has no implementations).
 */
export const WORKLOADS = [
  'iris-mlp',
  'mnist-mlp',
  'mnist-gan',
  'iris-sweep-64',
  'mnist-mlp-x8',
  'matmul-128',
  'matmul-512',
  'matmul-1024',
  'inside-spiral',
  'gan-2d',
  'gan-2d-x8',
  'ready',
];
export const IMPLS = [
  'shaderprop-webgpu',
  'shaderprop-cpu',
  'shaderprop-cpu-pool',
  'shaderprop-auto',
  'shaderprop-reference',
  'tfjs-webgpu',
  'tfjs-webgl',
  'tfjs-wasm',
  'tfjs-cpu',
  'jaxjs-webgpu',
  'jaxjs-webgl',
  'jaxjs-wasm',
  'jaxjs-cpu',
];
/**
 * The workloads jax-js has cells on (issue 32): bench/jax-runners.ts trains one classifier at a
 * time and times raw products; no GAN, batched-models or views runner is written for it.
 */
export const JAXJS_WORKLOADS = ['iris-mlp', 'mnist-mlp', 'matmul-128', 'matmul-512', 'matmul-1024'];

/** Whether jax-js's `impl` has a cell on `workload`. */
export function jaxjsCell(workload, impl) {
  // Its interpreted-JavaScript cpu backend took 57 s for one 512² product here: a 1024² one (8×)
  // would run past the page's hard limit (3 × 48 s + 120 s) and cost a page reload.
  if (impl === 'jaxjs-cpu' && workload === 'matmul-1024') return false;
  return JAXJS_WORKLOADS.includes(workload);
}

/**
 * Parses `--budget MS` (timed repetitions per measurement, default 4000), `--workloads a,b`,
 * `--impls a,b`, `--ready-loads N` (loads per cell of `ready`, default 5), `--no-dist` and
 * `--node`; throws a message naming a bad argument.
 */
export function parseArgs(argv) {
  const opts = { budget: 4000, workloads: WORKLOADS, impls: IMPLS, readyLoads: 5, dist: true, node: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const list = (known) => {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = names.filter((n) => !known.includes(n));
      if (bad.length || !names.length) throw new Error(`${arg}: expected some of ${known.join(', ')}; got ${bad.join(', ') || 'nothing'}`);
      return known.filter((n) => names.includes(n));
    };
    if (arg === '--budget') opts.budget = Number(argv[++i]);
    else if (arg === '--workloads') opts.workloads = list(WORKLOADS);
    else if (arg === '--impls') opts.impls = list(IMPLS);
    else if (arg === '--ready-loads') opts.readyLoads = Number(argv[++i]);
    else if (arg === '--no-dist') opts.dist = false;
    else if (arg === '--node') opts.node = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!(opts.budget >= 100)) throw new Error('--budget must be at least 100 (ms)');
  if (!(Number.isInteger(opts.readyLoads) && opts.readyLoads >= 1)) throw new Error('--ready-loads must be a whole number, at least 1');
  return opts;
}
