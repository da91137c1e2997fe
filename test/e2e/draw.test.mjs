// Issue 29, "your own data", on the built pages: a person draws a data set on the data plot with
// the mouse, is told when it is too small, trains on it, and gets it back from the link; and
// the drawing controls work in an embedded widget in a phone-wide column, light and dark.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';
import { findOverflows } from './measure-overflow.mjs';
import { settledMeasure } from './settle.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** Viewport pixels of plot point (x1, x2) on the drawing plane of `scope` (a CSS selector). */
async function planeAt(page, scope = '') {
  const plane = page.locator(`${scope} [data-testid="draw-plane"]`.trim());
  await plane.scrollIntoViewIfNeeded();
  const box = await plane.boundingBox();
  return (x1, x2) => [box.x + ((x1 + 1.5) / 3) * box.width, box.y + ((1.5 - x2) / 3) * box.height];
}

const text = async (page, selector) => ((await page.locator(selector).first().textContent({ timeout: 10_000 })) ?? '').trim();
const pointsIn = (label) => Number(/(\d+) data points/.exec(label)?.[1]);

test('a drawing made with the mouse is refused while too small, then trains, and its link brings it back', async () => {
  const page = env.watch(await env.browser.newPage({ viewport: { width: 1300, height: 1500 } }));
  await page.goto(new URL('index.html#dataset=spiral&layers=8,8&epochs=5&seed=3&backend=cpu', env.server.url).href);
  await waitForText(page, 'backend', (t) => t.startsWith('CPU'));
  const spiralPlot = await page.locator('[data-testid="boundary"]').getAttribute('aria-label');

  // "Draw your own" in the data menu starts draw mode on an empty plane; the spiral stays in use.
  await page.locator('[data-testid="dataset-name"]').selectOption('drawn');
  await poll(
    'draw mode',
    () => page.locator('[data-testid="draw-data"]').getAttribute('aria-pressed'),
    (v) => v === 'true',
    10_000,
  );
  let at = await planeAt(page);
  for (let i = 0; i < 6; i++) await page.mouse.click(...at(-1 + i * 0.35, 0.9));
  assert.equal(await text(page, '[data-testid="draw-count"]'), '6 points · 1 class (at most 500).');
  await page.locator('[data-testid="draw-data"]').click();
  assert.equal(await text(page, '[data-testid="draw-message"]'), 'Draw at least 10 points to train on (6 so far).');
  assert.equal(await page.locator('[data-testid="draw-data"]').getAttribute('aria-pressed'), 'true', 'still drawing');
  assert.match(await page.evaluate(() => location.hash), /dataset=spiral/, 'the spiral is still the data in use');

  // A drag of class 1: points every few pixels' worth of plot, not one per mouse move.
  await page.locator('[data-testid="draw-class-1"]').click();
  await page.mouse.move(...at(-1, -0.8));
  await page.mouse.down();
  for (let i = 0; i <= 50; i++) await page.mouse.move(...at(-1 + i * 0.04, -0.8 + 0.3 * Math.sin(i / 6)));
  await page.mouse.up();
  const drawn = Number(/^(\d+) points · 2 classes/.exec(await text(page, '[data-testid="draw-count"]'))?.[1]);
  assert.ok(drawn > 6 + 15 && drawn < 6 + 40, `a 2-unit drag adds about 25 points, not 51: ${drawn - 6}`);
  assert.equal(await page.locator('[data-testid="draw-message"]').count(), 0, 'the message goes once the drawing can be trained on');
  // A right-click erases the nearest point.
  await page.mouse.click(...at(-1 + 0.35, 0.9), { button: 'right' });
  assert.match(await text(page, '[data-testid="draw-count"]'), new RegExp(`^${drawn - 1} points`));

  await page.locator('[data-testid="draw-data"]').click();
  await poll(
    'drawn= in the link',
    () => page.evaluate(() => location.hash),
    (h) => /dataset=drawn&drawn=c[A-Za-z0-9_-]+&/.test(h),
    30_000,
  );
  await waitForText(page, 'backend', (t) => t.startsWith('CPU'));
  const plot = await page.locator('[data-testid="boundary"]').getAttribute('aria-label');
  assert.notEqual(plot, spiralPlot);
  assert.equal(pointsIn(plot), drawn - 1, 'the session trains on exactly the points drawn');
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => t === '5 / 5' || t === '5');
  assert.match(await text(page, '[data-testid="test-accuracy"]'), /^\d/);

  // The link alone brings the same drawing back.
  const link = page.url();
  const again = env.watch(await env.browser.newPage({ viewport: { width: 1300, height: 1500 } }));
  await again.goto(link);
  await waitForText(again, 'backend', (t) => t.startsWith('CPU'));
  assert.equal(pointsIn(await again.locator('[data-testid="boundary"]').getAttribute('aria-label')), drawn - 1);
  assert.equal(await again.locator('[data-testid="dataset-name"]').inputValue(), 'drawn');
  await again.locator('[data-testid="draw-data"]').click();
  assert.equal(await text(again, '[data-testid="draw-count"]'), `${drawn - 1} points · 2 classes (at most 500).`);
  assert.deepEqual([...page.errors, ...again.errors], []);
  await again.close();
  await page.close();
});

test('a drawing of values trains a regression, plotted as predicted values, and its link holds the values', async () => {
  const page = env.watch(await env.browser.newPage({ viewport: { width: 1300, height: 1500 } }));
  await page.goto(new URL('index.html#task=regression&dataset=plane&layers=8&epochs=3&seed=3&backend=cpu', env.server.url).href);
  await waitForText(page, 'backend', (t) => t.startsWith('CPU'));
  await page.locator('[data-testid="draw-data"]').click();
  assert.equal(await page.locator('[data-testid="draw-class-0"]').count(), 0, 'values, not classes');
  const at = await planeAt(page);
  const slider = page.locator('[data-testid="draw-value"]');
  for (let i = 0; i < 15; i++) {
    // The value of new points rises from left to right.
    await slider.evaluate(
      (el, v) => {
        el.value = String(v);
        el.dispatchEvent(new Event('change', { bubbles: true }));
      },
      ((i % 5) - 2) / 2,
    );
    await page.mouse.click(...at(-1.2 + (i % 5) * 0.6, -1 + Math.floor(i / 5) * 0.8));
  }
  assert.equal(await text(page, '[data-testid="draw-count"]'), '15 points (at most 500).');
  await page.locator('[data-testid="draw-data"]').click();
  await poll(
    'drawn=r in the link',
    () => page.evaluate(() => location.hash),
    (h) => /task=regression&dataset=drawn&drawn=r/.test(h),
    30_000,
  );
  await waitForText(page, 'backend', (t) => t.startsWith('CPU'));
  const label = await page.locator('[data-testid="boundary"]').getAttribute('aria-label');
  assert.match(label, /^Predicted value: .*; 15 data points$/);
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => t.startsWith('3'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an embedded widget draws in a 360-px column, light and dark, with nothing overflowing and no serious axe finding', async () => {
  const page = env.watch(await env.browser.newPage({ viewport: { width: 800, height: 1200 } }));
  await page.route('**/column.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>column</title><link rel="icon" href="./favicon.svg"><script type="module" src="./shaderprop.js"></script><body><main><div id="col" style="width:360px"><sp-playground id="w" layout="compact" dataset="moons" layers="6" epochs="3" config="backend=cpu"></sp-playground></div></main></body></html>`,
    }),
  );
  await page.goto(new URL('column.html', env.server.url).href);
  await poll(
    'the widget built',
    () => text(page, '#w [data-testid="backend"]').catch(() => ''),
    (t) => t.startsWith('CPU'),
    180_000,
  );
  await page.locator('#w [data-testid="draw-data"]').click();
  await page.locator('#w [data-testid="draw-from-data"]').click();
  const fromData = Number(/^(\d+) points/.exec(await text(page, '#w [data-testid="draw-count"]'))?.[1]);
  assert.ok(fromData > 100, `the moons' points copied: ${fromData}`);
  await page.locator('#w [data-testid="draw-clear"]').click();
  const at = await planeAt(page, '#w');
  for (let i = 0; i < 12; i++) {
    await page.locator(`#w [data-testid="draw-class-${i % 2}"]`).click();
    await page.mouse.click(...at(i % 2 ? 0.8 : -0.8, -1.2 + i * 0.2));
  }
  const axe = async () => {
    await page.evaluate(AXE_SOURCE);
    return page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' >>> ')).join(' | ')}`);
    });
  };
  const report = [];
  const backgrounds = [];
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const [found] = await settledMeasure(page, [findOverflows]);
    report.push(...found.map((f) => `${colorScheme}: ${f}`), ...(await axe()).map((f) => `${colorScheme} axe: ${f}`));
    backgrounds.push(await page.locator('#w [data-testid="draw-eraser"]').evaluate((b) => getComputedStyle(b).backgroundColor));
  }
  assert.deepEqual(report, []);
  assert.notEqual(backgrounds[0], backgrounds[1], 'the controls follow the theme');
  await page.locator('#w [data-testid="draw-data"]').click();
  await poll(
    'the widget rebuilt on the drawing',
    () =>
      page
        .locator('#w [data-testid="boundary"]')
        .getAttribute('aria-label', { timeout: 5_000 })
        .catch(() => ''),
    (label) => pointsIn(label) === 12,
    180_000,
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});
