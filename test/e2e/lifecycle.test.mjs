// Widgets survive their page (issue 16): an element alone works, a moved one keeps working, a
// removed and re-added one builds again. The pages are served on the dist/ origin by the test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** A page holding only `body` and the widgets bundle, served at `path` on the dist/ origin. */
async function pageWith(path, body) {
  const page = env.watch(await env.browser.newPage());
  await page.route(`**/${path}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><script type="module" src="./shaderprop.js"></script><body>${body}</body>`,
    }),
  );
  await page.goto(new URL(path, env.server.url).href);
  return page;
}

const text = (page, selector) =>
  page
    .locator(selector)
    .first()
    .textContent({ timeout: 120_000 })
    .then(
      (t) => (t ?? '').trim(),
      () => '',
    );

test('<sp-shader-explorer> alone in a page lists its kernels, times them and shows their source', async () => {
  const page = await pageWith('explorer-alone.html', '<sp-shader-explorer></sp-shader-explorer>');
  // The shipped files show at once; the step's kernels once the network is built on the device.
  await page.locator('sp-shader-explorer [data-testid="kernel-row"]').first().waitFor({ timeout: 120_000 });
  assert.ok((await page.locator('sp-shader-explorer [data-testid="family-tab"]').count()) >= 4, 'the step runs several kernel files');
  // The element trains on its own device, so the profiler gets per-kernel times.
  await poll(
    'per-kernel times',
    () => text(page, 'sp-shader-explorer [data-testid="step-time"]'),
    (t) => /\d/.test(t),
    120_000,
  );
  assert.doesNotMatch(await text(page, 'sp-shader-explorer'), /Loading kernels/);
  // Removed, it stops and frees its device; re-added, it starts again.
  await page.evaluate(() => {
    window.__explorer = document.querySelector('sp-shader-explorer');
    window.__explorer.remove();
  });
  await poll('the explorer released', () => page.evaluate(() => window.__explorer.api === null), Boolean);
  await page.evaluate(() => document.body.append(window.__explorer));
  await page.locator('sp-shader-explorer [data-testid="kernel-row"]').first().waitFor({ timeout: 120_000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('<sp-gan> moved keeps its GAN; removed and re-added, it builds a new one', async () => {
  const page = await pageWith('gan-alone.html', '<div id="a"><sp-gan backend="cpu"></sp-gan></div><div id="b"></div>');
  const backend = () => text(page, 'sp-gan [data-testid="gan-backend"]');
  await poll('the GAN built', backend, (t) => t.startsWith('CPU'), 180_000);
  const ganId = () => page.evaluate(() => document.querySelector('sp-gan').gan.id);
  const first = await ganId();
  await page.evaluate(() => document.getElementById('b').append(document.querySelector('sp-gan')));
  await poll('the GAN after a move', ganId, (id) => id !== null);
  assert.equal(await ganId(), first, 'a move keeps the GAN');
  await page.evaluate(() => {
    window.__gan = document.querySelector('sp-gan');
    window.__gan.remove();
  });
  await poll(
    'the GAN released',
    () => page.evaluate(() => window.__gan.gan.status),
    (s) => s === 'idle',
  );
  await page.evaluate(() => document.getElementById('a').append(window.__gan));
  await poll('a new GAN', ganId, (id) => id !== null && id !== first, 180_000);
  await page.locator('sp-gan [data-testid="gan-toggle"]').click();
  await poll(
    'GAN iterations',
    () => text(page, 'sp-gan [data-testid="gan-iteration"]'),
    (t) => Number(t) > 0,
    180_000,
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** The epoch a playground shows. */
const epochOf = (page, selector) => text(page, `${selector} [data-testid="epoch"]`).then(Number);

test('<sp-playground> created from script after load trains; moved, it trains on; removed and re-added, it builds and trains again', async () => {
  const page = await pageWith('playground-alone.html', '<div id="a"></div><div id="b"></div>');
  await page.waitForFunction(() => customElements.get('sp-playground') !== undefined);
  await page.evaluate(() => {
    const el = document.createElement('sp-playground');
    el.setAttribute('dataset', 'xor');
    el.setAttribute('layers', '4');
    el.setAttribute('epochs', '5000');
    el.setAttribute('controls', 'status');
    document.getElementById('a').append(el);
  });
  await poll(
    'built',
    () => text(page, 'sp-playground [data-testid="backend"]'),
    (t) => t.startsWith('WebGPU') || t.startsWith('CPU'),
    180_000,
  );
  // Moved before training (as a tab widget does): its Train button still trains.
  await page.evaluate(() => document.getElementById('b').append(document.querySelector('sp-playground')));
  await page.locator('sp-playground [data-testid="train-toggle"]').click();
  await poll(
    'epochs after a move',
    () => epochOf(page, 'sp-playground'),
    (n) => n >= 3,
    180_000,
  );
  // Moved while training: it keeps training.
  const before = await epochOf(page, 'sp-playground');
  await page.evaluate(() => document.getElementById('a').append(document.querySelector('sp-playground')));
  await poll(
    'epochs after a second move',
    () => epochOf(page, 'sp-playground'),
    (n) => n >= before + 3,
    180_000,
  );
  // Removed (its session freed) and re-added: built again, and Train trains.
  await page.evaluate(() => {
    window.__pg = document.querySelector('sp-playground');
    window.__pg.remove();
  });
  await poll(
    'released',
    () => page.evaluate(() => globalThis[Symbol.for('shaderprop.engine')].gpuMemory().then((m) => m.sessions)),
    (n) => n === 0,
    60_000,
  );
  await page.evaluate(() => document.getElementById('b').append(window.__pg));
  await poll(
    'rebuilt',
    () => text(page, 'sp-playground [data-testid="train-toggle"]'),
    (t) => t.includes('Train'),
    180_000,
  );
  await poll(
    'a session again',
    () => page.evaluate(() => globalThis[Symbol.for('shaderprop.engine')].gpuMemory().then((m) => m.sessions)),
    (n) => n === 1,
    180_000,
  );
  const rebuilt = await epochOf(page, 'sp-playground');
  await page.locator('sp-playground [data-testid="train-toggle"]').click();
  await poll(
    'epochs after re-adding',
    () => epochOf(page, 'sp-playground'),
    (n) => n >= rebuilt + 3,
    180_000,
  );
  assert.equal(await page.evaluate(() => globalThis[Symbol.for('shaderprop.engine')].workers()), 1, 'one worker all along');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('<sp-loss-view> and <sp-boundary-view> created before their playground follow it once it is added', async () => {
  const page = await pageWith('views-alone.html', '');
  await page.waitForFunction(() => customElements.get('sp-loss-view') !== undefined);
  await page.evaluate(() => {
    for (const tag of ['sp-loss-view', 'sp-boundary-view']) {
      const view = document.createElement(tag);
      view.setAttribute('for', 'later');
      document.body.append(view);
    }
  });
  await poll(
    'the loss view says what is missing',
    () => text(page, 'sp-loss-view p.muted'),
    (t) => t.includes('No playground with id "later"'),
  );
  await page.evaluate(() => {
    const el = document.createElement('sp-playground');
    el.id = 'later';
    for (const [k, v] of Object.entries({ dataset: 'circles', layers: '6', controls: 'status', autoplay: '' })) el.setAttribute(k, v);
    document.body.prepend(el);
  });
  await poll(
    'the loss view draws the run',
    () => page.evaluate(() => document.querySelector('sp-loss-view').shadowRoot.querySelector('sp-loss-chart')?.history?.length ?? 0),
    (n) => n >= 2,
    180_000,
  );
  await poll(
    'the boundary view draws the grid',
    () => page.evaluate(() => document.querySelector('sp-boundary-view').shadowRoot.querySelector('sp-decision-boundary')?.grid != null),
    Boolean,
    180_000,
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('<sp-sweep> alone in a page runs its sweep in the shared worker', async () => {
  const page = await pageWith(
    'sweep-alone.html',
    '<sp-sweep config="dataset=iris&amp;layers=8&amp;epochs=3" sweep="grid;budget:3;seed:1;metric:accuracy;lr:0.001~0.1x3;rep:1"></sp-sweep>',
  );
  const start = page.locator('sp-sweep [data-testid="sweep-start"]');
  await poll('Start enabled', () => start.isEnabled(), Boolean, 60_000);
  await start.click();
  await poll(
    'the sweep finished',
    () => text(page, 'sp-sweep [data-testid="sweep-progress"]'),
    (t) => /^(\d+)\/\1$/.test(t),
    300_000,
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});
