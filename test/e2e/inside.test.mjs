// Issue 29, "see inside the network", on the built pages: every neuron's map in the network
// diagram, and the training-health panel, in the state a person sees them (fresh and training).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

const SPIRAL = '#dataset=spiral&layers=8,8&activation=relu&epochs=30&seed=3&classes=3';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

test("every hidden unit's and output's map is drawn in the network diagram, before and while training, and opens large", async () => {
  const page = await env.newPage(`index.html${SPIRAL}`);
  const tiles = page.locator('[data-testid="neuron-heatmap"]');
  // 8 + 8 hidden units and 3 outputs, drawn for the untrained model already.
  await poll(
    'the neuron maps',
    () => tiles.count(),
    (n) => n === 19,
    60_000,
  );
  const image = () => tiles.nth(3).evaluate((b) => b.querySelector('canvas').toDataURL());
  const before = await image();
  await page.locator('[data-testid="train-toggle"]').click();
  await poll('a map that changes as the model trains', image, (now) => now !== before, 60_000);
  await tiles.nth(17).click();
  assert.match(await page.locator('[data-testid="neuron-detail"] h3').textContent(), /^output 2 \(probability\)$/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the training-health panel reads each layer while the model trains: histograms, dead units, update ratio', async () => {
  const page = await env.newPage(`index.html${SPIRAL}`);
  await poll('Train enabled', () => page.locator('[data-testid="train-toggle"]').isEnabled(), Boolean, 60_000);
  await page.locator('summary', { hasText: 'Training health' }).click();
  const panel = page.locator('[data-testid="health-panel"]');
  await poll(
    'the first reading',
    () => panel.locator('section.layer').count(),
    (n) => n === 3,
    30_000,
  );
  const dead = (await panel.locator('[data-testid="dead-units"]').allTextContents()).map((t) => t.trim());
  assert.match(dead.slice(0, 2).join('|'), /^\d of 8\|\d of 8$/, 'both ReLU layers count their dead units');
  assert.equal(dead[2], '–', 'the output layer has none to count');
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 3);
  const ratio = await poll(
    'an update ratio',
    async () => ((await panel.locator('[data-testid="update-ratio"]').first().textContent()) ?? '').trim(),
    (t) => /^\d\.\de[-+]\d+/.test(t ?? ''),
    30_000,
  );
  assert.ok(Number(ratio.split(' ')[0]) > 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a weight typed into the network diagram applies at once, and a bad one is refused where it was typed', async () => {
  const page = await env.newPage(`index.html${SPIRAL}`);
  await poll('Train enabled', () => page.locator('[data-testid="train-toggle"]').isEnabled(), Boolean, 60_000);
  await page.locator('sp-network-diagram button.edit').click();
  const form = page.locator('[data-testid="weight-edit"]');
  await form.locator('[name="layer"]').fill('2');
  await form.locator('[name="from"]').fill('3');
  await form.locator('[name="to"]').fill('4');
  await form.locator('[data-testid="weight-value"]').fill('abc');
  await form.locator('button[type="submit"]').click();
  assert.match(await page.locator('[data-testid="weight-error"]').textContent(), /"abc" is not a weight/);
  await form.locator('[data-testid="weight-value"]').fill('2.5');
  await form.locator('button[type="submit"]').click();
  await waitForText(page, 'notice', (t) => t.includes('set to 2.5'));
  // The diagram's weights come back from the engine with the typed value in place.
  await page.locator('sp-network-diagram button.edit').click();
  await form.locator('[name="layer"]').fill('2');
  await form.locator('[name="from"]').fill('3');
  await form.locator('[name="to"]').fill('4');
  await poll(
    'the typed weight in the diagram',
    () => form.locator('[data-testid="weight-value"]').inputValue(),
    (v) => v === '2.5',
    30_000,
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});
