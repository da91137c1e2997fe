// Widgets fit a blog's column (issue 16): inside a container 360, 680 and 1,280 px wide, in a
// window wider than all of them, no element is wider than its container and nothing scrolls
// sideways. The layout follows the widget's width (container queries), not the window's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll } from './browser.mjs';
import { findOverflows } from './measure-overflow.mjs';
import { settledMeasure } from './settle.mjs';
import { openAllDetails } from './ui-pages.mjs';

/** Column widths measured, in px: a phone, a blog's column, a wide page. */
export const COLUMN_WIDTHS = [360, 680, 1280];

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** Every widget of the authors' table, and the compact form, in one column of the post. */
const POST = `
  <div id="col" style="margin: 0 auto">
    <sp-playground id="full" dataset="spiral" layers="8,8" seed="3" config="backend=cpu"></sp-playground>
    <sp-playground id="compact" dataset="iris" layers="16" seed="42" layout="compact" config="backend=cpu"></sp-playground>
    <sp-loss-view for="compact" metric="accuracy"></sp-loss-view>
    <sp-boundary-view for="full"></sp-boundary-view>
    <sp-sweep config="dataset=iris&amp;layers=8" sweep="grid;budget:3;seed:1;metric:accuracy;lr:0.001~0.1x3;rep:1"></sp-sweep>
    <sp-boosting config="dataset=moons&amp;backend=cpu"></sp-boosting>
    <sp-stacking config="dataset=iris&amp;backend=cpu"></sp-stacking>
    <sp-gan backend="cpu" iterations="10"></sp-gan>
    <sp-shader-explorer></sp-shader-explorer>
  </div>`;

/** The width of the column's widest widget, in px (self-contained for page.evaluate). */
const widestWidget = () => Math.max(...[...document.getElementById('col').children].map((el) => el.getBoundingClientRect().width));
/** The number of grid columns of the full playground's layout (self-contained for page.evaluate). */
const playgroundColumns = () => getComputedStyle(document.querySelector('#full').shadowRoot.querySelector('.layout')).gridTemplateColumns.split(' ').length;

const text = (page, selector) =>
  page
    .locator(selector)
    .first()
    .textContent({ timeout: 5_000 })
    .then(
      (t) => (t ?? '').trim(),
      () => '',
    );

test(`every widget fits a column of ${COLUMN_WIDTHS.join(', ')} px`, async () => {
  const page = env.watch(await env.browser.newPage({ viewport: { width: 1400, height: 900 } }));
  await page.route('**/column.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>column</title><link rel="icon" href="./favicon.svg"><script type="module" src="./shaderprop.js"></script><body>${POST}</body></html>`,
    }),
  );
  await page.goto(new URL('column.html', env.server.url).href);
  for (const id of ['full', 'compact'])
    await poll(
      `${id} built`,
      () => text(page, `#${id} [data-testid="backend"]`),
      (t) => t.startsWith('CPU'),
      180_000,
    );
  await page.locator('#compact [data-testid="train-toggle"]').click();
  await poll(
    'compact epochs',
    () => text(page, '#compact [data-testid="epoch"]').then(Number),
    (n) => n >= 2,
    180_000,
  );
  await poll(
    'the GAN built',
    () => text(page, 'sp-gan [data-testid="gan-backend"]'),
    (t) => t.startsWith('CPU'),
    180_000,
  );
  // The step's kernel list: the explorer is built on its device (its sources show before that).
  await page.locator('sp-shader-explorer [data-testid="kernel-row"]').first().waitFor({ timeout: 180_000 });
  // The compact form shows training, charts and boundary only.
  assert.equal(await page.locator('#compact sp-dataset-picker').count(), 0, 'layout=compact hides the setup');
  await openAllDetails(page);
  const report = [];
  for (const width of COLUMN_WIDTHS) {
    await page.evaluate((w) => (document.getElementById('col').style.width = `${w}px`), width);
    const [found, widest] = await settledMeasure(page, [findOverflows, widestWidget]);
    console.log(`column ${width} px: ${found.length} overflowing, widest widget ${Math.round(widest)} px`);
    report.push(...found.map((f) => `${width} px: ${f}`));
    if (widest > width + 1) report.push(`${width} px: a widget is ${widest} px wide`);
  }
  // The full playground laid out by its own width: one column at 680 px although the window is 1,400 px.
  await page.evaluate(() => (document.getElementById('col').style.width = '680px'));
  const [columns] = await settledMeasure(page, [playgroundColumns]);
  assert.equal(columns, 1, 'a 680-px playground has one column');
  assert.deepEqual(report, [], `overflowing elements:\n${report.join('\n')}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});
