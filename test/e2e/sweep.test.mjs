// The playground's Sweep panel (issue 15): 64 Iris configurations trained together in the worker,
// the table, the parallel coordinates, the chosen configuration's link and test score, the sweep in
// the URL, a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

// The article's Iris network, 200 epochs; the sweep varies the learning rate over 64 values.
const IRIS = 'dataset=iris&layers=64,64&activation=relu&optimizer=adam&batch=32&epochs=200&seed=42';
const SWEEP = 'grid;budget:64;seed:1;metric:accuracy;lr:0.0001~3x64;rep:1';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

test('a 64-configuration Iris sweep of 200 epochs trains in the worker, ranks every row and scores only the best on test', async () => {
  const page = await env.newPage(`index.html#${IRIS}&sweep=${encodeURIComponent(SWEEP)}`);
  const start = page.locator('[data-testid="sweep-start"]');
  await poll('Start enabled', () => start.isEnabled(), Boolean);
  const began = Date.now();
  await start.click();
  // A hang guard, not a speed check: the time is reported below (the goal is under 60 s).
  await waitForText(page, 'sweep-progress', (t) => t === '64/64', 900_000);
  await poll(
    'every row in the table',
    () => page.locator('[data-testid="sweep-row"]').count(),
    (n) => n === 64,
    60_000,
  );
  const seconds = (Date.now() - began) / 1000;
  // The parallel coordinates draw one line per configuration (issue 32).
  await poll(
    'a line per configuration in the parallel coordinates',
    () => page.locator('[data-testid="sweep-parallel"]').getAttribute('data-lines'),
    (n) => n === '64',
  );
  const backend = await page.locator('[data-testid="sweep-backend"]').textContent();
  console.log(`# sweep: 64 Iris configurations × 200 epochs in ${seconds.toFixed(1)} s on ${backend}`);
  const best = page.locator('[data-testid="sweep-best"]');
  const href = await best.getAttribute('href');
  assert.match(href, /dataset=iris/);
  assert.match(href, /lr=/);
  const testAccuracy = await waitForText(page, 'sweep-test-accuracy', (t) => /\d/.test(t));
  assert.ok(Number(testAccuracy.match(/[\d.]+/)[0]) > 0, `a test score for the chosen configuration: ${testAccuracy}`);
  // The sweep's settings stay in the hash, so the link replays the sweep.
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /sweep=grid;budget:64;.*lr:0\.0001~3x64/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a reload mid-sweep keeps the settings and says the sweep stopped', async () => {
  const page = await env.newPage(`index.html#${IRIS}&sweep=${encodeURIComponent('grid;budget:64;seed:1;metric:accuracy;lr:0.001~0.1x8;rep:1')}`);
  const start = page.locator('[data-testid="sweep-start"]');
  await poll('Start enabled', () => start.isEnabled(), Boolean);
  await start.click();
  await waitForText(page, 'sweep-progress', (t) => /\/8$/.test(t));
  await page.reload();
  await waitForText(page, 'sweep-messages', (t) => t.includes('still running'));
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /lr:0\.001~0\.1x8/);
  // Start runs it again.
  await poll('Start enabled again', () => page.locator('[data-testid="sweep-start"]').isEnabled(), Boolean);
  assert.deepEqual(page.errors, []);
  await page.close();
});
