// The 2-D GAN lab on the built gan.html: switched to from the MNIST lab, trained a few hundred
// iterations, its figures read, points drawn, the samples downloaded as CSV, and two seeds compared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

test('gan.html switches to the 2-D lab, trains, shows KL, JS and modes, takes a drawing, downloads the samples and compares two seeds', async () => {
  // Opened in 2-D mode by its hash key (opened plain, the MNIST lab would first load MNIST into
  // the worker the 2-D lab then waits behind); the select's way back and forth is checked at the end.
  const page = await env.newPage('gan.html#mode=2d');
  assert.equal(await page.locator('[data-testid="gan2d-mode"]').inputValue(), '2d');
  // The CPU backend: nothing to time, and the fastest for networks this small on a software adapter.
  await page.locator('[data-testid="gan2d-backend-choice"]').selectOption('cpu');
  await waitForText(page, 'gan2d-backend', (t) => t.startsWith('CPU'), 60_000);
  await page.locator('[data-testid="gan2d-toggle"]').click();
  await waitForText(page, 'gan2d-iteration', (t) => Number(t) >= 300, 60_000);
  await page.locator('[data-testid="gan2d-toggle"]').click();
  await waitForText(page, 'gan2d-toggle', (t) => t.includes('Play'), 30_000);
  await waitForText(page, 'gan2d-modes', (t) => /^\d+\/8$/.test(t), 30_000);
  for (const id of ['gan2d-kl', 'gan2d-js']) assert.ok(Number.isFinite(Number(await waitForText(page, id, (t) => t !== '–', 30_000))), id);
  // On the ring, the modes and quality are charted over the frames too.
  await page.locator('[data-testid="gan2d-chart-modes"]').waitFor({ timeout: 10_000 });
  // Draw 10 points in one stroke: the lab trains on them and the link holds them.
  await page.locator('[data-testid="gan2d-draw"]').click();
  const canvas = page.locator('[data-testid="gan2d-canvas"]');
  // Clicking the button may have scrolled the page: the stroke goes where the canvas is now.
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * (0.2 + 0.05 * i), box.y + box.height * (0.5 - 0.02 * i));
  await page.mouse.up();
  await poll(
    'the drawing in the link',
    () => page.url(),
    (url) => /data=drawn/.test(url) && /drawn=/.test(url),
    30_000,
  );
  await waitForText(page, 'gan2d-modes', (t) => t.includes('drawing has no modes'), 30_000);
  const download = page.waitForEvent('download');
  await page.locator('[data-testid="gan2d-samples-csv"]').click();
  const csv = readFileSync(await (await download).path(), 'utf8')
    .trim()
    .split('\n');
  assert.equal(csv[0], 'x,y,kind');
  assert.equal(csv.filter((l) => l.endsWith(',real')).length, 512);
  assert.equal(csv.filter((l) => l.endsWith(',fake')).length, 512);
  // Compare mode on the same page: 2 seeds of the drawn GAN side by side, played a moment, each with its figures.
  await page.locator('[data-testid="gan2d-compare"]').check();
  await page.locator('[data-testid="gan2d-compare-count"]').fill('2');
  await page.locator('[data-testid="gan2d-compare-count"]').blur();
  await poll(
    '2 variants',
    () => page.locator('[data-testid="gan2d-variant"]').count(),
    (n) => n === 2,
    30_000,
  );
  assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('compare'), 'seed:2');
  await page.locator('[data-testid="gan2d-compare-toggle"]').click();
  await waitForText(page, 'gan2d-compare-status', (t) => Number(/Iteration (\d+)/.exec(t)?.[1]) >= 100, 60_000);
  await page.locator('[data-testid="gan2d-compare-toggle"]').click();
  await waitForText(page, 'gan2d-compare-toggle', (t) => t.includes('Play'), 30_000);
  for (const js of await page.locator('[data-testid="gan2d-variant-js"]').all()) {
    assert.ok(
      Number.isFinite(
        Number(
          await poll(
            "a variant's JS",
            () => js.textContent(),
            (t) => t !== '–',
            10_000,
          ),
        ),
      ),
    );
  }
  // The switch: the MNIST lab replaces the 2-D one and the hash drops mode=2d but keeps the drawing.
  await page.locator('[data-testid="gan2d-mode"]').selectOption('mnist');
  await page.locator('sp-gan').waitFor({ state: 'attached' });
  assert.equal(await page.locator('sp-gan-2d').count(), 0);
  assert.doesNotMatch(new URL(page.url()).hash, /mode=2d/);
  assert.match(new URL(page.url()).hash, /data=drawn/);
  await page.locator('[data-testid="gan2d-mode"]').selectOption('2d');
  await page.locator('sp-gan-2d').waitFor({ state: 'attached' });
  assert.match(new URL(page.url()).hash, /mode=2d/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
