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
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><script type="module" src="./shaderprop.js"></script><body>${body}</body>` }),
  );
  await page.goto(new URL(path, env.server.url).href);
  return page;
}

const text = (page, selector) => page.locator(selector).first().textContent({ timeout: 120_000 }).then((t) => (t ?? '').trim(), () => '');

test('<sp-shader-explorer> alone in a page lists its kernels, times them and shows their source', async () => {
  const page = await pageWith('explorer-alone.html', '<sp-shader-explorer></sp-shader-explorer>');
  await page.locator('sp-shader-explorer [data-testid="family-tab"]').first().waitFor({ timeout: 120_000 });
  assert.ok((await page.locator('sp-shader-explorer [data-testid="family-tab"]').count()) >= 4, 'the step runs several kernel files');
  // The element trains on its own device, so the profiler gets per-kernel times.
  await poll('per-kernel times', () => text(page, 'sp-shader-explorer [data-testid="step-time"]'), (t) => /\d/.test(t), 120_000);
  assert.doesNotMatch(await text(page, 'sp-shader-explorer'), /Loading kernels/);
  // Removed, it stops and frees its device; re-added, it starts again.
  await page.evaluate(() => {
    window.__explorer = document.querySelector('sp-shader-explorer');
    window.__explorer.remove();
  });
  await poll('the explorer released', () => page.evaluate(() => window.__explorer.api === null), Boolean);
  await page.evaluate(() => document.body.append(window.__explorer));
  await page.locator('sp-shader-explorer [data-testid="family-tab"]').first().waitFor({ timeout: 120_000 });
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
  await poll('the GAN released', () => page.evaluate(() => window.__gan.gan.status), (s) => s === 'idle');
  await page.evaluate(() => document.getElementById('a').append(window.__gan));
  await poll('a new GAN', ganId, (id) => id !== null && id !== first, 180_000);
  await page.locator('sp-gan [data-testid="gan-toggle"]').click();
  await poll('GAN iterations', () => text(page, 'sp-gan [data-testid="gan-iteration"]'), (t) => Number(t) > 0, 180_000);
  assert.deepEqual(page.errors, []);
  await page.close();
});
