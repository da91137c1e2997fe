// Successive halving on the built page (issue 32): picked in the Sweep panel's mode select, a
// small Iris grid pruned at each rung in the worker; the budget used against a full grid's, the
// chosen configuration's metric, the rungs chart drawn; the result fits a 360- and a 680-px column.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';
import { findOverflows } from './measure-overflow.mjs';
import { settledMeasure } from './settle.mjs';

// A small Iris network of 27 epochs; a grid of nine learning rates that halving prunes 9 → 3 → 1.
const IRIS = 'dataset=iris&layers=8&activation=relu&optimizer=adam&batch=16&epochs=27&seed=42&backend=cpu';
const GRID = 'grid;budget:64;seed:1;metric:accuracy;lr:0.001~1x9;rep:1';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** Pixels of a canvas that something was drawn on (self-contained for evaluate). */
const drawnPixels = (canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
};

test('halving picked in the Sweep panel prunes a 9-configuration Iris grid: used < full model-epochs, the best metric a number, the rungs drawn', async () => {
  const page = await env.newPage(`index.html#${IRIS}&sweep=${encodeURIComponent(GRID)}`);
  const start = page.locator('[data-testid="sweep-start"]');
  await poll('Start enabled', () => start.isEnabled(), Boolean);
  await page.locator('[data-testid="sweep-mode"]').selectOption('halving');
  await page.locator('[data-testid="sweep-eta"]').fill('3');
  await page.locator('[data-testid="sweep-eta"]').press('Tab');
  await page.locator('[data-testid="sweep-min-epochs"]').fill('3');
  await page.locator('[data-testid="sweep-min-epochs"]').press('Tab');
  await waitForText(page, 'sweep-halving-plan', (t) => t.startsWith('rungs 3 → 9 → 27 epochs (9, 3, 1 configurations), 63 of 243 model-epochs'));
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /sweep=halving;.*eta:3;min:3/);
  await poll('Start enabled for halving', () => start.isEnabled(), Boolean);
  await start.click();
  const used = await waitForText(page, 'sweep-budget-used', (t) => /^\d+\/\d+$/.test(t), 120_000);
  const [spent, full] = used.split('/').map(Number);
  assert.equal(full, 9 * 27);
  assert.ok(spent > 0 && spent < full, `used ${spent} of ${full} model-epochs`);
  const best = Number(await waitForText(page, 'sweep-best-metric', (t) => t !== ''));
  assert.ok(Number.isFinite(best) && best >= 0 && best <= 1, `the best validation accuracy is a number: ${best}`);
  const rungs = page.locator('[data-testid="sweep-rungs"]');
  assert.ok((await rungs.evaluate(drawnPixels)) > 0, 'the rungs chart is drawn');
  assert.match(await rungs.getAttribute('aria-label'), /rung 1 at 3 epochs: 9 trained; rung 2 at 9 epochs: 3 trained; rung 3 at 27 epochs: 1 trained/);
  const statuses = await page.locator('[data-testid="sweep-row"] td.status').allTextContents();
  assert.equal(statuses.filter((s) => s.includes('pruned after rung 1')).length, 6, statuses.join('; '));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a halving result fits a 360- and a 680-px column', async () => {
  const page = env.watch(await env.browser.newPage({ viewport: { width: 1400, height: 900 } }));
  await page.route('**/halving-column.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>column</title><link rel="icon" href="./favicon.svg"><script type="module" src="./shaderprop.js"></script><body><div id="col" style="margin: 0 auto; width: 680px"><sp-sweep config="${IRIS.replaceAll('&', '&amp;')}" sweep="halving;budget:64;seed:1;metric:accuracy;eta:3;min:3;lr:0.001~1x9;rep:1"></sp-sweep></div></body></html>`,
    }),
  );
  await page.goto(new URL('halving-column.html', env.server.url).href);
  const start = page.locator('[data-testid="sweep-start"]');
  await poll('Start enabled', () => start.isEnabled(), Boolean);
  await start.click();
  await waitForText(page, 'sweep-budget-used', (t) => /^\d+\/\d+$/.test(t), 120_000);
  const report = [];
  for (const width of [360, 680]) {
    await page.evaluate((w) => (document.getElementById('col').style.width = `${w}px`), width);
    const [found] = await settledMeasure(page, [findOverflows]);
    report.push(...found.map((f) => `${width} px: ${f}`));
  }
  assert.deepEqual(report, [], `overflowing elements:\n${report.join('\n')}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});
