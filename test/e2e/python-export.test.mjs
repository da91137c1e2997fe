// The exported PyTorch and Keras scripts are real Python: bundle the TypeScript exporters for
// Node with esbuild, write scripts for several experiments, and byte-compile each one with
// `python3 -m py_compile` (no torch or tensorflow needed). Skips, saying so, without python3.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { buildSync } from 'esbuild';

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skip = python.error || python.status !== 0 ? 'python3 is not installed on this machine' : false;

// A python with torch / tensorflow, scikit-learn and safetensors runs the scripts for real;
// without them those tests skip and say why.
const fullPython = process.env.SHADERPROP_PYTHON || 'python3';
const canImport = (modules) => !skip && spawnSync(fullPython, ['-c', `import ${modules}`]).status === 0;
const needs = (modules) =>
  canImport(modules) ? false : `${fullPython} cannot import ${modules} (set SHADERPROP_PYTHON to a python that can)`;

let dir;
let lib;
let exporters;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shaderprop-export-'));
  // One bundle of what the tests call, from TypeScript sources, for Node.
  buildSync({
    stdin: {
      contents: [
        "export { pytorchScript } from './src/io/export-pytorch.ts';",
        "export { kerasScript } from './src/io/export-keras.ts';",
        "export { modelToSafetensors, modelFromSafetensors } from './src/io/model-file.ts';",
        "export { initParams } from './src/nn/init.ts';",
      ].join('\n'),
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(dir, 'io.mjs'),
    logLevel: 'error',
  });
  lib = await import(pathToFileURL(join(dir, 'io.mjs')).href);
  exporters = { pytorch: lib.pytorchScript, keras: lib.kerasScript };
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const adam = { kind: 'adam', learningRate: 1e-3, momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, l1: 0, l2: 0 };
const base = {
  dataset: { name: 'iris', size: 400, noise: 0.1, imbalance: 1, classes: 2 },
  hidden: [{ units: 64, activation: 'relu' }, { units: 64, activation: 'relu' }],
  optimizer: adam,
  batchSize: 32,
  epochs: 200,
  validationSplit: 0.2,
  testSplit: 0.2,
  seed: 42,
  backend: 'auto',
};

/** Experiments that between them reach every branch of the generators. */
const CASES = [
  { name: 'iris-adam', config: base, spec: { inputSize: 4, hidden: base.hidden, outputSize: 3, loss: 'softmax_ce' } },
  {
    name: 'spiral-momentum-l1-l2',
    config: { ...base, dataset: { ...base.dataset, name: 'spiral', classes: 3, imbalance: 0.5 }, hidden: [{ units: 16, activation: 'tanh' }, { units: 8, activation: 'leaky_relu' }], optimizer: { ...adam, kind: 'momentum', nesterov: true, l1: 1e-4, l2: 1e-3 }, batchSize: 'full' },
    spec: { inputSize: 2, hidden: [{ units: 16, activation: 'tanh' }, { units: 8, activation: 'leaky_relu' }], outputSize: 3, loss: 'softmax_ce' },
  },
  ...['circles', 'xor', 'gaussians', 'moons'].map((name, i) => ({
    name: `${name}-${['sgd', 'adamw', 'adam', 'momentum'][i]}`,
    config: { ...base, dataset: { ...base.dataset, name }, hidden: [{ units: 8, activation: 'sigmoid' }], optimizer: { ...adam, kind: ['sgd', 'adamw', 'adam', 'momentum'][i], weightDecay: 0.01, l2: 0.001 } },
    spec: { inputSize: 2, hidden: [{ units: 8, activation: 'sigmoid' }], outputSize: 2, loss: 'softmax_ce' },
  })),
  { name: 'xor-bce-no-hidden', config: { ...base, dataset: { ...base.dataset, name: 'xor' }, hidden: [], testSplit: 0, validationSplit: 0 }, spec: { inputSize: 2, hidden: [], outputSize: 1, loss: 'sigmoid_bce' } },
  { name: 'moons-mse', config: { ...base, dataset: { ...base.dataset, name: 'moons' }, hidden: [{ units: 4, activation: 'linear' }] }, spec: { inputSize: 2, hidden: [{ units: 4, activation: 'linear' }], outputSize: 2, loss: 'mse' } },
  {
    name: 'csv-hostile-columns',
    config: { ...base, dataset: { ...base.dataset, name: 'csv' } },
    spec: { inputSize: 3, hidden: base.hidden, outputSize: 2, loss: 'softmax_ce' },
    options: { csvColumns: { label: 'y"""\n__import__("os").system("echo pwned")#', features: ["a'b", 'c\\', 'é\u2028😀\u0000'] } },
  },
];

test('every exported script byte-compiles with python3 -m py_compile', { skip }, () => {
  const files = [];
  for (const c of CASES) {
    for (const [framework, make] of Object.entries(exporters)) {
      const file = join(dir, `${c.name.replace(/-/g, '_')}_${framework}.py`);
      writeFileSync(file, make(c.config, c.spec, c.options ?? {}));
      files.push(file);
    }
  }
  const result = spawnSync('python3', ['-m', 'py_compile', ...files], { encoding: 'utf8' });
  assert.equal(result.status, 0, `py_compile failed:\n${result.stderr}`);
});

test('a hostile CSV column name stays one Python string', { skip }, () => {
  const c = CASES.at(-1);
  const hostile = [c.options.csvColumns.label, ...c.options.csvColumns.features];
  // Python's own parser lists every string literal and every called function of the script.
  const lister = 'import ast, json, sys\ntree = ast.parse(sys.stdin.read())\nprint(json.dumps({' +
    '"strings": [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)], ' +
    '"calls": [ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)]}))';
  for (const make of Object.values(exporters)) {
    const result = spawnSync('python3', ['-c', lister], { input: make(c.config, c.spec, c.options), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const { strings, calls } = JSON.parse(result.stdout);
    for (const name of hostile) assert.ok(strings.includes(name), `${JSON.stringify(name)} is not one string literal`);
    assert.ok(!calls.some((f) => f.includes('__import__') || f.includes('system')), `injected call in ${calls.join(', ')}`);
  }
});

/**
 * Playground weights → script (--weights, no training) → --save → playground: every parameter
 * must come back bit for bit, which checks names, orientation and the transposes both ways.
 */
function roundTripThroughScript(framework, make) {
  const c = CASES[0];
  const params = lib.initParams(c.spec, 5);
  const weights = join(dir, `in-${framework}.safetensors`);
  const saved = join(dir, `out-${framework}.safetensors`);
  const script = join(dir, `run_${framework}.py`);
  writeFileSync(weights, lib.modelToSafetensors(c.spec, params, c.config, null));
  writeFileSync(script, make(c.config, c.spec));
  const run = spawnSync(fullPython, [script, '--weights', weights, '--epochs', '0', '--save', saved], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /test accuracy: \d\.\d{3}/);
  const back = lib.modelFromSafetensors(new Uint8Array(readFileSync(saved)));
  assert.deepEqual(back.spec, c.spec);
  assert.deepEqual(new Uint32Array(back.params.buffer), new Uint32Array(params.buffer));
}

test('the PyTorch script loads playground weights and saves them back bit for bit', { skip: needs('torch, sklearn, safetensors') }, () => {
  roundTripThroughScript('pytorch', exporters.pytorch);
});

test('the Keras script loads playground weights and saves them back bit for bit', { skip: needs('tensorflow, sklearn, safetensors') }, () => {
  roundTripThroughScript('keras', exporters.keras);
});
