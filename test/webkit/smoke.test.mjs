// WebKit, Safari's engine, as Debian ships it (WebKitGTK's MiniBrowser, driven over plain W3C
// WebDriver by WebKitWebDriver, on an Xvfb display): the built pages work there. WebKitGTK has no
// WebGPU, so the playground, the GAN lab and a blog post's widgets train on the CPU backend, and
// the shader explorer says plainly what is missing while still showing every kernel's source.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startServer } from '../../scripts/serve.mjs';
import { findByTestId } from '../e2e/deep-query.mjs';
import { assertShownExactly, shownSource } from '../e2e/shown-source.mjs';
import { startWebKit } from './webdriver.mjs';

let webkit;
let server;
before(async () => {
  if (process.env.SHADERPROP_E2E_BUILT !== '1') execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  server = await startServer({ port: 0 });
  webkit = await startWebKit({ prelude: `const findByTestId = ${findByTestId.toString()};\nconst shownSource = ${shownSource.toString()};` });
  await webkit.setWindowSize(1280, 900);
});
after(async () => {
  await webkit?.close();
  await server?.close();
});

/** Opens a page and starts recording what a clean page must not have: uncaught errors and rejections. */
async function open(path) {
  await webkit.navigate(new URL(path, server.url).href);
  await webkit.execute(() => {
    window.__errors = [];
    addEventListener('error', (e) => window.__errors.push(`error: ${e.message}`));
    addEventListener('unhandledrejection', (e) => window.__errors.push(`rejection: ${e.reason}`));
  });
}

const errors = () => webkit.execute(() => window.__errors);

/** The trimmed text of `testid` (through shadow roots, under `scope`), or null when absent. */
const text = (testid, scope = null) =>
  webkit.execute(
    (id, s) => {
      const el = findByTestId(id, s);
      return el ? el.textContent.trim() : null;
    },
    testid,
    scope,
  );

/** Clicks `testid` as a script would (WebDriver's own click cannot reach into shadow roots). */
const click = (testid, scope = null) =>
  webkit.execute(
    (id, s) => {
      const el = findByTestId(id, s);
      if (!el) throw new Error(`no element with data-testid=${id}`);
      el.click();
    },
    testid,
    scope,
  );

/** Waits until the text of `testid` satisfies `predicate`, polling with a deadline. */
async function until(testid, predicate, { scope = null, timeout = 180_000 } = {}) {
  const end = Date.now() + timeout;
  let last = null;
  while (Date.now() < end) {
    last = await text(testid, scope).catch(() => null);
    if (last !== null && predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`data-testid=${testid}${scope ? ` in ${scope}` : ''} never matched; last text: ${JSON.stringify(last)}`);
}

const started = (t) => t.startsWith('CPU') || t.startsWith('WebGPU');

test('the playground trains Iris', async () => {
  await open('index.html#dataset=iris&layers=16&activation=relu&lr=0.01&epochs=40&seed=42');
  const hasWebGpu = await webkit.execute(() => 'gpu' in navigator);
  const backend = await until('backend', started);
  if (!hasWebGpu) {
    assert.match(backend, /^CPU/, 'without WebGPU the playground falls back to the CPU');
    // The reason may render a moment after the backend line: wait for it with a deadline.
    const why = await until('fallback-reason', (t) => /Running on the CPU: .*WebGPU/.test(t), { timeout: 30_000 });
    assert.match(why, /Running on the CPU: .*WebGPU/, 'and says why');
  }
  await click('train-toggle');
  await until('epoch', (t) => Number(t) >= 40);
  const accuracy = Number(await until('test-accuracy', (t) => Number(t) >= 0.8, { timeout: 30_000 }));
  assert.ok(accuracy >= 0.8, `Iris test accuracy ${accuracy}`);
  console.log(`${webkit.version}: Iris trained 40 epochs on "${backend}", test accuracy ${accuracy}`);
  assert.deepEqual(await errors(), []);
});

test('the GAN lab advances', async () => {
  await open('gan.html');
  const backend = await until('gan-backend', started, { timeout: 300_000 });
  await click('gan-toggle');
  await until('gan-step', (t) => Number(t) >= 3, { timeout: 300_000 });
  await click('gan-toggle');
  await until('gan-toggle', (t) => t.includes('Train'));
  console.log(`webkit: the GAN lab trained on "${backend}" to iteration ${await text('gan-step')}`);
  assert.deepEqual(await errors(), []);
});

test("a blog post's widgets train", async () => {
  await open('blog.html');
  assert.equal(await webkit.execute(() => document.querySelectorAll('sp-playground, sp-gan, sp-loss-view, sp-boundary-view').length), 5);
  for (const scope of ['#spiral', '#iris']) {
    await until('backend', started, { scope });
    const before = Number(await text('epoch', scope));
    await click('train-toggle', scope);
    await until('epoch', (t) => Number(t) >= before + 3, { scope });
    await click('train-toggle', scope);
  }
  await until('gan-backend', started, { scope: 'sp-gan', timeout: 300_000 });
  assert.deepEqual(await errors(), []);
});

test('the shader explorer says WebGPU is missing and still shows every kernel file exactly', async () => {
  await open('shaders.html');
  const hasWebGpu = await webkit.execute(() => 'gpu' in navigator);
  if (hasWebGpu) {
    await until('step-time', (t) => Number(t) > 0); // a WebKit with WebGPU runs the kernels instead
    return;
  }
  assert.equal(await until('gpu-missing', (t) => t.length > 0), 'WebGPU');
  assert.match(await text('explorer-unavailable'), /What still works:/);
  const files = readdirSync('shaders').filter((f) => f.endsWith('.wgsl'));
  const tabs = await webkit.execute(() => {
    const first = findByTestId('family-tab');
    return first ? [...first.parentElement.querySelectorAll('[data-testid="family-tab"]')].map((b) => b.textContent.trim()) : [];
  });
  assert.deepEqual([...tabs].sort(), [...files].sort(), 'one tab per kernel file');
  for (const [i, file] of tabs.entries()) {
    const shown = await webkit.executeAsync((index) => shownSource(index), i);
    assertShownExactly(shown, file, readFileSync(`shaders/${file}`, 'utf8'));
  }
  assert.deepEqual(await errors(), []);
});
