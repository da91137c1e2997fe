// `npm run bench:node` (or `npm run bench -- --node`): shaderprop-webgpu's workloads under Node
// with Dawn (the npm package `webgpu`), for GPU servers without a browser. Same runners and timing
// as the browser page; the engine is bundled by esbuild first because it imports WGSL as text.
//
//   node bench/node.mjs [--budget MS] [--workloads a,b]
//
// Dawn needs a Vulkan loader and driver on Linux. Without one it finds no adapter, and this
// script says so and exits with status 2 (see bench/README.md for a software Vulkan).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { buildWasm } from '../scripts/build-wasm.mjs';
import { parseArgs } from './args.mjs';
import { fmt, printTable } from './table.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Under node_modules/ so that the bundle resolves nothing from elsewhere and git ignores it.
const OUT = join(ROOT, 'node_modules', '.cache', 'shaderprop-bench-node');

/** Exit status when Dawn finds no WebGPU adapter. */
export const NO_ADAPTER = 2;

/** Bundles bench/node-main.ts for Node and imports it. */
async function loadBench() {
  mkdirSync(OUT, { recursive: true });
  await buildWasm();
  const outfile = join(OUT, 'node-main.mjs');
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'bench', 'node-main.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    loader: { '.wgsl': 'text' },
    logLevel: 'error',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/** Creates Dawn's GPU object and installs its globals (GPUBufferUsage, ...), as browsers do. */
async function createGpu() {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  return create([]);
}

/** Prints the measurements as one table. */
function printResults(adapter, measurements) {
  const rows = [['workload', 'median', 'GFLOP/s', 'GPU bytes', 'dispatches/step', 'K used', 'first step', 'matmul variant']];
  for (const m of measurements) {
    const n = m.workload.startsWith('matmul') ? Number(m.workload.slice('matmul-'.length)) : 0;
    const ms = m.median_ms;
    rows.push([
      m.workload,
      ms === null ? 'skipped' : `${fmt(ms)} ms`,
      n && ms !== null ? fmt((2 * n ** 3) / (ms * 1e6)) : '—',
      m.extras.gpu_bytes ?? '—',
      m.extras.dispatches_per_step ?? '—',
      m.chunk || '—',
      `${fmt(m.first_step_ms)} ms`,
      m.variant,
    ]);
  }
  console.log(`\n=== shaderprop-webgpu under Node (Dawn) · adapter: ${adapter} ===`);
  console.log('median: ms per training step (mnist-gan: per D step + G step) or per matmul');
  printTable(rows);
  for (const m of measurements.filter((x) => x.median_ms === null)) console.log(`  ${m.workload} (${m.variant}) not measured: ${m.skipped}`);
}

/** Runs the Node benchmark; resolves with the process exit status. */
export async function runNode(opts) {
  let gpu;
  try {
    gpu = await createGpu();
  } catch (e) {
    console.error(`Could not load Dawn from the npm package "webgpu": ${e instanceof Error ? e.message : e}`);
    return NO_ADAPTER;
  }
  console.log('bundling the engine for Node...');
  const { runNodeBench } = await loadBench();
  const budget = { budgetMs: opts.budget, maxMs: opts.budget * 12 };
  // `ready` measures the built pages in a browser: there is nothing of it to run under Node.
  // inside-spiral compares backends (the CPU ones too) through the Session: the browser's.
  const workloads = opts.workloads.filter((w) => w !== 'ready' && w !== 'inside-spiral' && !w.startsWith('gan-2d'));
  const run = await runNodeBench(gpu, workloads, budget, (line) => console.log(line));
  if (run.unavailable) {
    console.error(`\nNo WebGPU adapter under Node: ${run.unavailable}`);
    console.error('Dawn (npm package "webgpu") needs Vulkan on Linux. On a GPU server install the vendor\'s Vulkan');
    console.error('driver; without a GPU, a software one: apt-get install mesa-vulkan-drivers libvulkan1');
    console.error('(see bench/README.md). The browser benchmark, npm run bench, does not need it.');
    return NO_ADAPTER;
  }
  printResults(run.adapter, run.measurements);
  return 0;
}

/** True when this file is the script node was started with (not imported). */
function invokedDirectly() {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (invokedDirectly()) {
  runNode(parseArgs(process.argv.slice(2)))
    .then((code) => process.exit(code))
    .catch((e) => {
      console.error(`bench:node failed: ${e instanceof Error ? e.stack : e}`);
      process.exit(1);
    });
}
