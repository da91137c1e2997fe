// `npm test`: every suite in order (types, MNIST assets, the browser tests with lint and the
// Firefox and WebKit smoke suites beside them, then the end-to-end tests), each one run even when
// an earlier one failed, so one CI run reports every failure. Ends with a table of each suite's
// duration and result, and exits non-zero when any suite failed. `--only NAME[,NAME]` runs some of
// them. Suites that share a `group` run at the same time, their output printed whole as each
// ends, not interleaved; within a group, suites that share a `lane` run one after another. The
// browser tests run one file at a time, which leaves a core to spare for six minutes: lint (a
// minute of ESLint) and then the two smoke suites (other browsers, each mostly waiting) use it,
// instead of adding their time after the end-to-end tests.
import { spawn } from 'node:child_process';

/** The suites, in order: name, what it checks, and the npm script that runs it. */
export const SUITES = [
  { name: 'typecheck', what: 'tsc --noEmit', script: 'typecheck' },
  { name: 'assets', what: 'MNIST assets validated and compressed', script: 'prepare-data' },
  { name: 'browser', what: 'kernels, engine and components in headless Chromium', script: 'test:unit', group: 'start' },
  { name: 'lint', what: 'ESLint, prettier, lit-analyzer', script: 'lint', group: 'start', lane: 'beside' },
  { name: 'firefox', what: 'smoke suite in Firefox ESR (builds dist/)', script: 'test:firefox', group: 'start', lane: 'beside' },
  { name: 'webkit', what: 'smoke suite in WebKitGTK (Safari’s engine)', script: 'test:webkit', group: 'start', lane: 'beside' },
  { name: 'e2e', what: 'built pages, exported scripts, package, CDN', script: 'test:e2e' },
];

/** Suites whose run builds dist/: a later suite is told it is built (SHADERPROP_E2E_BUILT) instead of building again. */
const BUILDS = ['e2e', 'firefox', 'webkit'];

/**
 * Runs `npm run script` with `env` added; resolves to its exit code and, with `capture`, its
 * output (stdout and stderr in the order written), else the output goes straight through.
 */
function npmRun(script, env = {}, capture = false) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env } });
    const chunks = [];
    if (capture) for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => chunks.push(d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString() }));
  });
}

const format = (ms) => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
};

async function main() {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
  const suites = only ? SUITES.filter((s) => only.includes(s.name)) : SUITES;
  const started = Date.now();
  const results = [];
  const built = () => (results.some((r) => BUILDS.includes(r.name) && r.ok) ? { SHADERPROP_E2E_BUILT: '1' } : {});
  const finish = (suite, code, t0) => {
    results.push({ ...suite, ms: Date.now() - t0, ok: code === 0 });
    console.log(`=== ${suite.name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${format(Date.now() - t0)}`);
  };
  for (let i = 0; i < suites.length;) {
    const suite = suites[i];
    const group = suite.group ? suites.filter((s) => s.group === suite.group) : [suite];
    i += group.length;
    if (group.length === 1) {
      console.log(`\n=== ${suite.name}: ${suite.what} (npm run ${suite.script})`);
      const t0 = Date.now();
      finish(suite, (await npmRun(suite.script, built())).code, t0);
      continue;
    }
    console.log(`\n=== ${group.map((s) => s.name).join(' and ')}, at the same time: each one's output follows when it ends`);
    const lanes = [...new Set(group.map((s) => s.lane ?? s.name))].map((lane) => group.filter((s) => (s.lane ?? s.name) === lane));
    await Promise.all(
      lanes.map(async (lane) => {
        for (const s of lane) {
          const t0 = Date.now();
          const { code, output } = await npmRun(s.script, built(), true);
          console.log(`\n=== ${s.name}: ${s.what} (npm run ${s.script})\n${output.trimEnd()}`);
          finish(s, code, t0);
        }
      }),
    );
  }
  const width = Math.max(...results.map((r) => r.name.length));
  console.log('\nSuite durations:');
  for (const r of results) console.log(`  ${r.name.padEnd(width)}  ${format(r.ms).padStart(12)}  ${r.ok ? 'passed' : 'FAILED'}`);
  console.log(`  ${'total'.padEnd(width)}  ${format(Date.now() - started).padStart(12)}`);
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    console.log(`\nFailed: ${failed.map((r) => r.name).join(', ')}`);
    process.exit(1);
  }
}

await main();
