// The exported boosting and stacking scripts run for real against PyTorch: each reproduces a run
// of the engine's drivers (boost, stack on the CPU backend, as the page's worker runs them) and
// its --check passes against the result file the page would download, and fails, naming the
// worst mismatch, against a tampered one. Iris, few rounds, folds and epochs, to stay short.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { base, REMEDIES_OFF } from './python-cases.mjs';
import { expectStatus, runPython, setup, SKIP } from './python-env.mjs';

let env;
before(async () => {
  env = await setup([
    "export { boostingScript, stackingScript } from './src/io/export-ensembles.ts';",
    "export { boostingResultJson, stackingResultJson } from './src/io/ensemble-result.ts';",
    "export { boostingRun, stackingRun } from './src/config/ensembles.ts';",
    "export { boost } from './src/train/boosting.ts';",
    "export { stack } from './src/train/stacking.ts';",
    "export { loadExperimentData } from './src/data/load.ts';",
  ]);
});
after(() => env?.cleanup());

const noGpu = () => Promise.reject(new Error('these tests train on the CPU backend'));
/** Iris with a batch of 16 on the CPU backend: the experiment the ensembles start from. */
const IRIS = { ...base, batchSize: 16, epochs: 6, backend: 'cpu', remedies: REMEDIES_OFF };

/** The number a --check printed after `label`. */
const printed = (stdout, label) => Number(new RegExp(`${label} ([-+.\\de]+)`).exec(stdout)?.[1] ?? NaN);

test('the boosting script reproduces 3 rounds of the engine and its --check fails on a tampered vote', { skip: SKIP }, async () => {
  const settings = { rounds: 3, layers: [4], activation: 'tanh', epochs: 6, shrinkage: 0.5 };
  const { config, options } = env.lib.boostingRun({ ...IRIS, optimizer: { ...IRIS.optimizer, learningRate: 0.02 } }, settings);
  const data = await env.lib.loadExperimentData(config);
  const result = await env.lib.boost(config, noGpu, data, options);
  assert.equal(result.rounds.length, 3, `the engine stopped early: ${result.message}`);
  const script = env.write('boosting.py', env.lib.boostingScript(config, options, result));
  const json = env.lib.boostingResultJson(config, options, result);
  const good = runPython([script, '--check', env.write('boosting.json', json)]);
  expectStatus(good, 0, 'boosting --check');
  assert.match(good.stdout, /round {2}3: kept/);
  const error = printed(good.stdout, 'largest difference of a weighted error');
  const alpha = printed(good.stdout, 'of a vote');
  assert.ok(error <= 1e-6 && alpha <= 1e-6, good.stdout);
  console.log(`boosting: largest weighted-error difference ${error}, vote difference ${alpha}`);
  const tampered = JSON.parse(json);
  tampered.rounds[1].alpha += 0.01;
  // A member's class changed on a row the script decides clearly: a mismatch, not a tie to follow.
  const row = result.predictions[0].length - 1;
  tampered.members[0][row] = (tampered.members[0][row] + 1) % 3;
  const bad = runPython([script, '--check', env.write('boosting-bad.json', JSON.stringify(tampered))]);
  expectStatus(bad, 1, 'boosting --check on a tampered file');
  assert.match(bad.stdout, new RegExp(`check FAILED: worst mismatch: round 1: row ${row} is class \\d here, \\d on the page, and no near tie`));
  assert.match(bad.stdout, /also: round 2 alpha/);
});

test('the stacking script reproduces 2 learners × 3 folds of the engine and its --check fails on a tampered score', { skip: SKIP }, async () => {
  const settings = {
    k: 3,
    learners: [
      { layers: [8], activation: 'tanh', optimizer: 'adam', lr: 0.03 },
      { layers: [6], activation: 'relu', optimizer: 'sgd', lr: 0.1 },
    ],
    meta: 0,
    pass: true,
  };
  const { config, options } = env.lib.stackingRun(IRIS, settings);
  const data = await env.lib.loadExperimentData(config);
  const result = await env.lib.stack(config, noGpu, data, options);
  const script = env.write('stacking.py', env.lib.stackingScript(config, options, result));
  const json = env.lib.stackingResultJson(config, options, result);
  const good = runPython([script, '--check', env.write('stacking.json', json)]);
  expectStatus(good, 0, 'stacking --check');
  const oof = printed(good.stdout, 'largest out-of-fold difference');
  assert.ok(oof <= 1e-4, good.stdout);
  console.log(`stacking: largest out-of-fold difference ${oof}`);
  const tampered = JSON.parse(json);
  tampered.stack.accuracy -= 1 / 30;
  const bad = runPython([script, '--check', env.write('stacking-bad.json', JSON.stringify(tampered))]);
  expectStatus(bad, 1, 'stacking --check on a tampered file');
  assert.match(bad.stdout, /check FAILED: worst mismatch: stack test accuracy/);
});
