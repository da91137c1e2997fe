// Firefox as a first-class browser: the built pages in Debian's firefox-esr, driven by
// puppeteer-core over WebDriver BiDi (Playwright's own Firefox build cannot be downloaded here,
// and nothing downloads a browser). Without WebGPU, as Firefox ESR ships, the playground and the
// GAN lab fall back to the CPU and the shader explorer says what is missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { findFirefox } from '../../scripts/find-firefox.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { findByTestId } from '../e2e/deep-query.mjs';
import { findClippedChartText } from '../e2e/measure-overflow.mjs';
import { assertShownExactly, shownSource } from '../e2e/shown-source.mjs';

let browser;
let server;
before(async () => {
  const executablePath = findFirefox();
  // `npm test` runs this after the e2e suite, which built dist/; alone, it builds for itself.
  if (process.env.SHADERPROP_E2E_BUILT !== '1') execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  server = await startServer({ port: 0 });
  browser = await puppeteer.launch({ browser: 'firefox', executablePath, protocol: 'webDriverBiDi', headless: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page and records what a clean load must not have: console errors, exceptions, failed requests. */
async function open(path) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(new URL(path, server.url).href);
  return { page, errors };
}

/** The element with `data-testid` = testid, searched through shadow roots, inside `scope` (a CSS selector) if given. */
function find(page, testid, scope = null) {
  return page.evaluateHandle(findByTestId, testid, scope);
}

async function text(page, testid, scope) {
  const handle = await find(page, testid, scope);
  const value = await handle.evaluate((el) => (el ? el.textContent.trim() : null));
  await handle.dispose();
  return value;
}

/** Waits until the text of `testid` satisfies `predicate`, polling like a person watching. */
async function until(page, testid, predicate, { scope = null, timeout = 180_000 } = {}) {
  const end = Date.now() + timeout;
  let last = null;
  while (Date.now() < end) {
    last = await text(page, testid, scope).catch(() => null);
    if (last !== null && predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`data-testid=${testid} never matched; last text: ${JSON.stringify(last)}`);
}

async function click(page, testid, scope) {
  const handle = await find(page, testid, scope);
  await handle.asElement().click();
  await handle.dispose();
}

test('the playground trains Iris on the CPU fallback', async () => {
  const { page, errors } = await open('index.html#dataset=iris&layers=16&activation=relu&lr=0.01&epochs=40&seed=42');
  const hasWebGpu = await page.evaluate(() => 'gpu' in navigator);
  const backend = await until(page, 'backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'));
  if (!hasWebGpu) {
    assert.match(backend, /^CPU/, 'without WebGPU the playground falls back to the CPU');
    // The reason may render a moment after the backend line: wait for it with a deadline.
    const why = await until(page, 'fallback-reason', (t) => /Running on the CPU: .*WebGPU/.test(t), { timeout: 30_000 });
    assert.match(why, /Running on the CPU: .*WebGPU/, 'and says why');
  }
  await click(page, 'train-toggle');
  await until(page, 'epoch', (t) => Number(t) >= 40);
  assert.match(await until(page, 'announcement', (t) => t.length > 0), /Training finished: epoch 40 of 40/);
  // The views refresh once more after the last epoch; the test accuracy settles there.
  const accuracy = Number(await until(page, 'test-accuracy', (t) => Number(t) >= 0.8, { timeout: 30_000 }));
  assert.ok(accuracy >= 0.8, `Iris test accuracy ${accuracy}`);
  console.log(`firefox console errors index: ${errors.length} (backend "${backend}")`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("regression with input features trains, scores and draws every neuron's map", async () => {
  const { page, errors } = await open('index.html#task=regression&dataset=gaussmix&features=x1,x2,x1sq&layers=6&activation=tanh&lr=0.01&epochs=15&seed=2');
  await until(page, 'backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'));
  await click(page, 'train-toggle');
  await until(page, 'epoch', (t) => Number(t) >= 15);
  const r2 = Number(await until(page, 'test-r2', (t) => t.trim() !== '' && Number.isFinite(Number(t)), { timeout: 30_000 }));
  assert.ok(r2 > -1 && r2 <= 1, `test R² ${r2}`);
  assert.ok(Number.isFinite(Number(await text(page, 'regression-r2'))));
  // 6 hidden units and the output, each with its map in the network diagram.
  const tiles = await page.evaluate(() => {
    const all = [];
    const walk = (root) =>
      root.querySelectorAll('*').forEach((el) => (el.dataset?.testid === 'neuron-heatmap' && all.push(el), el.shadowRoot && walk(el.shadowRoot)));
    walk(document);
    return all.length;
  });
  assert.equal(tiles, 7);
  console.log(`firefox regression: test R² ${r2}, console errors ${errors.length}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the GAN lab advances', async () => {
  const { page, errors } = await open('gan.html');
  const backend = await until(page, 'gan-backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'), { timeout: 300_000 });
  if (backend.startsWith('CPU')) assert.match(await text(page, 'gan-fallback-reason'), /small preset: .*WebGPU/);
  await click(page, 'gan-toggle');
  await until(page, 'gan-step', (t) => Number(t) >= 3, { timeout: 300_000 });
  await click(page, 'gan-toggle');
  await until(page, 'gan-toggle', (t) => t.includes('Train'));
  assert.ok(Number(await text(page, 'gan-iteration')) >= 3, 'the old test id gan-iteration still reads the iteration');
  const grid = await find(page, 'gan-samples');
  assert.match(
    await grid.evaluate((el) => el.querySelector('sp-sample-grid').shadowRoot.querySelector('canvas').getAttribute('aria-label')),
    /at iteration \d+/,
  );
  await grid.dispose();
  console.log(`firefox console errors gan: ${errors.length}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the 2-D GAN lab trains, counts the ring’s modes and draws', async () => {
  const { page, errors } = await open('gan.html#mode=2d');
  await until(page, 'gan2d-backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'), { timeout: 120_000 });
  await click(page, 'gan2d-toggle');
  await until(page, 'gan2d-iteration', (t) => Number(t) >= 100, { timeout: 120_000 });
  await click(page, 'gan2d-toggle');
  await until(page, 'gan2d-toggle', (t) => t.includes('Play'));
  const modes = await until(page, 'gan2d-modes', (t) => /^\d+\/8$/.test(t));
  const js = Number(await until(page, 'gan2d-js', (t) => Number.isFinite(Number(t))));
  assert.ok(js >= 0 && js <= Math.log(2), `JS ${js}`);
  const drawn = await page.evaluate(() => document.querySelector('sp-gan-2d').shadowRoot.querySelector('sp-gan-2d-plane').framesDrawn);
  assert.ok(drawn > 0, 'the plane drew frames');
  console.log(`firefox 2-D GAN: modes ${modes}, JS ${js.toFixed(3)}, frames drawn ${drawn}, console errors ${errors.length}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the blog post renders its widgets under its strict CSP', async () => {
  const { page, errors } = await open('blog.html');
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  assert.equal(await page.title(), 'What a neural network learns, in six widgets');
  await until(page, 'backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'), { scope: '#spiral' });
  await until(page, 'backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'), { scope: '#iris' });
  await until(page, 'gan-backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'), { scope: 'sp-gan', timeout: 300_000 });
  assert.equal(await page.evaluate(() => document.querySelectorAll('sp-playground, sp-gan, sp-loss-view, sp-boundary-view').length), 5);
  assert.ok(
    await page.evaluate(() => document.querySelector('sp-boundary-view').shadowRoot.querySelector('sp-decision-boundary') !== null),
    'the linked boundary view shows the spiral',
  );
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  console.log(`firefox console errors blog: ${errors.length}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the shader explorer shows its honest no-WebGPU state, runs the float64 reference checks and shows every kernel file exactly', async () => {
  const { page, errors } = await open('shaders.html');
  const hasWebGpu = await page.evaluate(() => 'gpu' in navigator);
  if (hasWebGpu) {
    // A Firefox with WebGPU runs the kernels: the step is listed and timed instead.
    await until(page, 'step-time', (t) => Number(t) > 0);
  } else {
    assert.equal(await until(page, 'gpu-missing', (t) => t.length > 0), 'WebGPU');
    assert.match(await text(page, 'explorer-unavailable'), /What still works:/);
    for (const dead of ['train-toggle', 'compile', 'take-snapshot', 'timing-method']) assert.equal(await text(page, dead), null, `${dead} is not offered`);
    await click(page, 'reference-check');
    assert.match(await until(page, 'reference-check-result', (t) => /match/.test(t)), /gradients match central differences: 15 of 15 cases/);
  }
  // With or without WebGPU, every file the explorer shows is shown exactly as shipped.
  const files = readdirSync('shaders').filter((f) => f.endsWith('.wgsl'));
  const firstTab = await find(page, 'family-tab');
  const tabs = await firstTab.evaluate((el) => [...el.parentElement.querySelectorAll('[data-testid="family-tab"]')].map((b) => b.textContent.trim()));
  await firstTab.dispose();
  if (!hasWebGpu) assert.deepEqual([...tabs].sort(), [...files].sort(), 'one tab per kernel file');
  for (const [i, tab] of tabs.entries()) {
    const file = tab.split(' ')[0];
    const shown = await page.evaluate(shownSource, i);
    assertShownExactly(shown, file, readFileSync(`shaders/${file}`, 'utf8'));
  }
  console.log(`firefox console errors shaders: ${errors.length} (WebGPU ${hasWebGpu ? 'present' : 'absent'})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the shader explorer's longest timing labels keep their first character, phone to laptop widths", async () => {
  // The timing chart drawn from a profile of the Iris step's real kernel names (no GPU needed).
  const { page, errors } = await open('embed.html#dataset=xor&layers=2&epochs=1');
  await page.waitForFunction(() => customElements.get('sp-shader-timing') !== undefined);
  const labels = [
    'gather_rows · train input',
    ...[0, 1, 2].map((l) => `matmul_blocked · train forward layer ${l}`),
    'softmax_ce · train loss',
    ...['2 dW', '2 dX', '1 dW', '1 dX', '0 dW'].map((l) => `matmul_blocked · train backward layer ${l}`),
    'adam · train optimizer',
  ];
  for (const width of [280, 360, 500, 760]) {
    await page.evaluate(
      async (names, px) => {
        document.querySelector('#timing-probe')?.remove();
        const box = Object.assign(document.createElement('div'), { id: 'timing-probe' });
        box.style.width = `${px}px`;
        const el = document.createElement('sp-shader-timing');
        el.profile = {
          method: 'timestamp-query',
          description: 'GPU time per dispatch',
          steps: 8,
          stepUs: 60,
          kernels: names.map((label, index) => ({ index, label, meanUs: 10 + index, share: 1 / names.length, samples: 8 })),
        };
        box.append(el);
        document.body.prepend(box);
        await el.updateComplete;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100)));
      },
      labels,
      width,
    );
    assert.deepEqual(await page.evaluate(findClippedChartText), [], `at ${width} px`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the iframe embed loads clean', async () => {
  const { page, errors } = await open('embed.html#dataset=xor&layers=6&activation=tanh&epochs=3&seed=2');
  await until(page, 'backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'));
  console.log(`firefox console errors embed: ${errors.length}`);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Polls `read()` until `predicate` holds, like `until`, for values other than a test id's text. */
async function poll(what, read, predicate, timeout = 180_000) {
  const end = Date.now() + timeout;
  let last = null;
  while (Date.now() < end) {
    last = await read().catch(() => null);
    if (last !== null && predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} never matched; last: ${JSON.stringify(last)}`);
}

test('a drawing made with the mouse applies on the CPU fallback and reaches the link', async () => {
  const { page, errors } = await open('index.html#dataset=spiral&layers=4&epochs=2&seed=3');
  await until(page, 'backend', (t) => t.startsWith('CPU') || t.startsWith('WebGPU'));
  await click(page, 'draw-data');
  const plane = (await find(page, 'draw-plane')).asElement();
  await plane.scrollIntoView();
  const box = await plane.boundingBox();
  await plane.dispose();
  const at = (x1, x2) => [box.x + ((x1 + 1.5) / 3) * box.width, box.y + ((1.5 - x2) / 3) * box.height];
  for (let i = 0; i < 12; i++) {
    await click(page, `draw-class-${i % 2}`);
    await page.mouse.click(...at(i % 2 ? 0.7 : -0.7, -1.1 + i * 0.2));
  }
  // A right-click erases the nearest point.
  await page.mouse.click(...at(0.7, -0.9), { button: 'right' });
  assert.equal(await text(page, 'draw-count'), '11 points · 2 classes (at most 500).');
  await click(page, 'draw-data');
  await poll(
    'the drawing in the link',
    () => page.evaluate(() => location.hash),
    (h) => /dataset=drawn&drawn=c/.test(h),
  );
  const label = async () => {
    const handle = await find(page, 'boundary');
    const value = await handle.evaluate((el) => (el ? el.getAttribute('aria-label') : null));
    await handle.dispose();
    return value;
  };
  await poll('the session rebuilt on the 11 points drawn', label, (l) => l.endsWith('; 11 data points'));
  assert.deepEqual(errors, []);
  await page.close();
});
