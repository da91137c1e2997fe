// `npm run bench`: builds the benchmark page, serves it on loopback, and measures every workload on
// every implementation in one headless Chromium session (system browser, WebGPU on; SwiftShader
// when there is no GPU). Prints the report and writes bench/results.json.
//
//   npm run bench [-- --budget MS] [--workloads a,b] [--impls a,b] [--ready-loads N] [--no-dist] [--node]
//
// --budget scales every measurement (ms of timed repetitions, default 4000); --node runs the
// shaderprop-webgpu workloads under Node with Dawn instead (bench/node.mjs). The `ready` workload
// (bench/ready.mjs) loads the built playground's pages instead of the benchmark page; run alone,
// it neither builds nor needs the benchmark page.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { buildWasm } from '../scripts/build-wasm.mjs';
import { findChrome, WEBGPU_FLAGS } from '../scripts/find-chrome.mjs';
import { startServer } from '../scripts/serve.mjs';
import { jaxjsCell, parseArgs } from './args.mjs';
import { measureReady } from './ready.mjs';
import { printReadyReport, readyCells, readyRows } from './ready-report.mjs';
import { distSizes, printDist } from './dist-sizes.mjs';
import { VIEWS_IMPLS } from './goals-views.mjs';
import { printReport, resultRows } from './report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Under node_modules/.cache: ignored by git already, and not the playground's dist/.
const OUT = join(ROOT, 'node_modules', '.cache', 'shaderprop-bench');
const WASM_DIR = join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Bundles bench/bench-page.ts with the page and tfjs-wasm's binaries into OUT. */
async function buildPage() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await buildWasm();
  await esbuild.build({
    absWorkingDir: ROOT,
    // The engine's worker script too: the CPU pool's workers start from it (shaderprop-cpu-pool).
    entryPoints: [
      { in: join(ROOT, 'bench', 'bench-page.ts'), out: 'bench-page' },
      { in: join(ROOT, 'src', 'worker', 'worker.ts'), out: 'worker' },
    ],
    outdir: OUT,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    loader: { '.wgsl': 'text' },
    logLevel: 'error',
  });
  copyFileSync(join(ROOT, 'bench', 'bench.html'), join(OUT, 'bench.html'));
  for (const f of WASM_FILES) copyFileSync(join(WASM_DIR, f), join(OUT, f));
}

/** Pause between closing one workload's page and opening the next one's. */
const SETTLE_MS = 3000;

/** Rejects after `ms` unless `promise` settles first. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the benchmark page and waits until its API is there; forwards page errors. */
async function openPage(browser, url) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`  page console: ${m.text()}`);
  });
  await page.goto(new URL('bench.html', url).href);
  await page.waitForFunction(() => window.shaderpropBench !== undefined, null, { timeout: 60_000 });
  return page;
}

/** Whether `workload` has a cell on `impl`. */
function cellExists(workload, impl) {
  if (workload === 'inside-spiral' || workload.startsWith('gan-2d')) return VIEWS_IMPLS.includes(impl);
  if (impl.startsWith('jaxjs-')) return jaxjsCell(workload, impl);
  if (impl === 'shaderprop-cpu-pool') return workload === 'iris-sweep-64' || workload === 'mnist-mlp-x8';
  return !(workload.startsWith('matmul') && impl === 'shaderprop-auto');
}

/** One progress line for a finished measurement. */
function progressLine(workload, impl, m) {
  const head = `  ${workload.padEnd(12)} ${impl.padEnd(18)}`;
  if (m.median_ms === null) return `${head} ${m.skipped.startsWith('not run') ? '' : 'skipped: '}${m.skipped}`;
  if (m.views) {
    const v = m.views;
    return (
      `${head} views off ${m.median_ms.toFixed(4)}, on ${v.on_ms.toFixed(4)} ms/step, on ÷ off ${v.ratio.toFixed(3)} (pooled ${v.pooled_ratio.toFixed(3)}; ` +
      `${m.samples.length} pairs of ${v.interval_ms.toFixed(0)} ms intervals, ${v.refreshes_per_s.toFixed(2)} refreshes/s; ` +
      `one refresh alone off ${v.refresh_ms.off.toFixed(1)}, on ${v.refresh_ms.on.toFixed(1)} ms, maps + health ${v.refresh_ms.views.toFixed(1)} ms; ` +
      `first ${m.first_step_ms.toFixed(0)} ms)`
    );
  }
  const per = workload.startsWith('matmul') ? 'matmul' : 'step';
  const first = Number.isFinite(m.extras.first_loss) ? `${m.extras.first_loss.toFixed(3)} → ` : '';
  const loss = Number.isFinite(m.extras.last_loss) ? `; loss ${first}${m.extras.last_loss.toFixed(3)}` : '';
  const paired = m.paired
    ? `; ${m.extras.auto_choice ?? 'one worker'} alone, alternating: ${m.paired.baseline_ms.toFixed(2)} ms/${per}, ratio ${m.paired.ratio.toFixed(3)}`
    : '';
  return `${head} ${m.median_ms.toFixed(2)} ms/${per} (${m.samples.length} reps × ${m.chunks_per_rep} × ${m.chunk}; first ${m.first_step_ms.toFixed(0)} ms${loss}${paired})`;
}

/**
 * Measures everything in one browser session. A measurement that overruns its hard limit is
 * recorded as skipped, and the page is replaced so the next one starts clean.
 */
async function measureAll(opts, url) {
  const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS });
  let page = await openPage(browser, url);
  const budget = { budgetMs: opts.budget, maxMs: opts.budget * 12 };
  // The engine's other matmul variant is for kernel tuning only: a smaller budget, so a slow one
  // costs one step and a note instead of a minute.
  const otherBudget = { budgetMs: opts.budget / 2, maxMs: opts.budget * 2 };
  const hardMs = budget.maxMs * 3 + 120_000;
  const measurements = [];
  try {
    const adapter = await page.evaluate(() => window.shaderpropBench.adapter()).catch((e) => ({ name: `none (${e.message})`, software: false }));
    console.log(`adapter: ${adapter.name}${adapter.software ? ' (software)' : ''}`);
    const trial = adapter.matmul;
    if (trial)
      console.log(`matmul trial (128×256 · 256×128): blocked ${trial.ms.blocked.toFixed(2)} ms, tiled ${trial.ms.tiled.toFixed(2)} ms → ${trial.variant}`);
    const picked = trial?.variant ?? (adapter.software ? 'blocked' : 'tiled');
    const variants = picked === 'blocked' ? ['blocked', 'tiled'] : ['tiled', 'blocked'];
    for (const [index, workload] of opts.workloads.entries()) {
      // A fresh page per workload: what one workload leaves behind (tfjs's buffer and texture
      // pools, wasm heaps, GPU memory) slowed later cells up to 4× in one full run (matmul-1024 on
      // shaderprop: 3.8 s against 0.78 s alone). The GPU process tears the old page down for a
      // while after it closes (the first cells of the next page ran 2× slow), hence the pause. The
      // new page's device repeats the engine's matmul trial here, outside any measurement.
      if (index > 0) {
        await page.close().catch(() => {});
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        page = await openPage(browser, url);
        await page.evaluate(() => window.shaderpropBench.adapter()).catch(() => {});
      }
      // Auto chooses a backend per model: a raw matmul has no Auto cell. inside-spiral times the
      // engine's own views on each of its backends (Auto is one of them; tfjs has no views).
      const jobs = opts.impls.filter((impl) => cellExists(workload, impl)).map((impl) => ({ impl }));
      // The engine picks one matmul variant per adapter; the other is measured for kernel tuning.
      if (workload.startsWith('matmul') && opts.impls.includes('shaderprop-webgpu')) jobs.splice(1, 0, { impl: 'shaderprop-webgpu', variant: variants[1] });
      for (const { impl, variant } of jobs) {
        let m;
        try {
          const args = [workload, impl, variant ? otherBudget : budget, variant ?? null];
          const call = page.evaluate(([w, i, b, v]) => window.shaderpropBench.measure(w, i, b, v ?? undefined), args);
          m = await withTimeout(call, hardMs, `${workload} on ${impl}`);
        } catch (e) {
          m = { median_ms: null, first_step_ms: NaN, samples: [], chunk: 0, chunks_per_rep: 0, extras: {}, skipped: `failed: ${e.message.split('\n')[0]}` };
          await page.close().catch(() => {});
          page = await openPage(browser, url);
        }
        measurements.push({ workload, impl, variant, ...m });
        console.log(progressLine(workload, variant ? `${impl} (${variant})` : impl, m));
      }
    }
    return { adapter: adapter.name, matmulTrial: trial ?? null, measurements };
  } finally {
    await browser.close();
  }
}

/** Builds the minified playground (scripts/build.mjs --minify) and gzips every file of dist/. */
function measureDist() {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--minify'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return distSizes(join(ROOT, 'dist'));
}

/** Builds the benchmark page, serves it, and measures `opts.workloads` on it. */
async function measureOnBenchPage(opts) {
  await buildPage();
  const server = await startServer({ root: OUT, port: 0 });
  try {
    return await measureAll(opts, server.url);
  } finally {
    await server.close();
  }
}

async function main() {
  const argv = parseArgs(process.argv.slice(2));
  // `ready` is measured on the playground's own pages, the rest on the benchmark page.
  const wantReady = argv.workloads.includes('ready');
  const opts = { ...argv, workloads: argv.workloads.filter((w) => w !== 'ready') };
  if (opts.node) {
    // Dawn can keep the event loop alive after its last device is gone: exit explicitly.
    const { runNode } = await import('./node.mjs');
    process.exit(await runNode(opts));
  }
  const started = Date.now();
  // Other work on the machine skews every number; the report shows how busy it was.
  const load = { cores: availableParallelism(), start: loadavg()[0] };
  const onPage = opts.workloads.length > 0;
  let run = { adapter: null, matmulTrial: null, measurements: [] };
  if (onPage) {
    console.log(`building the benchmark page... (load average ${load.start.toFixed(1)} on ${load.cores} cores)`);
    run = await measureOnBenchPage(opts);
  }
  // Before measureDist: it rebuilds dist/ minified, and `ready` measures dist/ as npm run build makes it.
  const ready = wantReady ? await measureReady({ root: ROOT, loads: opts.readyLoads }) : null;
  const dist = opts.dist ? measureDist() : null;
  const results = resultRows(run.measurements);
  load.end = loadavg()[0];
  const seconds = (Date.now() - started) / 1000;
  if (onPage) printReport({ ...run, results, dist, opts, load, seconds });
  else {
    // Without benchmark-page workloads the medians, ratios and goals would be empty tables.
    const loadText = `load average ${load.start.toFixed(1)} at start, ${load.end.toFixed(1)} at end, ${load.cores} cores`;
    console.log(`\n=== shaderprop benchmark · ${seconds.toFixed(0)} s · ${loadText} ===`);
    if (dist) printDist(dist);
  }
  const cells = ready ? readyCells(ready.samples) : [];
  if (ready) printReadyReport(ready, cells);
  const file = join(ROOT, 'bench', 'results.json');
  const extras = { budget_ms: opts.budget, load_average: load, matmul_trial: run.matmulTrial, measurements: run.measurements, dist };
  if (ready) extras.ready = ready;
  const adapter = run.adapter ?? ready?.adapter ?? null;
  writeFileSync(file, `${JSON.stringify({ adapter, results: [...results, ...readyRows(cells)], extras }, null, 2)}\n`);
  console.log(`\nwrote bench/results.json`);
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
