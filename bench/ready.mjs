// The `ready` workload of `npm run bench` (issue 28, "Ready in a second"): how long real pages of
// the built playground take, from navigation start, until a person can use them. The pages come
// from `node scripts/build.mjs` (dist/, as `npm run build` and `npm pack` make it), served on
// loopback by scripts/serve.mjs, in the system Chromium the rest of the bench uses:
//
//   index.html#dataset=spiral&layers=8,8   the playground's Train button enabled
//   blog.html                              the first widget's Train button enabled
//   shaders.html                           a kernel's WGSL source visible in the explorer
//
// each with WebGPU (the bench's WEBGPU_FLAGS: SwiftShader without a GPU) and without it (the
// browser without those flags, as the e2e tests' cpuOnlyBrowser: navigator.gpu finds no adapter),
// with a cold and a warm trial cache. The time is taken in the page (bench/ready-probe.mjs).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { findChrome, WEBGPU_FLAGS } from '../scripts/find-chrome.mjs';
import { startServer } from '../scripts/serve.mjs';
import { installReadyProbe } from './ready-probe.mjs';
import { formatMs } from './ready-report.mjs';

/** The pages measured: what "ready" means on each (see installReadyProbe). */
export const READY_PAGES = [
  { name: 'index', path: 'index.html#dataset=spiral&layers=8,8', target: { kind: 'train', scope: 'sp-playground' } },
  { name: 'blog', path: 'blog.html', target: { kind: 'train', scope: 'sp-playground' } },
  { name: 'shaders', path: 'shaders.html', target: { kind: 'source', scope: 'sp-shader-explorer' } },
];

/** The browser without the WebGPU flags keeps the rest of them (ui-pages.mjs's cpuOnlyBrowser). */
const NO_WEBGPU_FLAGS = WEBGPU_FLAGS.filter(
  (f) => !['--enable-unsafe-webgpu', '--enable-features=Vulkan'].includes(f) && !f.startsWith('--use-webgpu-adapter'),
);
/** A load that is not ready by then is recorded as failed (ready takes seconds here, not a minute). */
const READY_TIMEOUT_MS = 60_000;
/** How long the Auto trial is followed after ready, until data-state leaves 'trial'. */
const TRIAL_TIMEOUT_MS = 20_000;
/**
 * Pause between the trial's end and the warm reload: the trial is persisted to localStorage or
 * IndexedDB asynchronously, and a reload too soon would measure a cache still being written.
 */
const PERSIST_MS = 1000;
/** Pause after closing a browser, so its processes' teardown does not slow the next launch's load. */
const SETTLE_MS = 1000;

/** The in-page probe's results (its `stop` function stays in the page). */
const readProbe = (page) =>
  page.evaluate(() => {
    const { readyMs, frameMs, backendAtReady, trialEndMs, backendAfterTrial } = window.__spReady ?? {};
    return { readyMs, frameMs, backendAtReady, trialEndMs, backendAfterTrial };
  });

/** What the page's origin has stored: localStorage keys and IndexedDB database names. */
const readStorage = (page) =>
  page.evaluate(async () => ({
    localStorage: Object.keys(localStorage).sort(),
    indexedDB: (await indexedDB.databases()).map((d) => d.name).sort(),
  }));

/**
 * Waits for the probe's ready time on the page just navigated, then, on pages with a backend
 * status, for Auto's trial to end (data-state leaving 'trial'; "n/a" where there is no data-state).
 */
async function oneLoad(page, target) {
  try {
    await page.waitForFunction(() => window.__spReady?.readyMs != null, null, { timeout: READY_TIMEOUT_MS, polling: 100 });
  } catch (e) {
    await page.evaluate(() => window.__spReady?.stop?.()).catch(() => {});
    return { ready_ms: null, error: `not ready after ${READY_TIMEOUT_MS / 1000} s: ${e.message.split('\n')[0]}` };
  }
  let probe = await readProbe(page);
  let trial = 'n/a';
  if (target.kind === 'train' && probe.backendAtReady?.state) {
    const ended = await page
      .waitForFunction(() => window.__spReady?.trialEndMs != null, null, { timeout: TRIAL_TIMEOUT_MS, polling: 100 })
      .then(
        () => true,
        () => false,
      );
    probe = await readProbe(page);
    trial = ended ? probe.trialEndMs - probe.readyMs : `still trial ${TRIAL_TIMEOUT_MS / 1000} s after ready`;
  }
  await page.evaluate(() => window.__spReady?.stop?.()).catch(() => {});
  return {
    ready_ms: probe.readyMs,
    frame_ms: probe.frameMs,
    backend_at_ready: probe.backendAtReady,
    backend_after_trial: probe.backendAfterTrial,
    trial_left_after_ms: trial,
  };
}

/**
 * One cold and one warm load of `spec` in a fresh browser: a new profile (empty localStorage,
 * IndexedDB, HTTP cache and GPU shader cache), then, once the cold load's trial has ended and had
 * time to persist, a reload in the same context.
 */
async function coldAndWarm(url, spec, webgpu) {
  const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: webgpu ? WEBGPU_FLAGS : NO_WEBGPU_FLAGS });
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    // Installed for every document of the page, so the reload is probed too.
    await page.addInitScript(installReadyProbe, spec.target);
    await page.goto(new URL(spec.path, url).href);
    const cold = await oneLoad(page, spec.target);
    await sleep(PERSIST_MS);
    const stored = await readStorage(page).catch((e) => ({ error: e.message }));
    const coldErrors = errors.splice(0);
    await page.reload();
    const warm = await oneLoad(page, spec.target);
    return { cold: { ...cold, stored_after: stored, page_errors: coldErrors }, warm: { ...warm, page_errors: errors } };
  } finally {
    await browser.close();
    await sleep(SETTLE_MS);
  }
}

/** The browser's version and, with WebGPU, its adapter (vendor, architecture, description). */
async function describeBrowser(url) {
  const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS });
  try {
    const page = await browser.newPage();
    // A secure-context page of the served origin: navigator.gpu is only there.
    await page.goto(new URL('index.html#dataset=spiral', url).href, { waitUntil: 'domcontentloaded' });
    const adapter = await page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      if (!a) return 'none';
      const i = a.info ?? {};
      return [i.vendor, i.architecture, i.description].filter(Boolean).join(' · ') || 'unnamed adapter';
    });
    return { chromium: browser.version(), adapter };
  } finally {
    await browser.close();
  }
}

/** One progress line per cold + warm pair. */
function progressLine(spec, webgpu, rep, pair) {
  const cell = (m) => (m.ready_ms === null ? 'failed' : `${formatMs(m.ready_ms)} ms`);
  const b = pair.cold.backend_at_ready;
  const backend = b ? `; backend at ready: ${b.text}${b.state ? ` [${b.state}]` : ''}` : '';
  const errors = [...(pair.cold.page_errors ?? []), ...(pair.warm.page_errors ?? [])];
  const errs = errors.length ? `; ${errors.length} page error(s): ${errors[0]}` : '';
  return `  ready ${spec.name.padEnd(8)} webgpu ${webgpu ? 'on ' : 'off'} #${rep + 1}: cold ${cell(pair.cold)}, warm ${cell(pair.warm)}${backend}${errs}`;
}

/**
 * Builds dist/, serves it, and measures every page × WebGPU on/off × cold/warm `loads` times.
 * The repetitions go round all twelve cells in turn, so a busy minute on the shared machine
 * lands on every cell a little rather than on one cell entirely. Returns the raw samples.
 */
export async function measureReady({ root, loads = 5 }) {
  console.log('ready: building the playground (node scripts/build.mjs)...');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const server = await startServer({ root: join(root, 'dist'), port: 0 });
  const samples = [];
  try {
    const browser = await describeBrowser(server.url);
    console.log(`ready: Chromium ${browser.chromium}, WebGPU adapter: ${browser.adapter}; ${loads} cold + warm loads per cell`);
    for (let rep = 0; rep < loads; rep++) {
      for (const webgpu of [true, false]) {
        for (const spec of READY_PAGES) {
          let pair;
          try {
            pair = await coldAndWarm(server.url, spec, webgpu);
          } catch (e) {
            const failed = { ready_ms: null, error: e.message.split('\n')[0] };
            pair = { cold: failed, warm: failed };
          }
          console.log(progressLine(spec, webgpu, rep, pair));
          for (const cache of ['cold', 'warm']) samples.push({ page: spec.name, path: spec.path, webgpu, cache, rep, ...pair[cache] });
        }
      }
    }
    return { ...browser, loads, samples };
  } finally {
    await server.close();
  }
}
