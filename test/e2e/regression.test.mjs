// Issue 29's regression on the built playground: the task switch, the regression sets, MSE/MAE/R²
// after training, and what regression cannot use, disabled where it is, with its reason.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

test('switching the task to regression offers plane and gaussmix, trains on the plane and scores it with MSE, MAE and R²', async () => {
  const page = await env.newPage('index.html#dataset=spiral&layers=4&activation=tanh&epochs=15&seed=5&lr=0.03');
  await poll('Train enabled', () => page.locator('[data-testid="train-toggle"]').isEnabled(), Boolean, 60_000);
  await page.locator('[data-testid="task"]').selectOption('regression');
  await poll(
    'the link',
    () => page.evaluate(() => location.hash),
    (h) => h.includes('task=regression') && h.includes('dataset=plane'),
    30_000,
  );
  const names = await page.locator('[data-testid="dataset-name"] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(
    names,
    ['plane', 'gaussmix', 'drawn', 'csv'].filter((n) => names.includes(n)),
  );
  assert.ok(names.includes('plane') && names.includes('gaussmix') && !names.includes('spiral'), `regression sets only: ${names}`);
  assert.ok(await page.locator('[data-testid="class-weights"]').isDisabled(), 'class weights are off for regression');
  assert.match(await page.locator('[data-testid="class-weights-off"]').textContent(), /a regression target has none/);
  await poll('Train enabled', () => page.locator('[data-testid="train-toggle"]').isEnabled(), Boolean, 60_000);
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 15, 180_000);
  await poll(
    'training stopped',
    () => page.locator('[data-testid="train-toggle"]').getAttribute('aria-pressed'),
    (p) => p === 'false',
    30_000,
  );
  await waitForText(page, 'regression-r2', (t) => Number.isFinite(Number(t)));
  // The views refresh once more after the last epoch: wait until the status and the panel show the same evaluation.
  const both = () => Promise.all(['test-r2', 'regression-r2'].map((id) => page.locator(`[data-testid="${id}"]`).textContent()));
  const [, shown] = await poll('the status and the panel agree', both, ([a, b]) => a === b, 30_000);
  const r2 = Number(shown);
  const mse = Number(await page.locator('[data-testid="regression-mse"]').getAttribute('data-value'));
  const mae = Number(await page.locator('[data-testid="regression-mae"]').getAttribute('data-value'));
  assert.ok(r2 > 0.95, `the plane is fitted: R² ${r2}`);
  assert.ok(mse >= 0 && mae >= 0 && mae * mae <= mse + 1e-12, `MSE ${mse} ≥ MAE² ${mae * mae}`);
  assert.match(await page.locator('[data-testid="boundary"]').getAttribute('aria-label'), /predicted value over the plane, from -?\d/);
  assert.equal(await page.locator('sp-loss-chart[metric="accuracy"]').count(), 0, 'no accuracy chart for regression');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('cross-validation, ensembles and an accuracy sweep are disabled for regression with the reason', async () => {
  const page = await env.newPage('index.html#task=regression&dataset=plane&layers=4&epochs=3&seed=1');
  await poll('Train enabled', () => page.locator('[data-testid="train-toggle"]').isEnabled(), Boolean, 60_000);
  assert.ok(await page.locator('[data-testid="cross-validate"]').isDisabled());
  assert.match(await page.locator('[data-testid="cv-off"]').textContent(), /regression does not have/);
  assert.ok(await page.locator('[data-testid="train-ensemble"]').isDisabled());
  assert.match(await page.locator('[data-testid="ensemble-off"]').textContent(), /regression has no classes/);
  assert.ok(await page.locator('[data-testid="optimizer-race"]').isEnabled(), 'the optimizer race compares losses, which regression has');
  await page.close();
});
