// Accessibility (WCAG 2.2 AA as axe-core checks it) of every page in its trained state, in the
// light and the dark theme; keyboard use of the playground; its live region. axe-core comes from
// node_modules (never a CDN) and is injected through the browser's devtools channel, which the
// pages' Content-Security-Policy does not apply to.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { openBrowser, waitForText } from './browser.mjs';
import { cpuOnlyBrowser, openAllDetails, UI_PAGES, untilText } from './ui-pages.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const THEMES = ['light', 'dark'];

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

/** A page that records console errors (a 404 included) besides uncaught exceptions. */
async function openPage(path, browser = env.browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(new URL(path, env.server.url).href);
  return { page, consoleErrors };
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

for (const spec of UI_PAGES) {
  test(`${spec.name}: axe finds no serious or critical violation, light and dark, and the console stays clean`, async () => {
    const { page, consoleErrors } = await openPage(spec.path, await browserFor(spec));
    await spec.train(page);
    await openAllDetails(page);
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
    assert.deepEqual(failures, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
}

/** The element that has the focus, inside shadow roots, described for the assertions. */
async function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    // Visible focus: an outline or a ring on the element, or on a frame that shows :focus-within.
    const shows = (e) => {
      const s = getComputedStyle(e);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none';
    };
    let visible = shows(el);
    for (let p = el.parentElement, i = 0; !visible && p && i < 3; p = p.parentElement, i++) visible = p.matches(':focus-within') && shows(p);
    return {
      testid: el.getAttribute('data-testid'),
      tag: el.tagName.toLowerCase(),
      label: el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 40),
      visible,
    };
  });
}

test('the playground by keyboard: Train is the first stop, Space starts and Enter pauses, every stop shows its focus', async () => {
  const { page, consoleErrors } = await openPage('index.html#dataset=iris&layers=8&epochs=400&seed=42&backend=webgpu');
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.testid, 'train-toggle', 'the first Tab stop is Train');
  await page.keyboard.press('Space');
  await waitForText(page, 'epoch', (t) => Number(t) >= 2);
  assert.equal(await page.locator('[data-testid="train-toggle"]').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Enter');
  await waitForText(page, 'train-toggle', (t) => t.includes('Train'));
  const paused = Number(await waitForText(page, 'epoch', (t) => Number(t) > 0));
  assert.ok(paused < 400, 'Enter paused the run before its end');

  // Every stop, in order, until the focus comes back round.
  const stops = [];
  for (let i = 0; i < 250; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f === null || (f.testid === 'train-toggle' && stops.length > 0)) break;
    stops.push(f);
  }
  const invisible = stops.filter((s) => !s.visible).map((s) => `${s.tag} ${s.testid ?? s.label}`);
  assert.deepEqual(invisible, [], 'stops without a visible focus indicator');
  const order = ['reset', 'dataset-name', 'units', 'learning-rate', 'l1', 'l2', 'resample', 'save-model', 'cross-validate', 'metrics-split'].map((id) =>
    stops.findIndex((s) => s.testid === id),
  );
  assert.ok(
    order.every((at) => at >= 0),
    `every expected control is reachable: ${order}`,
  );
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
    'training, then data, network, hyperparameters, remedies, model, runs, metrics',
  );
  console.log(`keyboard: ${stops.length + 1} tab stops on the playground, all with visible focus`);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('a polite live region says "finished" once at the end of a run and "diverged" when a run diverges', async () => {
  const { page, consoleErrors } = await openPage('index.html#dataset=iris&layers=8&epochs=15&seed=42&backend=webgpu');
  const region = page.locator('[data-testid="announcement"]');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  // Every text the region takes while a run goes on.
  await region.evaluate((el) => {
    window.__said = [];
    new MutationObserver(() => window.__said.push(el.textContent.trim())).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.locator('[data-testid="train-toggle"]').click();
  await untilText(page, '[data-testid="announcement"]', (t) => t.startsWith('Training finished'));
  assert.match(await region.textContent(), /Training finished: epoch 15 of 15, train loss \d/);
  assert.equal(new Set(await page.evaluate(() => window.__said.filter(Boolean))).size, 1, 'one announcement per run, not one per epoch');

  await page.close();

  const diverging = await openPage('index.html#dataset=iris&layers=16&optimizer=sgd&lr=1000000&epochs=500&seed=42&backend=webgpu');
  await waitForText(diverging.page, 'backend', (t) => t.startsWith('WebGPU'));
  await diverging.page.locator('[data-testid="train-toggle"]').click();
  assert.match(await untilText(diverging.page, '[data-testid="announcement"]', (t) => t.length > 0), /^Training diverged.*step \d+/);
  assert.deepEqual([...consoleErrors, ...diverging.consoleErrors], []);
  await diverging.page.close();
});
