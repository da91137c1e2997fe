// The 2-D GAN lab's PyTorch script runs for real (issue 30, "Export"): its real pool equals the
// lab's for every data set (drawn points included), and from the lab's initial weights its
// iterations repeat the lab's float64 reference for every loss, SGD and Adam, z of 1 and 2
// (uniform and Gaussian), 1 to 3 D steps, short and epoch-crossing batches and D-only / G-only
// steps; --check passes on the lab's curve files (float64 and float32) and fails on a tampered
// one. All scripts run in one Python process (torch's start-up costs seconds). CI never skips.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expectStatus, runPython, setup, SKIP } from './python-env.mjs';

/** float32 torch against the float64 reference, per iteration, over 40 iterations (measured: below 1e-6). */
const TOLERANCE = 1e-5;
const CHECKED = ['dLoss', 'gLoss', 'dReal', 'dFake'];
const DRAWN = [
  [-0.6, 0.5],
  [-0.3, 0.55],
  [0, 0.6],
  [0.3, 0.55],
  [0.6, 0.5],
  [-0.5, -0.4],
  [0, -0.5],
  [0.5, -0.4],
  [0.2, 0.1],
  [-0.2, 0.1],
];

/** Runs every script of `jobs` in one Python: each one's exit status and output, and the pools asked for (into a file: they are large). */
const PROBE = String.raw`
import contextlib, importlib.util, io, json, sys
results = []
for k, job in enumerate(json.load(open(sys.argv[1]))):
    spec = importlib.util.spec_from_file_location(f"gan2d_{k}", job["script"])
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            status = m.main(job["argv"])
        except SystemExit as e:
            status = e.code
    pools = {name: m.sample2d(name, m.REAL_POOL, m.Rng(m.SEED ^ 0x5CA1AB1E), job.get("drawn")).astype("float32").ravel().tolist() for name in job.get("pools", [])}
    results.append({"status": status, "stdout": out.getvalue(), "pools": pools})
json.dump(results, open(sys.argv[2], "w"))
`;

let env;
let lib;
const runs = {};
let results;

const file = (name) => join(env.dir, name);
const write = (name, text) => (writeFileSync(file(name), text), file(name));

/** Configs that reach every branch between them (see the file's header). */
function configs() {
  const base = lib.DEFAULT_GAN2D;
  return {
    // 500 rows: 9 batches an epoch, the last one filled from its own start; 80 D steps cross epochs.
    line: {
      ...base,
      dataset: 'line',
      latent: 1,
      latentDistribution: 'uniform',
      generator: [8],
      discriminator: [8, 8],
      g: { kind: 'sgd', learningRate: 0.05 },
      d: { kind: 'sgd', learningRate: 0.05 },
      batch: 500,
      dSteps: 2,
      loss: 'minimax',
      seed: 3,
    },
    gaussians: {
      ...base,
      dataset: 'gaussians',
      generator: [16, 16],
      discriminator: [16],
      activation: 'leaky_relu',
      g: { kind: 'adam', learningRate: 3e-3 },
      d: { kind: 'adam', learningRate: 3e-3 },
      batch: 64,
      seed: 7,
    },
    ring: {
      ...base,
      latentDistribution: 'uniform',
      generator: [12],
      discriminator: [],
      activation: 'tanh',
      g: { kind: 'adam', learningRate: 1e-3 },
      d: { kind: 'sgd', learningRate: 0.1 },
      batch: 32,
      dSteps: 3,
      loss: 'least_squares',
      seed: 11,
    },
    drawn: {
      ...base,
      dataset: 'drawn',
      drawn: DRAWN,
      latent: 1,
      generator: [16],
      discriminator: [16, 8],
      d: { kind: 'sgd', learningRate: 0.05 },
      batch: 128,
      seed: 0,
    },
  };
}

/** The lab's run of `c` on `backend`: `plan` lists train(n) calls and D-only / G-only parts. */
async function labRun(c, plan, backend = (s) => new lib.CpuGanBackend(s)) {
  const t = await lib.Gan2dTrainer.create(c, backend);
  for (const step of plan) await (typeof step === 'number' ? t.train(step) : t.trainPart(step));
  return { trainer: t, curve: lib.gan2dCurveJson(c, t.history, { draws: t.draws, backend: t.backend.label }) };
}

before(async () => {
  if (SKIP) return;
  env = await setup([
    "export { gan2dPytorchScript } from './src/io/export-gan2d-pytorch.ts';",
    "export { gan2dCurveJson } from './src/io/gan2d-curve.ts';",
    "export { Gan2dTrainer } from './src/gan2d/trainer.ts';",
    "export { DEFAULT_GAN2D } from './src/gan2d/config.ts';",
    "export { GAN2D_DATASETS, sample2d } from './src/gan2d/datasets.ts';",
    "export { samplesCsv } from './src/gan2d/samples-csv.ts';",
    "export { realPool } from './src/gan2d/setup.ts';",
    "export { Rng } from './src/nn/rng.ts';",
    "export { CpuGanBackend } from './src/reference/reference-gan-backend.ts';",
    "export { createFastCpuGanBackend } from './src/cpu/fast-cpu-gan-backend.ts';",
  ]);
  lib = env.lib;
  const c = configs();
  runs.line = await labRun(c.line, [40]);
  runs.gaussians = await labRun(c.gaussians, [10, 'discriminator', 20, 'generator', 10]);
  runs.ring = await labRun(c.ring, [40]);
  runs.drawn = await labRun(c.drawn, [40]);
  // The fast CPU backend computes in float32, as the lab's GPU does: a longer run drifts from float64.
  runs.float32 = await labRun(lib.DEFAULT_GAN2D, [150], (s) => lib.createFastCpuGanBackend(s));
  const script = (name, conf) => write(`${name}.py`, lib.gan2dPytorchScript(conf));
  const curve = (name) => write(`${name}.json`, runs[name].curve);
  const tampered = JSON.parse(runs.drawn.curve);
  tampered.metrics.gLoss[17] += 1e-3;
  const jobs = [
    {
      script: script('line', c.line),
      argv: ['--iterations', '40', '--save-curve', file('line-out.json'), '--save-samples', file('line.csv')],
      pools: lib.GAN2D_DATASETS,
      drawn: DRAWN,
    },
    {
      script: script('gaussians', c.gaussians),
      argv: ['--check', curve('gaussians'), '--save-curve', file('gaussians-out.json')],
    },
    { script: script('ring', c.ring), argv: ['--iterations', '40', '--log-every', '10', '--save-curve', file('ring-out.json')] },
    { script: script('drawn', c.drawn), argv: ['--check', curve('drawn'), '--save-curve', file('drawn-out.json')] },
    { script: file('drawn.py'), argv: ['--check', write('tampered.json', JSON.stringify(tampered))] },
    { script: file('drawn.py'), argv: ['--check', file('gaussians.json')] },
    { script: file('drawn.py'), argv: ['--check', file('jobs.json')] },
    { script: script('float32', lib.DEFAULT_GAN2D), argv: ['--check', curve('float32')] },
  ];
  const run = runPython(['-c', PROBE, write('jobs.json', JSON.stringify(jobs)), file('results.json')], { timeout: 120_000 });
  expectStatus(run, 0, 'the 2-D GAN scripts');
  const out = JSON.parse(readFileSync(file('results.json'), 'utf8'));
  results = Object.fromEntries(['line', 'gaussians', 'ring', 'drawn', 'tampered', 'other', 'notCurve', 'float32'].map((k, i) => [k, out[i]]));
});
after(() => env?.cleanup());

/** The largest difference of a script's saved curve from the lab's history, asserting each one is within TOLERANCE. */
function compareCurve(name) {
  const got = JSON.parse(readFileSync(file(`${name}-out.json`), 'utf8'));
  const history = runs[name].trainer.history.toArray();
  assert.equal(got.iterations, history.length);
  let worst = 0;
  history.forEach((m, i) => {
    for (const k of CHECKED) {
      const diff = Math.abs(got.metrics[k][i] - m[k]);
      assert.ok(diff <= TOLERANCE, `${name}, iteration ${i + 1}, ${k}: script ${got.metrics[k][i]}, lab ${m[k]}`);
      worst = Math.max(worst, diff);
    }
  });
  return worst;
}

test("the script's real pool is the lab's, for every data set (drawn points included)", { skip: SKIP }, () => {
  const { pools } = results.line;
  for (const dataset of lib.GAN2D_DATASETS) {
    const want = lib.realPool({ ...configs().line, dataset, drawn: DRAWN });
    assert.equal(pools[dataset].length, want.length);
    const differ = pools[dataset].findIndex((v, i) => v !== want[i]);
    assert.equal(differ, -1, `${dataset}: value ${differ} is ${pools[dataset][differ]}, the lab's ${want[differ]}`);
  }
});

test("from the lab's initial weights the script repeats the lab's float64 iterations (every loss, SGD and Adam, D-only/G-only steps)", { skip: SKIP }, (t) => {
  for (const name of ['line', 'gaussians', 'ring', 'drawn']) expectStatus(results[name], 0, name);
  const worst = Object.fromEntries(['line', 'gaussians', 'ring', 'drawn'].map((name) => [name, compareCurve(name)]));
  t.diagnostic(`largest |script float32 - lab float64| over 40 iterations: ${JSON.stringify(worst)}`);
  assert.match(results.ring.stdout, /iteration +10 +D loss/);
  assert.match(results.gaussians.stdout, /check PASSED/);
});

test('--check passes on the lab curves, fails on a tampered one and refuses another config or a file that is no curve', { skip: SKIP }, (t) => {
  expectStatus(results.drawn, 0, '--check on the float64 curve');
  assert.match(results.drawn.stdout, /check: 40 of 40 iterations compared/);
  assert.match(results.gaussians.stdout, /check: 40 of 40 iterations compared/);
  expectStatus(results.float32, 0, '--check on a float32 curve of 150 iterations');
  assert.match(results.float32.stdout, /iterations 17 to 150 not judged/);
  t.diagnostic(`float32 (fast CPU) curve of 150 iterations: ${/largest difference .*/.exec(results.float32.stdout)?.[0]}`);
  t.diagnostic(/iterations 17 to 150 .*/.exec(results.float32.stdout)?.[0]);
  expectStatus(results.tampered, 1, '--check on a tampered curve');
  assert.match(results.tampered.stdout, /largest difference 0\.001\S* \(gLoss at iteration 18\)/);
  assert.match(results.tampered.stdout, /check FAILED/);
  expectStatus(results.other, 2, '--check on the curve of another config');
  assert.match(results.other.stdout, /check refused: the curve was trained with other settings \(.*dataset/);
  expectStatus(results.notCurve, 2, '--check on a file that is no curve');
  assert.match(results.notCurve.stdout, /check refused: .*jobs\.json is not a 2-D GAN curve file/);
});

test("--save-samples writes the lab's CSV: its measuring real sample, then the fakes of its first measure", { skip: SKIP }, async () => {
  const csv = readFileSync(file('line.csv'), 'utf8');
  const c = configs().line;
  const real = lib.sample2d(c.dataset, 1024, new lib.Rng(c.seed ^ 0x3c6ef372), c.drawn);
  const lines = csv.split('\n');
  assert.equal(lines.length, 1 + 2048 + 1);
  assert.equal(lines.slice(0, 1025).join('\n') + '\n', lib.samplesCsv(real, []));
  // The lab's trainer has not measured yet: its first fakes come from the same latents, through G after 40 iterations.
  const fakes = await runs.line.trainer.fakes(1024);
  lines.slice(1025, -1).forEach((l, i) => {
    const [x, y, kind] = l.split(',');
    assert.equal(kind, 'fake');
    assert.ok(
      Math.abs(Number(x) - fakes[2 * i]) < 1e-5 && Math.abs(Number(y) - fakes[2 * i + 1]) < 1e-5,
      `fake ${i}: ${l}; lab ${fakes[2 * i]}, ${fakes[2 * i + 1]}`,
    );
  });
});
