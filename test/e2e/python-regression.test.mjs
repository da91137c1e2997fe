// The exported scripts on regression, run for real against PyTorch: the plane and gaussmix sets
// (regenerated in Python draw for draw) and a CSV file's numeric target reproduce the engine's
// training curve with --check, in the PyTorch script and in the Keras script's training loop on
// the PyTorch stand-in for TensorFlow; the scripts' test MSE, MAE and R² are the engine's; and
// the metrics (ours and the scripts') are scikit-learn's. The curves come from the engine's CPU
// reference, trained here. CI never skips these.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gaussmixFeatures, REMEDIES_OFF, regressionBase } from './python-cases.mjs';
import { checkDifference, engineRun, expectStatus, runPython, setup, SKIP, TF_STANDIN, twinDifference } from './python-env.mjs';

let env;
before(async () => {
  env = await setup([
    "export { pytorchScript } from './src/io/export-pytorch.ts';",
    "export { kerasScript } from './src/io/export-keras.ts';",
    "export { Session } from './src/train/session.ts';",
    "export { regressionScores, unscale } from './src/metrics/regression.ts';",
    "export { parseCsv } from './src/data/csv.ts';",
    "export { tableFromCsv } from './src/data/csv-table.ts';",
  ]);
});
after(() => env?.cleanup());

const NOTE = { curveNote: "the engine's CPU reference, in the test" };

/** The engine's test MSE, MAE and R² after its run, in the target's units, as the metrics panel scores them. */
async function engineTestScores(session) {
  const { scale, targets } = session.info.regression;
  const test = await session.evaluate('test');
  return env.lib.regressionScores(targets.test, env.lib.unscale(test.outputs, scale));
}

/** The test scores a script printed. */
function printedScores(stdout) {
  const m = /test MSE: (\S+) {2}MAE: (\S+) {2}R\^2: (\S+)/.exec(stdout);
  assert.ok(m, `no test scores in:\n${stdout}`);
  return { mse: Number(m[1]), mae: Number(m[2]), r2: Number(m[3]) };
}

/** Asserts the printed scores are the engine's to the digits printed (6 significant, R² to 4 places). */
function expectScores(got, want) {
  for (const k of ['mse', 'mae']) assert.ok(Math.abs(got[k] - want[k]) <= 1e-5 * Math.abs(want[k]), `${k}: script ${got[k]}, engine ${want[k]}`);
  assert.ok(Math.abs(got.r2 - want.r2) <= 6e-5, `R²: script ${got.r2}, engine ${want.r2}`);
}

/** Asserts a --check run passed on the playground's exact rows. */
function expectPassed(run, what) {
  expectStatus(run, 0, what);
  assert.match(run.stdout, /20 of 20 epochs compared/);
  assert.doesNotMatch(run.stdout, /NOT EXACT/);
  assert.ok(twinDifference(run.stdout) < 1e-12, 'the float64 twin repeats the float64 reference to rounding');
}

test('plane: the PyTorch script passes --check, and its test MSE, MAE and R² are the engine’s', { skip: SKIP }, async (t) => {
  const run = await engineRun(env.lib, regressionBase, 20);
  assert.equal(run.records[0].trainAccuracy, null, 'a regression run has no accuracy');
  const script = env.write('plane.py', env.lib.pytorchScript(regressionBase, run.session.info.spec, { curve: run.curve, ...NOTE }));
  const ok = runPython([script, '--check']);
  expectPassed(ok, 'plane --check');
  assert.doesNotMatch(ok.stdout, /accuracy/);
  expectScores(printedScores(ok.stdout), await engineTestScores(run.session));
  t.diagnostic(`plane: max |curve difference| ${checkDifference(ok.stdout)} (float64 twin ${twinDifference(ok.stdout)})`);
});

test('gaussmix with two hidden layers and input features: the PyTorch script passes --check', { skip: SKIP }, async (t) => {
  const run = await engineRun(env.lib, gaussmixFeatures, 20);
  assert.equal(run.session.info.spec.inputSize, gaussmixFeatures.features.length);
  const script = env.write('gaussmix.py', env.lib.pytorchScript(gaussmixFeatures, run.session.info.spec, { curve: run.curve, ...NOTE }));
  const ok = runPython([script, '--check']);
  expectPassed(ok, 'gaussmix --check');
  expectScores(printedScores(ok.stdout), await engineTestScores(run.session));
  t.diagnostic(`gaussmix, features: max |curve difference| ${checkDifference(ok.stdout)} (float64 twin ${twinDifference(ok.stdout)})`);
});

test('a drawing of values: the PyTorch script embeds the points and passes --check on the exact rows', { skip: SKIP }, async (t) => {
  // 60 points on the drawing grid whose values rise to the upper right, two of them equal.
  const drawn = Array.from({ length: 60 }, (_, i) => {
    const x1 = (((i * 37) % 201) - 100) / 100;
    const x2 = (((i * 53) % 181) - 90) / 100;
    return { x1, x2, y: Math.round(50 * (x1 + x2)) / 100 };
  });
  const config = { ...regressionBase, dataset: { ...regressionBase.dataset, name: 'drawn', drawn } };
  const run = await engineRun(env.lib, config, 20);
  const script = env.write('drawn-values.py', env.lib.pytorchScript(config, run.session.info.spec, { curve: run.curve, ...NOTE }));
  const ok = runPython([script, '--check']);
  expectPassed(ok, 'drawn values --check');
  expectScores(printedScores(ok.stdout), await engineTestScores(run.session));
  t.diagnostic(`drawn values: max |curve difference| ${checkDifference(ok.stdout)}`);
});

test("the Keras script's training loop on regression, on the PyTorch stand-in, passes --check with the remedies regression has", { skip: SKIP }, async (t) => {
  const config = {
    ...gaussmixFeatures,
    optimizer: { ...gaussmixFeatures.optimizer, kind: 'momentum', learningRate: 0.05, nesterov: true, l1: 1e-4, l2: 1e-3 },
    remedies: {
      ...REMEDIES_OFF,
      jitter: 0.1,
      dropout: [0.2, 0.1],
      earlyStopping: { monitor: 'validation_loss', patience: 4, minDelta: 0, restoreBest: true },
      lrSchedule: { kind: 'step', every: 5, factor: 0.7 },
    },
  };
  const run = await engineRun(env.lib, config, 20);
  const script = env.write('keras_regression.py', env.lib.kerasScript(config, run.session.info.spec, { curve: run.curve, ...NOTE }));
  const ok = runPython([script, '--check'], { env: TF_STANDIN });
  expectStatus(ok, 0, 'Keras regression --check on the stand-in');
  assert.doesNotMatch(ok.stdout, /NOT EXACT/);
  assert.match(ok.stdout, /test MSE: /);
  t.diagnostic(`Keras script on the stand-in, gaussmix: max |curve difference| ${checkDifference(ok.stdout)}`);
});

/** A seeded CSV of flats: area, rooms, a text floor column (one-hot) and a price with cents. */
function flatsCsv(rows) {
  let seed = 11;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const lines = ['area,rooms,floor,price'];
  for (let r = 0; r < rows; r++) {
    const area = Math.round((30 + next() * 120) * 10) / 10;
    const rooms = 1 + Math.floor(next() * 5);
    const floor = ['low', 'mid', 'high'][Math.floor(next() * 3)];
    const price = 2500 * area + 8000 * rooms + (floor === 'high' ? 20000 : 0) + 15000 * (next() - 0.5);
    lines.push(`${area},${rooms},${floor},${price.toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

test('a CSV file with a numeric target: --check passes; a text or constant target exits with a message', { skip: SKIP }, async (t) => {
  const config = { ...regressionBase, dataset: { ...regressionBase.dataset, name: 'csv' } };
  const text = flatsCsv(150);
  const table = env.lib.tableFromCsv(env.lib.parseCsv(text), { label: 3, features: [0, 1, 2] }, 'regression');
  const run = await engineRun(env.lib, config, 20, null, table);
  const csvColumns = { label: 'price', features: ['area', 'rooms', 'floor'] };
  const script = env.write('flats.py', env.lib.pytorchScript(config, run.session.info.spec, { csvColumns, table, curve: run.curve, ...NOTE }));
  const ok = runPython([script, '--csv', env.write('flats.csv', text), '--check']);
  expectPassed(ok, 'CSV regression --check');
  expectScores(printedScores(ok.stdout), await engineTestScores(run.session));
  t.diagnostic(`CSV regression: max |curve difference| ${checkDifference(ok.stdout)}`);

  const lines = text.trim().split('\n');
  const textTarget = env.write('text.csv', [lines[0], ...lines.slice(1).map((l, i) => (i === 7 ? l.replace(/[^,]*$/, 'cheap') : l))].join('\n'));
  const refused = runPython([script, '--csv', textTarget, '--epochs', '1']);
  expectStatus(refused, 1, 'a text target');
  assert.match(refused.stderr, /the target column 'price' has text \('cheap'\)/);
  const constant = env.write('constant.csv', [lines[0], ...lines.slice(1).map((l) => l.replace(/[^,]*$/, '5.0'))].join('\n'));
  const single = runPython([script, '--csv', constant, '--epochs', '1']);
  expectStatus(single, 1, 'a constant target');
  assert.match(single.stderr, /has a single value \(5\) in every row/);
});

test("regression metrics are scikit-learn's: mean_squared_error, mean_absolute_error, r2_score", { skip: SKIP }, () => {
  let seed = 3;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const noisy = (ys, sd) => Float32Array.from(ys, (y) => y + sd * (next() - 0.5));
  const ys = Float32Array.from({ length: 500 }, () => 1e3 * (next() - 0.3));
  const cases = [
    { actual: ys, predicted: noisy(ys, 200) },
    { actual: ys, predicted: Float32Array.from(ys) }, // exact: MSE 0, R² 1
    { actual: new Float32Array(40).fill(2.5), predicted: new Float32Array(40).fill(2.5) }, // constant and exact: R² 1
    { actual: new Float32Array(40).fill(2.5), predicted: noisy(new Float32Array(40).fill(2.5), 1) }, // constant: R² 0
    { actual: Float32Array.of(0.1, -3.7, 1e-7), predicted: Float32Array.of(2e6, 0, -1) }, // far worse than the mean: R² < 0
  ].map((c) => ({ actual: Array.from(c.actual), predicted: Array.from(c.predicted) }));
  // The exported script's own twin of regressionScores is scored beside scikit-learn.
  const script = env.write('scores.py', env.lib.kerasScript(regressionBase, { inputSize: 2, hidden: regressionBase.hidden, outputSize: 1, loss: 'mse' }));
  const py = [
    'import importlib.util, json, sys',
    'import numpy as np',
    'from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score',
    'spec = importlib.util.spec_from_file_location("exported", sys.argv[1])',
    'm = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(m)',
    'out = []',
    'for c in json.load(sys.stdin):',
    '    a, p = np.array(c["actual"], dtype=np.float32), np.array(c["predicted"], dtype=np.float32)',
    '    a64, p64 = a.astype(np.float64), p.astype(np.float64)',
    '    out.append({"sklearn": [mean_squared_error(a64, p64), mean_absolute_error(a64, p64), r2_score(a64, p64)],',
    '                "script": list(m.regression_scores(a, p))})',
    'print(json.dumps(out))',
  ].join('\n');
  const run = runPython(['-c', py, script], { input: JSON.stringify(cases) });
  expectStatus(run, 0, 'scikit-learn');
  const results = JSON.parse(run.stdout);
  const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.abs(b); // relative; exact where scikit-learn gives 0
  cases.forEach((c, i) => {
    const ours = env.lib.regressionScores(c.actual, c.predicted);
    const { sklearn, script: twin } = results[i];
    ['mse', 'mae', 'r2'].forEach((k, j) => {
      assert.ok(close(ours[k], sklearn[j]), `case ${i} ${k}: ours ${ours[k]}, scikit-learn ${sklearn[j]}`);
      assert.equal(twin[j], ours[k], `case ${i} ${k}: the script's ${twin[j]}, ours ${ours[k]}`);
    });
  });
  assert.deepEqual(results[1].sklearn.slice(0, 2), [0, 0]);
  assert.equal(results[2].sklearn[2], 1, 'a constant target predicted exactly scores R² 1');
  assert.equal(results[3].sklearn[2], 0, 'a constant target predicted otherwise scores R² 0');
  assert.ok(results[4].sklearn[2] < 0);
});
