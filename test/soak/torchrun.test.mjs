// Soak test for issue 26 (`npm run soak:torchrun`, not part of `npm test`: about 8 minutes here).
// The exported GAN and classifier scripts each run under torchrun with 2 processes SOAK_RUNS times
// (default 20) in a row; every run must exit 0 within its deadline, and the classifier's --check
// must pass every time. A hang is reported with the rank that hung, what it printed last and its
// Python stack (scripts/python.mjs). Prints every run's time and the slowest.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { base, REMEDIES_OFF } from '../e2e/python-cases.mjs';
import { engineRun, expectStatus, MNIST_DIR, setup, SKIP, torchrun } from '../e2e/python-env.mjs';

const RUNS = Number(process.env.SOAK_RUNS ?? 20);

let env;
before(async () => {
  env = await setup([
    "export { pytorchScript } from './src/io/export-pytorch.ts';",
    "export { ganPytorchScript } from './src/io/export-gan-pytorch.ts';",
    "export { modelToSafetensors } from './src/io/model-file.ts';",
    "export { initParams } from './src/nn/init.ts';",
    "export { Session } from './src/train/session.ts';",
    "export { SMALL_GAN } from './src/train/gan-config.ts';",
  ]);
});
after(() => env?.cleanup());

const write = (name, text) => {
  const file = join(env.dir, name);
  writeFileSync(file, text);
  return file;
};

/** Runs `args` under torchrun RUNS times; asserts every run exits 0; reports the times. */
async function soak(t, what, script, args, check = () => {}) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await torchrun(2, script, args);
    expectStatus(run, 0, `${what}, run ${i + 1} of ${RUNS}`);
    check(run);
    times.push(run.ms);
    t.diagnostic(`${what} run ${i + 1}: ${(run.ms / 1000).toFixed(1)} s`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  t.diagnostic(
    `${what}: ${RUNS} of ${RUNS} exited 0; median ${(sorted[sorted.length >> 1] / 1000).toFixed(1)} s, slowest ${(sorted.at(-1) / 1000).toFixed(1)} s`,
  );
}

test(`the GAN script under torchrun with 2 processes exits cleanly ${RUNS} times in a row`, { skip: SKIP }, async (t) => {
  // The configuration of the e2e test that hung about one run in four before the fix.
  const c = { ...env.lib.SMALL_GAN, batch: 16, dSteps: 2, labelSmoothing: 0.1, nonSaturating: false, seed: 5 };
  const script = write('gan_soak.py', env.lib.ganPytorchScript(c));
  const out = ['--save-generator', join(env.dir, 'g.safetensors'), '--save-discriminator', join(env.dir, 'd.safetensors')];
  await soak(t, 'GAN', script, ['--mnist', MNIST_DIR, '--iterations', '5', '--log-every', '1', ...out], (run) => {
    assert.equal((run.stdout.match(/all 2 processes finished/g) ?? []).length, 2, 'both ranks reached the end');
  });
});

test(`the classifier script under torchrun with 2 processes exits cleanly ${RUNS} times in a row`, { skip: SKIP }, async (t) => {
  const config = { ...base, remedies: { ...REMEDIES_OFF, dropout: [0.2, 0] } };
  const run = await engineRun(env.lib, config, 20);
  const spec = run.session.info.spec;
  const script = write('iris_soak.py', env.lib.pytorchScript(config, spec, { curve: run.curve, curveNote: "the engine's CPU reference, in the soak test" }));
  const init = write('iris-init.safetensors', env.lib.modelToSafetensors(spec, env.lib.initParams(spec, config.seed), config, null));
  await soak(t, 'classifier', script, ['--init', init, '--check'], (r) => assert.match(r.stdout, /check PASSED/));
});
