// Nothing overflows: every element of every page, in its trained state, measured at each width,
// and no chart label is cut off at its canvas's edge.
// A table may scroll sideways only inside a labelled scroll region (role=region, aria-label,
// tabindex=0). Add a width to WIDTHS to measure it too (e.g. a blog's 680-px column).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser } from './browser.mjs';
import { findClippedChartText, findOverflows } from './measure-overflow.mjs';
import { cpuOnlyBrowser, openAllDetails, UI_PAGES } from './ui-pages.mjs';

/** Viewport widths measured, in px: a phone, a tablet, a laptop. */
export const WIDTHS = [360, 768, 1280];
const HEIGHT = 900;

let env;
/** A browser without WebGPU, started for the pages that need one. */
let cpuOnly = null;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await cpuOnly?.close();
  await env?.close();
});

/** The browser a page of UI_PAGES opens in. */
async function browserFor(spec) {
  if (!spec.noGpu) return env.browser;
  cpuOnly ??= await cpuOnlyBrowser();
  return cpuOnly;
}

/** Lets layout, ResizeObservers (charts) and their redraws settle after a resize. */
async function settle(page) {
  for (let i = 0; i < 3; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
}

for (const spec of UI_PAGES) {
  test(`${spec.name}: no element overflows at ${WIDTHS.join(', ')} px`, async () => {
    const page = await (await browserFor(spec)).newPage({ viewport: { width: 1280, height: HEIGHT } });
    await page.goto(new URL(spec.path, env.server.url).href);
    await spec.train(page);
    await openAllDetails(page);
    const report = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      await settle(page);
      const found = [...(await page.evaluate(findOverflows)), ...(await page.evaluate(findClippedChartText))];
      console.log(`overflow ${spec.name} @ ${width} px: ${found.length}`);
      report.push(...found.map((f) => `${width} px: ${f}`));
    }
    assert.deepEqual(report, [], `overflowing elements on ${spec.name}:\n${report.join('\n')}`);
    assert.deepEqual(env.errors, []);
    await page.close();
  });
}
