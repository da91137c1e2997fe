// The exported GAN scripts run for real: the PyTorch one repeats the lab's float64 reference
// iteration for iteration from the lab's initial weights (alone and under torchrun with 2
// processes), and continues from "Save G and D" files to files the lab's loader accepts. The
// Keras one compiles, its NumPy parts (the lab's batches and latent vectors, weight files) are
// checked without TensorFlow, and its training loop repeats the lab's iterations on a PyTorch
// stand-in for TensorFlow's calls. CI never skips these.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expectStatus, MNIST_DIR, mnistSource, runPython, setup, SKIP, TF_STANDIN, torchrun } from './python-env.mjs';

let env;
let images;
before(async () => {
  env = await setup([
    "export { ganPytorchScript } from './src/io/export-gan-pytorch.ts';",
    "export { ganKerasScript } from './src/io/export-gan-keras.ts';",
    "export { ganToSafetensors, ganFromSafetensors } from './src/io/gan-file.ts';",
    "export { CpuGanBackend } from './src/reference/reference-gan-backend.ts';",
    "export { GanTrainer } from './src/train/gan-trainer.ts';",
    "export { ARTICLE_GAN, SMALL_GAN, initGan } from './src/train/gan-config.ts';",
    "export { parseIdx } from './src/data/idx.ts';",
  ]);
  images = (await mnistSource(env.lib)()).train;
});
after(() => env?.cleanup());

/** A small GAN that reaches the awkward branches: k = 2, smoothing, minimax, a short last chunk. */
const config = () => ({ ...env.lib.SMALL_GAN, batch: 16, dSteps: 2, labelSmoothing: 0.1, nonSaturating: false, seed: 5 });

/** The lab's float64 reference trained `iterations` from its initial weights. */
async function labRun(c, iterations) {
  const trainer = new env.lib.GanTrainer(new env.lib.CpuGanBackend({ config: c, images: images.images, params: env.lib.initGan(c) }), c, images.count);
  await trainer.train(iterations);
  return { trainer, params: await trainer.backend.readParams() };
}

/** The per-iteration D and G losses a script printed. */
function losses(stdout) {
  return [...stdout.matchAll(/iteration +\d+ +D loss (\S+) +G loss (\S+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** `log` is a GanTrainer's history (a GanMetricLog). */
function expectSameLosses(got, log) {
  const history = log.toArray();
  assert.equal(got.length, history.length);
  got.forEach(([dLoss, gLoss], i) => {
    assert.ok(
      Math.abs(dLoss - history[i].dLoss) < 1e-5 && Math.abs(gLoss - history[i].gLoss) < 1e-5,
      `iteration ${i + 1}: script ${dLoss}, ${gLoss}; lab ${history[i].dLoss}, ${history[i].gLoss}`,
    );
  });
}

test('both GAN scripts byte-compile, for the article GAN and a small one', { skip: SKIP }, () => {
  const files = [];
  for (const [name, c] of [
    ['article', env.lib.ARTICLE_GAN],
    ['small', config()],
  ]) {
    files.push(env.write(`gan_${name}_pytorch.py`, env.lib.ganPytorchScript(c)), env.write(`gan_${name}_keras.py`, env.lib.ganKerasScript(c)));
  }
  expectStatus(runPython(['-m', 'py_compile', ...files]), 0, 'py_compile');
});

test("from the lab's initial weights the PyTorch GAN script repeats the lab's iterations", { skip: SKIP }, async () => {
  const c = config();
  const { trainer } = await labRun(c, 6);
  const script = env.write('gan_exact.py', env.lib.ganPytorchScript(c));
  const run = runPython([script, '--mnist', MNIST_DIR, '--iterations', '6', '--log-every', '1']);
  expectStatus(run, 0, 'GAN script');
  expectSameLosses(losses(run.stdout), trainer.history);
});

test("the Keras GAN script's loop, on a PyTorch stand-in for TensorFlow, repeats the lab's iterations", { skip: SKIP }, async () => {
  const c = config();
  const { trainer } = await labRun(c, 5);
  const script = env.write('gan_keras_exact.py', env.lib.ganKerasScript(c));
  const run = runPython([script, '--mnist', MNIST_DIR, '--iterations', '5', '--log-every', '1'], { env: TF_STANDIN });
  expectStatus(run, 0, 'Keras GAN script on the stand-in');
  expectSameLosses(losses(run.stdout), trainer.history);
});

test("lab weights → the PyTorch script trains on → saves → the lab's loader accepts them", { skip: SKIP }, async () => {
  const c = config();
  const { params } = await labRun(c, 4);
  const saved = env.lib.ganToSafetensors(c, params, 4);
  const g = env.write('lab-g.safetensors', saved.generator);
  const d = env.write('lab-d.safetensors', saved.discriminator);
  const script = env.write('gan_continue.py', env.lib.ganPytorchScript(c));
  const out = [join(env.dir, 'out-g.safetensors'), join(env.dir, 'out-d.safetensors')];
  const run = runPython([
    script,
    '--mnist',
    MNIST_DIR,
    '--generator',
    g,
    '--discriminator',
    d,
    '--iterations',
    '3',
    '--save-generator',
    out[0],
    '--save-discriminator',
    out[1],
  ]);
  expectStatus(run, 0, "GAN script continuing from the lab's files");
  assert.match(run.stdout, /iteration +7 /, "counts on from the lab's 4 iterations");
  // Either order: the loader tells G from D by their shapes.
  const back = env.lib.ganFromSafetensors(new Uint8Array(readFileSync(out[1])), new Uint8Array(readFileSync(out[0])), env.lib.ARTICLE_GAN);
  assert.deepEqual(back.config, c);
  assert.equal(back.iterations, 7);
  assert.deepEqual(back.messages, []);
  for (const k of ['g', 'd']) {
    assert.equal(back.params[k].length, params[k].length);
    assert.ok(
      back.params[k].some((v, i) => v !== params[k][i]),
      `${k} was trained`,
    );
  }
});

test("torchrun --nproc_per_node=2: the GAN script takes the lab's steps and saves loadable files", { skip: SKIP }, async (t) => {
  const c = config();
  const { trainer } = await labRun(c, 5);
  const script = env.write('gan_ddp.py', env.lib.ganPytorchScript(c));
  const out = [join(env.dir, 'ddp-g.safetensors'), join(env.dir, 'ddp-d.safetensors')];
  const started = Date.now();
  const run = await torchrun(2, script, [
    '--mnist',
    MNIST_DIR,
    '--iterations',
    '5',
    '--log-every',
    '1',
    '--save-generator',
    out[0],
    '--save-discriminator',
    out[1],
  ]);
  expectStatus(run, 0, 'torchrun GAN');
  assert.match(run.stdout, /2 process\(es\)/);
  expectSameLosses(
    losses(
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('[default1]'))
        .join('\n'),
    ),
    trainer.history,
  );
  const back = env.lib.ganFromSafetensors(new Uint8Array(readFileSync(out[0])), new Uint8Array(readFileSync(out[1])), c);
  assert.equal(back.iterations, 5);
  t.diagnostic(`torchrun GAN, 2 processes, 5 iterations: ${Date.now() - started} ms`);
});

test("the Keras GAN script without TensorFlow: the lab's batches and latents, and files the lab loads", { skip: SKIP }, async () => {
  const c = config();
  const script = env.write('gan_keras_module.py', env.lib.ganKerasScript(c));
  const lab = env.lib.ganToSafetensors(c, env.lib.initGan(c), 12);
  const g = env.write('k-g.safetensors', lab.generator);
  const out = join(env.dir, 'k-out-g.safetensors');
  const probe = [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("gan", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    'assert m.tf is None',
    'streams = m.LabStreams(60000)',
    'chunks = [streams.chunk(n) for n in (4, 3)]',
    'tensors, done = m.start_weights(sys.argv[2], "generator")',
    'm.save_weights(sys.argv[3], "generator", tensors, done + 1)',
    'print(json.dumps([{"real": r, "zd": zd.ravel()[:300].tolist(), "zg": zg.ravel()[-300:].tolist()} for r, zd, zg in chunks]))',
  ].join('\n');
  const run = runPython(['-c', probe, script, g, out]);
  expectStatus(run, 0, 'Keras GAN module probe');
  const trainer = new env.lib.GanTrainer(null, c, 60000);
  const chunks = JSON.parse(run.stdout.trim().split('\n').at(-1));
  for (const [n, got] of [4, 3].map((n, k) => [n, chunks[k]])) {
    const want = trainer.chunk(n);
    assert.deepEqual(got.real.flat(), Array.from(want.realIndices));
    assert.deepEqual(got.zd, Array.from(want.zD.subarray(0, 300)));
    assert.deepEqual(got.zg, Array.from(want.zG.subarray(want.zG.length - 300)));
  }
  const back = env.lib.ganFromSafetensors(new Uint8Array(readFileSync(out)), lab.discriminator, env.lib.ARTICLE_GAN);
  assert.equal(back.iterations, 13);
  assert.deepEqual(new Uint32Array(back.params.g.buffer), new Uint32Array(env.lib.initGan(c).g.buffer));
});
