// The exported classifier scripts run for real against PyTorch (Debian's python3-torch): they
// compile, keep hostile CSV names inert, reproduce the engine's training curve with --check
// (Iris; a 2-D set with class weights and a schedule; every remedy at once), run unchanged
// under torchrun with 2 processes, and round-trip weights bit for bit. The Keras script's
// NumPy sections (data, batch order, init, masks, draws) are checked without TensorFlow, and
// its training loop passes --check on a PyTorch stand-in for TensorFlow's calls. The
// curves come from the engine's CPU reference, trained here. The metrics panel's AUC is checked
// against real scikit-learn. CI never skips these.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CIRCLES_FEATURES, EVERY_REMEDY, KERAS_EVERY_REMEDY, KERAS_MODULE, MNIST_AUGMENT, MOONS_WEIGHTS_SCHEDULE } from './python-check-configs.mjs';
import { CASES, DRAWN_POINTS, REMEDIES_OFF, base } from './python-cases.mjs';
import {
  checkDifference,
  engineRun,
  expectStatus,
  MNIST_DIR,
  mnistSource,
  requirePython,
  runPython,
  setup,
  SKIP,
  TF_STANDIN,
  torchrun,
  twinDifference,
} from './python-env.mjs';

let env;
before(async () => {
  env = await setup([
    "export { pytorchScript } from './src/io/export-pytorch.ts';",
    "export { kerasScript } from './src/io/export-keras.ts';",
    "export { modelToSafetensors, modelFromSafetensors } from './src/io/model-file.ts';",
    "export { decodeSafetensors } from './src/io/safetensors.ts';",
    "export { initParams } from './src/nn/init.ts';",
    "export { Session } from './src/train/session.ts';",
    "export { BatchSchedule } from './src/train/schedule.ts';",
    "export { dropoutScale } from './src/nn/dropout.ts';",
    "export { augmentImage, augmentParamsAt, jitterNoiseAt } from './src/data/augment.ts';",
    "export { classWeights, labelsAt } from './src/train/sampling.ts';",
    "export { learningRateAt } from './src/train/lr-schedule.ts';",
    "export { loadExperimentData } from './src/data/load.ts';",
    "export { oneVsRest } from './src/metrics/curves.ts';",
    "export { parseIdx } from './src/data/idx.ts';",
  ]);
});
after(() => env?.cleanup());

/** Trains `config` in the engine, exports the PyTorch script with the curve and init.safetensors. */
async function exportRun(name, config, epochs = 20) {
  const run = await engineRun(env.lib, config, epochs);
  const spec = run.session.info.spec;
  const script = env.write(`${name}.py`, env.lib.pytorchScript(config, spec, { curve: run.curve, curveNote: "the engine's CPU reference, in the test" }));
  const init = env.write(`${name}-init.safetensors`, env.lib.modelToSafetensors(spec, env.lib.initParams(spec, config.seed), config, null));
  return { ...run, spec, script, init };
}

test('every exported script byte-compiles', { skip: SKIP }, () => {
  const files = [];
  for (const c of CASES) {
    for (const [framework, make] of [
      ['pytorch', env.lib.pytorchScript],
      ['keras', env.lib.kerasScript],
    ]) {
      files.push(env.write(`${c.name.replace(/-/g, '_')}_${framework}.py`, make(c.config, c.spec, c.options ?? {})));
    }
  }
  expectStatus(runPython(['-m', 'py_compile', ...files]), 0, 'py_compile');
});

test('a hostile CSV column name stays one Python string', { skip: SKIP }, () => {
  const c = CASES.find((x) => x.name === 'csv-hostile-columns');
  const hostile = [c.options.csvColumns.label, ...c.options.csvColumns.features];
  // Python's own parser lists every string literal and every called function of the script.
  const lister =
    'import ast, json, sys\ntree = ast.parse(sys.stdin.read())\nprint(json.dumps({' +
    '"strings": [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)], ' +
    '"calls": [ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)]}))';
  for (const make of [env.lib.pytorchScript, env.lib.kerasScript]) {
    const result = runPython(['-c', lister], { input: make(c.config, c.spec, c.options) });
    expectStatus(result, 0, 'ast listing');
    const { strings, calls } = JSON.parse(result.stdout);
    for (const name of hostile) assert.ok(strings.includes(name), `${JSON.stringify(name)} is not one string literal`);
    assert.ok(!calls.some((f) => f.includes('__import__') || f.includes('system')), `injected call in ${calls.join(', ')}`);
  }
});

test('Iris: --check from init.safetensors matches the engine curve, and a changed curve fails it', { skip: SKIP }, async (t) => {
  const run = await exportRun('iris', base);
  const ok = runPython([run.script, '--init', run.init, '--check']);
  expectStatus(ok, 0, 'iris --check');
  assert.match(ok.stdout, /20 of 20 epochs compared/);
  assert.ok(twinDifference(ok.stdout) < 1e-12, 'the float64 twin repeats the float64 reference to rounding');
  t.diagnostic(`iris: max |curve difference| ${checkDifference(ok.stdout)} (float64 twin ${twinDifference(ok.stdout)})`);
  // One epoch off by 0.1 % must fail: the check can fail.
  const curve = run.curve.map((x, e) => (e === 9 ? x * 1.001 : x));
  const bad = env.write('iris-bad.py', env.lib.pytorchScript(base, run.spec, { curve }));
  const failed = runPython([bad, '--init', run.init, '--check']);
  expectStatus(failed, 1, 'iris --check against a changed curve');
  assert.match(failed.stdout, /epoch 10: script/);
});

test('a 2-D set with class weights and a learning-rate schedule: --check passes (init computed from the seed)', { skip: SKIP }, async (t) => {
  const config = MOONS_WEIGHTS_SCHEDULE;
  const run = await exportRun('moons', config);
  const ok = runPython([run.script, '--check']);
  expectStatus(ok, 0, 'moons --check');
  t.diagnostic(`moons, balanced weights, step schedule: max |curve difference| ${checkDifference(ok.stdout)}`);
});

test('input features of a 2-D set (x1², x1·x2, sin x1, …) are computed by the script as by the engine: --check passes', { skip: SKIP }, async (t) => {
  const config = CIRCLES_FEATURES;
  const run = await exportRun('circles-features', config);
  assert.equal(run.spec.inputSize, 7, 'the network takes the seven features');
  const ok = runPython([run.script, '--check']);
  expectStatus(ok, 0, 'circles with input features --check');
  t.diagnostic(`circles, seven input features: max |curve difference| ${checkDifference(ok.stdout)}`);
});

test('a drawing (classes 0, 2 and 5) is embedded in the script, which rebuilds its rows exactly: --check passes', { skip: SKIP }, async (t) => {
  const config = CASES.find((c) => c.name === 'drawn-three-classes').config;
  const run = await exportRun('drawn', config);
  assert.equal(run.spec.outputSize, 3, 'one output per class drawn');
  const ok = runPython([run.script, '--check']);
  expectStatus(ok, 0, 'drawn --check');
  assert.doesNotMatch(ok.stdout, /NOT EXACT/, 'the same table and split as the playground');
  assert.ok(DRAWN_POINTS.every((p) => Math.abs(p.x1) <= 1.5 && Math.abs(p.x2) <= 1.5));
  t.diagnostic(`drawing of ${DRAWN_POINTS.length} points: max |curve difference| ${checkDifference(ok.stdout)}`);
});

test('every remedy at once stays exact, and early stopping restores the same best weights', { skip: SKIP }, async (t) => {
  const config = EVERY_REMEDY;
  const run = await exportRun('remedies', config);
  assert.ok(run.session.trainer.earlyStop, 'the engine run stops early, so restoring is tested');
  const saved = join(env.dir, 'remedies-out.safetensors');
  const ok = runPython([run.script, '--check', '--save', saved]);
  expectStatus(ok, 0, 'remedies --check');
  assert.match(ok.stdout, new RegExp(`restored the weights of epoch ${run.session.trainer.earlyStop.bestEpoch}\\b`));
  const back = env.lib.modelFromSafetensors(new Uint8Array(readFileSync(saved)));
  const worst = back.params.reduce((m, v, i) => Math.max(m, Math.abs(v - run.params[i])), 0);
  assert.ok(worst < 1e-4, `restored weights differ from the engine's by up to ${worst}`);
  assert.ok(twinDifference(ok.stdout) < 1e-12, 'the float64 twin repeats the float64 reference to rounding');
  t.diagnostic(
    `all remedies: max |curve difference| ${checkDifference(ok.stdout)} (float64 twin ${twinDifference(ok.stdout)}), max |weight difference| ${worst}`,
  );
});

test('MNIST (from its IDX files) with shift/rotation/zoom augmentation and dropout: --check passes', { skip: SKIP }, async (t) => {
  const config = MNIST_AUGMENT;
  const run = await engineRun(env.lib, config, 3, mnistSource(env.lib));
  const script = env.write('mnist.py', env.lib.pytorchScript(config, run.session.info.spec, { curve: run.curve }));
  const ok = runPython([script, '--mnist', MNIST_DIR, '--check']);
  expectStatus(ok, 0, 'MNIST --check');
  assert.match(ok.stdout, /mnist: \d+ training, \d+ validation, 10000 test rows/);
  assert.ok(twinDifference(ok.stdout) < 1e-12, 'the float64 twin repeats the float64 reference to rounding');
  t.diagnostic(`MNIST with augmentation: max |curve difference| ${checkDifference(ok.stdout)} (float64 twin ${twinDifference(ok.stdout)})`);
});

test("the Keras script's training loop on a drawing with input features, on the stand-in, passes --check on the exact rows", { skip: SKIP }, async (t) => {
  const drawn = CASES.find((c) => c.name === 'drawn-three-classes').config;
  const config = { ...drawn, features: ['x1', 'x2', 'x1sq', 'x1x2', 'sinx2'], hidden: [{ units: 8, activation: 'tanh' }] };
  const run = await engineRun(env.lib, config, 20);
  assert.equal(run.session.info.spec.inputSize, 5);
  const script = env.write('keras_drawn.py', env.lib.kerasScript(config, run.session.info.spec, { curve: run.curve }));
  const ok = runPython([script, '--check'], { env: TF_STANDIN });
  expectStatus(ok, 0, 'Keras --check on a drawing with features, on the stand-in');
  assert.doesNotMatch(ok.stdout, /NOT EXACT/);
  t.diagnostic(`Keras script on the stand-in, a drawing with features: max |curve difference| ${checkDifference(ok.stdout)}`);
});

test("the Keras script's training loop, on a PyTorch stand-in for TensorFlow, passes --check with every remedy", { skip: SKIP }, async (t) => {
  const config = KERAS_EVERY_REMEDY;
  const run = await engineRun(env.lib, config, 20);
  const script = env.write('keras_check.py', env.lib.kerasScript(config, run.session.info.spec, { curve: run.curve }));
  const ok = runPython([script, '--check'], { env: TF_STANDIN });
  expectStatus(ok, 0, 'Keras --check on the stand-in');
  t.diagnostic(`Keras script on the stand-in: max |curve difference| ${checkDifference(ok.stdout)}`);
});

test('torchrun --nproc_per_node=2 on CPU (gloo, DDP) takes the same steps: --check passes', { skip: SKIP }, async (t) => {
  const run = await exportRun('iris_ddp', { ...base, remedies: { ...REMEDIES_OFF, dropout: [0.2, 0] } });
  const started = Date.now();
  const ok = await torchrun(2, run.script, ['--init', run.init, '--check']);
  expectStatus(ok, 0, 'torchrun --check');
  assert.match(ok.stdout, /2 process\(es\)/);
  assert.match(ok.stdout, /check PASSED/);
  t.diagnostic(`torchrun 2 processes: max |curve difference| ${checkDifference(ok.stdout)}, ${Date.now() - started} ms`);
});

test('the PyTorch script loads playground weights and saves them back bit for bit', { skip: SKIP }, () => {
  const c = CASES[0];
  const params = env.lib.initParams(c.spec, 5);
  const weights = env.write('in.safetensors', env.lib.modelToSafetensors(c.spec, params, c.config, null));
  const saved = join(env.dir, 'out.safetensors');
  const script = env.write('roundtrip.py', env.lib.pytorchScript(c.config, c.spec));
  const run = runPython([script, '--weights', weights, '--epochs', '0', '--save', saved]);
  expectStatus(run, 0, 'round trip');
  assert.match(run.stdout, /test accuracy: \d\.\d{3}/);
  const back = env.lib.modelFromSafetensors(new Uint8Array(readFileSync(saved)));
  assert.deepEqual(back.spec, c.spec);
  assert.deepEqual(new Uint32Array(back.params.buffer), new Uint32Array(params.buffer));
});

test('the Keras script without TensorFlow: same rows, batches, init, masks and draws as the engine', { skip: SKIP }, async () => {
  requirePython();
  const config = KERAS_MODULE;
  const spec = { inputSize: 2, hidden: config.hidden, outputSize: 4, loss: 'softmax_ce' };
  const script = env.write('keras_module.py', env.lib.kerasScript(config, spec));
  const probe = env.write('probe.py', readFileSync(join(process.cwd(), 'test/e2e/python-probe.py'), 'utf8'));
  const result = runPython([probe, script]);
  expectStatus(result, 0, 'probe of the Keras module');
  const got = JSON.parse(result.stdout);
  const data = await env.lib.loadExperimentData(config);
  assert.equal(got.fingerprint_ok, true, "the table and split match the playground's");
  assert.deepEqual(
    got.splits,
    [data.splits.train, data.splits.validation, data.splits.test].map((s) => Array.from(s)),
  );
  const schedule = new env.lib.BatchSchedule(data.splits.train, got.batch, config.seed, {
    resample: { mode: 'undersample', labels: data.table.labels, classes: 4 },
  });
  for (const epoch of got.epochs) {
    for (const batch of epoch) {
      const { chunk } = schedule.next(1);
      assert.deepEqual(batch, Array.from(chunk.batchIndices.subarray(0, chunk.rows[0])));
    }
  }
  const weights = env.lib.classWeights(env.lib.labelsAt(data.splits.train, data.table.labels), 4, 'balanced');
  assert.deepEqual(got.class_weights, Array.from(weights));
  got.rates.forEach((rate, e) => assert.equal(rate, env.lib.learningRateAt(config.remedies.lrSchedule, config.optimizer.learningRate, e)));
  const file = env.lib.decodeSafetensors(env.lib.modelToSafetensors(spec, env.lib.initParams(spec, config.seed), null, null));
  for (const [name, values] of Object.entries(got.init)) {
    assert.deepEqual(new Uint32Array(new Float32Array(values).buffer), new Uint32Array(file.tensors.get(name).data.buffer), `init ${name}`);
  }
  got.mask.forEach((v, k) => assert.equal(v, env.lib.dropoutScale(config.seed, 1, 7, 3 * 8 + k, 0.3), `mask ${k}`));
  got.jitter.forEach((v, k) => assert.ok(Math.abs(v - 0.5 * env.lib.jitterNoiseAt(config.seed, 11, 2 * 2 + k)) < 1e-12, `jitter ${k}`));
  const ranges = { maxShift: 3, maxAngleDeg: 20, maxZoom: 0.2 };
  const image = Float64Array.from({ length: 784 }, (_, p) => Math.fround((p % 29) / 28));
  const want = env.lib.augmentImage(image, env.lib.augmentParamsAt(config.seed, 5, 1, ranges));
  const worst = got.augmented.reduce((m, v, p) => Math.max(m, Math.abs(v - want[p])), 0);
  assert.ok(worst < 1e-12, `augmented pixels differ by up to ${worst}`);
});

test("the metrics' AUC is scikit-learn's: roc_auc_score(y, p1) for two classes, the one-vs-rest macro AUC otherwise", { skip: SKIP }, () => {
  // Seeded float32 head outputs with ties and confident rows whose p1 rounds to exactly 1.
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const softmax = (rows, width, confident) => {
    const out = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      const z = Array.from({ length: width }, () => Math.round(next() * 4) * (r % confident === 0 ? 30 : 1));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      e.forEach((v, c) => (out[r * width + c] = v / e.reduce((a, b) => a + b, 0)));
    }
    return out;
  };
  const labels = (rows, classes) => Array.from({ length: rows }, (_, r) => (r < classes ? r : Math.floor(next() * classes)));
  const cases = [
    { y: [1, 0], out: Array.from(Float32Array.of(6.2e-20, 1.0, 3.8e-9, 1.0)), width: 2, classes: 2 },
    { y: labels(200, 2), out: Array.from(softmax(200, 2, 3)), width: 2, classes: 2 },
    { y: labels(150, 2), out: Array.from(Float32Array.from({ length: 150 }, () => Math.round(next() * 20) / 20)), width: 1, classes: 2 },
    { y: labels(300, 4), out: Array.from(softmax(300, 4, 5)), width: 4, classes: 4 },
  ];
  const script = [
    'import json, sys',
    'import numpy as np',
    'from sklearn.metrics import roc_auc_score',
    'out = []',
    'for c in json.load(sys.stdin):',
    '    p = np.array(c["out"], dtype=np.float32).reshape(len(c["y"]), c["width"])',
    '    if c["classes"] == 2:',
    '        out.append(roc_auc_score(c["y"], p[:, -1]))',
    '    else:',
    '        out.append(roc_auc_score(c["y"], p, multi_class="ovr", average="macro"))',
    'print(json.dumps(out))',
  ].join('\n');
  const run = runPython(['-c', script], { input: JSON.stringify(cases) });
  expectStatus(run, 0, 'scikit-learn');
  const want = JSON.parse(run.stdout);
  assert.equal(want[0], 0.5, "the issue's example");
  cases.forEach((c, i) => {
    const o = env.lib.oneVsRest(Float32Array.from(c.out), c.y.length, c.width, c.y, c.classes);
    assert.ok(Math.abs(o.macroAuc - want[i]) < 1e-12, `case ${i}: ours ${o.macroAuc}, scikit-learn ${want[i]}`);
    assert.equal(o.aucLabel, c.classes === 2 ? 'AUC (class 1 score)' : 'Macro AUC');
  });
});
