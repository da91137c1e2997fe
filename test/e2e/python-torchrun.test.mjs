// How the exported scripts end when several processes train together (issue 26): a process that
// dies makes the others fail at once with a message instead of waiting, and a run that hangs is
// named by the test helper (which rank, what it printed last, where its Python stack was), so a
// hang is diagnosable from a CI log alone. The clean exit itself is soaked 20 times in a row by
// `npm run soak:torchrun`; the e2e files run each script under torchrun once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { pythonEnv, torchrun as torchrunWithDeadline } from '../../scripts/python.mjs';
import { MNIST_DIR, requirePython, setup, SKIP } from './python-env.mjs';

let env;
before(async () => {
  env = await setup(["export { ganPytorchScript } from './src/io/export-gan-pytorch.ts';", "export { SMALL_GAN } from './src/train/gan-config.ts';"]);
});
after(() => env?.cleanup());

/** A TCP port that was free a moment ago (the rendezvous of a hand-started process group). */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts one process of a hand-made group; `output` collects what it prints. */
function startRank(script, args, rank, port, timeoutSeconds) {
  const extra = { RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port) };
  const child = spawn(requirePython(), [script, ...args], { env: pythonEnv({ ...extra, SHADERPROP_COLLECTIVE_TIMEOUT: String(timeoutSeconds) }) });
  const p = { child, output: '' };
  child.stdout.on('data', (d) => (p.output += d));
  child.stderr.on('data', (d) => (p.output += d));
  p.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return p;
}

/** Resolves when `condition()` holds, polling; rejects with `what` past the deadline. */
async function waitFor(condition, what, ms = 120_000) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a process that dies mid-run makes the other fail at once with a message, not wait', { skip: SKIP }, async (t) => {
  const c = { ...env.lib.SMALL_GAN, batch: 16, seed: 3 };
  const script = env.write('gan_fail.py', env.lib.ganPytorchScript(c));
  const args = ['--mnist', MNIST_DIR, '--iterations', '100000', '--log-every', '1'];
  const port = await freePort();
  // No torchrun here: nothing else would stop rank 0, so only the script's own handling can.
  const ranks = [0, 1].map((r) => startRank(script, args, r, port, 60));
  try {
    await waitFor(() => /rank 1: iteration +2 /.test(ranks[1].output), 'rank 1 to train two iterations');
    const killed = Date.now();
    ranks[1].child.kill('SIGKILL');
    let timer;
    const code = await Promise.race([ranks[0].exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 90_000)))]);
    clearTimeout(timer);
    assert.equal(code, 1, `rank 0 after rank 1 died: ${code}\n${ranks[0].output.slice(-2000)}`);
    assert.match(ranks[0].output, /rank 0 of 2 failed: /);
    assert.match(ranks[0].output, /COLLECTIVE_TIMEOUT_SECONDS/);
    t.diagnostic(`rank 0 exited ${Date.now() - killed} ms after rank 1 was killed: ${/rank 0 of 2 failed: [^\n]*/.exec(ranks[0].output)[0]}`);
  } finally {
    for (const r of ranks) r.child.kill('SIGKILL');
  }
});

test('a torchrun run that hangs is named: each rank, what it printed last, and its Python stack', { skip: SKIP }, async () => {
  const script = env.write(
    'hang.py',
    [
      'import os, time',
      'import torch.distributed as dist',
      'dist.init_process_group("gloo")',
      'rank = int(os.environ["RANK"])',
      'print(f"rank {rank}: iteration 3", flush=True)',
      'if rank == 1:',
      '    time.sleep(3600)  # rank 1 never reaches the barrier',
      'dist.barrier()',
      '',
    ].join('\n'),
  );
  // The 6 s run from the moment both ranks printed (before that, importing torch on a loaded
  // machine can take 20 s): rank 0 then goes straight into the barrier, so 6 s is far past it.
  const printed = (out) => /rank 0: iteration 3/.test(out) && /rank 1: iteration 3/.test(out);
  const run = await torchrunWithDeadline({ python: requirePython(), nproc: 2, script, timeoutMs: 6_000, deadlineFrom: printed });
  assert.equal(run.hung, true);
  assert.match(run.diagnosis, /did not finish within 6 s/);
  assert.match(run.diagnosis, /rank 0 last printed: iteration 3; it was still running; its Python stack:[\s\S]*in barrier/);
  assert.match(run.diagnosis, /rank 1 last printed: iteration 3; it was still running; its Python stack:[\s\S]*hang\.py", line 7/);
});
