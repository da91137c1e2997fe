// Accessibility of the playground beyond what axe checks (that is in pages.test.mjs, for every
// page): keyboard use in reading order with a visible focus, and its polite live region.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, waitForText } from './browser.mjs';
import { openRecordingPage, untilText } from './ui-pages.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** The playground at `path`, recording console errors. */
const openPage = (path) => openRecordingPage(env.browser, new URL(path, env.server.url).href);

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
  // 5,000 epochs: WebGPU runs Iris's 3 steps an epoch fast enough that 400 could end (about 1 s)
  // between reading epoch 2 and the pause taking effect on a busy machine (seen in CI).
  const { page, consoleErrors } = await openPage('index.html#dataset=iris&layers=8&epochs=5000&seed=42&backend=webgpu');
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.testid, 'train-toggle', 'the first Tab stop is Train');
  await page.keyboard.press('Space');
  await waitForText(page, 'epoch', (t) => Number(t) >= 2);
  assert.equal(await page.locator('[data-testid="train-toggle"]').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Enter');
  await waitForText(page, 'train-toggle', (t) => t.includes('Train'));
  const paused = Number(await waitForText(page, 'epoch', (t) => Number(t) > 0));
  assert.ok(paused < 5000, 'Enter paused the run before its end');

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
