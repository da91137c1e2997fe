// Issue 28, "ready in a second": with Auto, a widget trains on the CPU as soon as its model exists
// and draws the untrained network's boundary before Train, while the GPU device, its pipelines and
// the timed trial run behind it. Times are the benchmark's business (`npm run bench -- --workloads
// ready`); this checks the order of things and what the page says, cold and warm.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

const SPIRAL = '#dataset=spiral&layers=8,8&activation=tanh&epochs=30&seed=3';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** The `backend` status's data-state and text. */
async function backend(page) {
  const el = page.locator('[data-testid="backend"]');
  return { state: await el.getAttribute('data-state', { timeout: 1000 }).catch(() => null), text: ((await el.textContent().catch(() => '')) ?? '').trim() };
}

/** Waits until Auto's trial line says where its figures come from (its title: "measured on this device…" or "measured earlier…"). */
function trialSays(page, what, pattern) {
  const title = () =>
    page
      .locator('[data-testid="backend-trial"]')
      .getAttribute('title', { timeout: 1000 })
      .catch(() => '');
  return poll(what, title, (t) => pattern.test(t ?? ''), 120_000);
}

/** A page of its own context's (a visit with its own storage, or a later one sharing it). */
async function visit(context, path) {
  const page = env.watch(await context.newPage());
  await page.goto(new URL(path, env.server.url).href);
  return page;
}

test('Auto: the CPU trains at once, the boundary is drawn before Train, the trial decides behind and is remembered', async () => {
  const context = await env.browser.newContext();
  const page = await visit(context, `index.html${SPIRAL}`);
  const toggle = page.locator('[data-testid="train-toggle"]');
  await poll('Train enabled', () => toggle.isEnabled(), Boolean, 60_000);
  const first = await backend(page);
  // A software adapter's trial takes seconds: the page is trainable long before it ends.
  assert.ok(['trial', 'cpu', 'webgpu'].includes(first.state), `backend state at ready: ${JSON.stringify(first)}`);
  const view = page.locator('sp-decision-boundary');
  await poll('the untrained boundary, before Train', () => view.evaluate(async (el) => el.grid !== null && (await el.updateComplete)), Boolean, 30_000);
  assert.equal(await waitForText(page, 'epoch', () => true), '0', 'nothing trained yet');
  const settled = await poll(
    'the trial to decide',
    () => backend(page),
    (b) => b.state === 'cpu' || b.state === 'webgpu',
    120_000,
  );
  const note = await waitForText(page, 'backend-note', (t) => t.length > 0);
  assert.match(note, settled.state === 'webgpu' ? /^WebGPU, [\d.]+× faster than the CPU here\.$/ : /^The CPU is faster than WebGPU here/);
  await trialSays(page, 'a trial measured now', /^measured on this device/);
  await toggle.click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 5);
  assert.equal((await backend(page)).state, settled.state, 'the decided backend trains');
  await page.close();

  // The second visit recalls the trial instead of timing both backends again.
  const again = await visit(context, `index.html${SPIRAL}`);
  await trialSays(again, 'the recalled trial', /^measured earlier/);
  assert.equal((await backend(again)).state, settled.state);
  // Forgetting it is a button away.
  await again.locator('[data-testid="forget-trials"]').click();
  await waitForText(again, 'notice', (t) => t.includes('forgotten'));
  await again.reload();
  await trialSays(again, 'a fresh trial', /^measured on this device/);
  assert.deepEqual([...page.errors, ...again.errors], []);
  await context.close();
});

test("a post's linked boundary view draws the untrained model before anyone presses Train", async () => {
  const page = await env.newPage('blog.html');
  const view = page.locator('sp-boundary-view sp-decision-boundary').first();
  await poll('the linked view to draw its grid', () => view.evaluate((el) => el.grid !== null).catch(() => false), Boolean, 60_000);
  assert.equal(await page.locator('[data-testid="epoch"]').first().textContent(), '0');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('MNIST shows its progress and the first digits while the rest of its files load', async () => {
  const context = await env.browser.newContext();
  // The test images wait until the page has been seen loading: the order of things, not a race.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await context.route('**/mnist-test-images.gz', async (route) => {
    await held;
    await route.continue();
  });
  const page = await visit(context, 'index.html#dataset=mnist&layers=32&epochs=1&size=2000');
  const progress = page.locator('[data-testid="load-progress"]');
  const label = () =>
    page
      .locator('sp-load-progress label')
      .textContent({ timeout: 1000 })
      .catch(() => '');
  await poll('the loading view at the held test images', label, (t) => /Loading MNIST: test images, [\d.]+ of [\d.]+ MB/.test(t), 60_000);
  assert.ok((await progress.evaluate((p) => p.value / p.max)) > 0.8, 'the training files are counted in');
  const samples = page.locator('[data-testid="load-samples"]');
  // 16 digits drawn: ink (dark pixels) on the white grid.
  const inked = () =>
    samples.evaluate((el) => {
      const canvas = el.shadowRoot.querySelector('canvas');
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
      return dark;
    });
  assert.ok((await poll('the first digits drawn', inked, (n) => n > 100, 30_000)) > 100);
  assert.equal(await page.locator('[data-testid="train-toggle"]').isEnabled(), false, 'not trainable before its data is in');
  release();
  await poll('Train enabled', () => page.locator('[data-testid="train-toggle"]').isEnabled(), Boolean, 120_000);
  assert.equal(await progress.count(), 0, 'the loading view goes once the model exists');
  assert.deepEqual(page.errors, []);
  await context.close();
});
