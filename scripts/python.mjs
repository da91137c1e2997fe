// Running Python for the exported scripts: finding a Python with torch, running a script alone,
// and running one under torchrun with a deadline that, when it passes, names what hung (which
// rank, what it printed last, and every process's Python stack) instead of only "timed out".
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * Environment of a diagnosable Python run: faulthandler dumps every thread's Python stack on
 * SIGABRT, every torchrun process prints its progress after its rank, no __pycache__ is written.
 */
export function pythonEnv(extra = {}) {
  return { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONFAULTHANDLER: '1', SHADERPROP_LOG_ALL_RANKS: '1', ...extra };
}

/** The last line each rank printed ("rank N: ..."), as { rank: line }. */
export function lastLinesByRank(stdout) {
  const last = {};
  for (const m of stdout.matchAll(/rank (\d+): (.*)/g)) last[m[1]] = m[2].trim();
  return last;
}

/** Every descendant process of `pid`, read from /proc (Linux). */
function descendants(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out = [];
  const walk = (p) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

/** RANK from a process's environment, or null when it has none (the launcher). */
function rankOf(pid) {
  try {
    const m = /(?:^|\0)RANK=(\d+)\0/.exec(readFileSync(`/proc/${pid}/environ`, 'latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** torchrunFix's answer per Python (the probe imports torch: a second or more). */
const fixes = new Map();

/**
 * Debian 12's torch 1.13 on Python 3.11 parses torchrun's default --redirects/--tee value "0"
 * to None and crashes before starting any process; "1" (stdout) parses. The flags that avoid
 * the bug where it is present, else none.
 */
export function torchrunFix(python) {
  if (fixes.has(python)) return fixes.get(python);
  const probe = 'from torch.distributed.elastic.multiprocessing.api import Std\nimport sys\nsys.exit(0 if Std.from_str("0") is None else 1)';
  const fix = spawnSync(python, ['-c', probe], { encoding: 'utf8', timeout: 120_000 }).status === 0 ? ['--redirects', '1', '--tee', '1'] : [];
  fixes.set(python, fix);
  return fix;
}

/** Resolves once `ms` have passed (the poll interval while faulthandler writes a stack). */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `python -m torch.distributed.run --nproc_per_node=nproc script ...args`. Resolves to
 * { status, stdout, stderr, ms, hung, diagnosis }. Past `timeoutMs` it sends SIGABRT to every
 * worker (faulthandler prints their stacks), kills the launcher, and `diagnosis` says which
 * ranks were still running and what each printed last. With `deadlineFrom(stdout)`, the
 * `timeoutMs` clock starts only once it holds (within `startWithinMs`).
 */
export async function torchrun({ python, nproc, script, args = [], timeoutMs = 240_000, env = {}, deadlineFrom = null, startWithinMs = 240_000 }) {
  // Port 0: torchrun picks free ports itself, so runs side by side (other tests, other people) never meet.
  const launcher = [
    '-m',
    'torch.distributed.run',
    '--nnodes=1',
    `--nproc_per_node=${nproc}`,
    '--rdzv_backend=c10d',
    '--rdzv_endpoint=127.0.0.1:0',
    ...torchrunFix(python),
  ];
  const started = Date.now();
  const child = spawn(python, [...launcher, script, ...args], { env: pythonEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let timer;
  // With deadlineFrom, the clock starts once the output shows the run got there (importing torch
  // alone can take 20 s on a loaded machine); until then startWithinMs bounds the wait.
  const deadline = new Promise((resolve) => {
    const arm = (ms) => (timer = setTimeout(() => resolve(null), ms));
    if (!deadlineFrom) return arm(timeoutMs);
    arm(startWithinMs);
    const watch = () => {
      if (!deadlineFrom(stdout)) return;
      child.stdout.off('data', watch);
      clearTimeout(timer);
      arm(timeoutMs);
    };
    child.stdout.on('data', watch);
  });
  const end = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (end) return { status: end.code, stdout, stderr, ms: Date.now() - started, hung: false, diagnosis: '' };

  const workers = descendants(child.pid)
    .map((pid) => ({ pid, rank: rankOf(pid), stack: '' }))
    .filter((w) => w.rank !== null)
    .sort((a, b) => a.rank - b.rank);
  // The launcher is stopped first: once one rank dies of the abort, torchrun's agent would
  // SIGTERM the others before they print their stacks (CI saw rank 1's stack lost that way).
  try {
    process.kill(child.pid, 'SIGSTOP');
  } catch {
    // it ended meanwhile
  }
  // One at a time, so each stack faulthandler writes to the shared stderr belongs to one rank.
  for (const w of workers) {
    const mark = stderr.length;
    try {
      process.kill(w.pid, 'SIGABRT');
    } catch {
      continue; // it ended meanwhile
    }
    const until = Date.now() + 5000;
    while (Date.now() < until && !/in <module>/.test(stderr.slice(mark))) await pause(50);
    w.stack = stderr.slice(mark).trim();
  }
  for (const pid of [child.pid, ...descendants(child.pid)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await exited;
  const last = lastLinesByRank(stdout);
  const ranks = [...Array(nproc).keys()].map((r) => {
    const w = workers.find((x) => x.rank === r);
    const state = w ? `was still running; its Python stack:\n${w.stack || '(none printed)'}` : 'had exited';
    return `rank ${r} last printed: ${last[r] ?? '(nothing)'}; it ${state}`;
  });
  const diagnosis = `torchrun did not finish within ${timeoutMs / 1000} s.\n${ranks.join('\n')}`;
  return { status: null, stdout, stderr, ms: Date.now() - started, hung: true, diagnosis };
}
