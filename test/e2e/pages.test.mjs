// Every page in its trained state, opened and trained once for all of these checks:
// - nothing overflows: every element measured at each width, and no chart label cut off at its
//   canvas's edge. A table may scroll sideways only inside a labelled scroll region (role=region,
//   aria-label, tabindex=0). Add a width to WIDTHS to measure it too (e.g. a blog's 680-px column);
// - accessibility (WCAG 2.2 AA as axe-core checks it) in the light and the dark theme. axe-core
//   comes from node_modules (never a CDN) and is injected through the browser's devtools channel,
//   which the pages' Content-Security-Policy does not apply to;
// - the console stays clean.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { openBrowser } from './browser.mjs';
import { findClippedChartText, findOverflows } from './measure-overflow.mjs';
import { settledMeasure } from './settle.mjs';
import { cpuOnlyBrowser, openAllDetails, openRecordingPage, UI_PAGES } from './ui-pages.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const THEMES = ['light', 'dark'];
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

/** axe's violations, each as "impact id: help (n nodes: first targets)". */
async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 4).map((n) => n.target.join(' >>> ')) }));
  }, TAGS);
  return violations;
}

/** What overflows at `width`, once the layout has settled, as readable lines. */
async function overflowsAt(page, name, width) {
  await page.setViewportSize({ width, height: HEIGHT });
  const found = (await settledMeasure(page, [findOverflows, findClippedChartText])).flat();
  console.log(`overflow ${name} @ ${width} px: ${found.length}`);
  return found.map((f) => `${width} px: ${f}`);
}

for (const spec of UI_PAGES) {
  test(`${spec.name}: nothing overflows at ${WIDTHS.join(', ')} px, axe finds no serious or critical violation, light and dark, and the console stays clean`, async () => {
    const { page, consoleErrors } = await openRecordingPage(await browserFor(spec), new URL(spec.path, env.server.url).href);
    await spec.train(page);
    await openAllDetails(page);

    const overflows = [];
    for (const width of WIDTHS) overflows.push(...(await overflowsAt(page, spec.name, width)));

    await page.setViewportSize({ width: 1280, height: HEIGHT });
    const failures = [];
    for (const colorScheme of THEMES) {
      await page.emulateMedia({ colorScheme });
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), colorScheme === 'dark');
      const violations = await axeViolations(page);
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      console.log(
        `axe ${spec.name} ${colorScheme}: ${serious.length} serious or critical, ${violations.length - serious.length} moderate or minor${violations.length ? ` (${violations.map((v) => `${v.impact} ${v.id}`).join(', ')})` : ''}`,
      );
      failures.push(...serious.map((v) => `${colorScheme}: ${v.impact} ${v.id}: ${v.help} (${v.targets.join(' | ')})`));
    }
    console.log(`console errors ${spec.name} (chromium): ${consoleErrors.length}`);
    assert.deepEqual(overflows, [], `overflowing elements on ${spec.name}:\n${overflows.join('\n')}`);
    assert.deepEqual(failures, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
}
