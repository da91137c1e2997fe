// L1 and L2 from the Remedies panel: set from the UI, they reach the link (keys l1, l2) and the
// training, live, without rebuilding the model.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, waitForText } from './browser.mjs';

const LINK = '#dataset=iris&layers=16&activation=relu&optimizer=adam&lr=0.01&batch=32&epochs=10&seed=42&backend=cpu';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

/** Types a value into a field and leaves it, as a person would. */
async function enter(page, testid, value) {
  const field = page.locator(`[data-testid="${testid}"]`);
  await field.fill(value);
  await field.press('Tab');
}

/** Trains to `epochs` and returns the final train loss once the run has stopped. */
async function train(page, epochs) {
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= epochs);
  await waitForText(page, 'train-toggle', (t) => t.includes('Train'));
  return Number(await waitForText(page, 'train-loss', (t) => Number(t) > 0));
}

test('L1 and L2 set in the Remedies panel follow into the link and the training, live', async () => {
  const plain = await env.newPage(`index.html${LINK}`);
  await waitForText(plain, 'backend', (t) => t.startsWith('CPU'));
  const plainLoss = await train(plain, 10);
  await plain.close();

  const page = await env.newPage(`index.html${LINK}`);
  await waitForText(page, 'backend', (t) => t.startsWith('CPU'));
  assert.equal(await page.locator('[data-testid="regularization"] legend').textContent(), 'Regularization');
  await enter(page, 'l2', '0.5');
  await enter(page, 'l1', '0.01');
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /[#&]l1=0\.01(&|$)/);
  assert.match(hash, /[#&]l2=0\.5(&|$)/);
  const regularizedLoss = await train(page, 10);
  console.log(`train loss after 10 epochs: ${plainLoss} without, ${regularizedLoss} with L1 0.01 and L2 0.5`);
  // The same seed and data: only the penalty differs, and it keeps the weights from fitting as closely.
  assert.ok(regularizedLoss > plainLoss * 1.05, `train loss with L1 0.01 and L2 0.5: ${regularizedLoss}, without: ${plainLoss}`);

  // Live: switching L2 off keeps the model; one more epoch makes 11 (a rebuild would make 1).
  await enter(page, 'l2', '0');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /[#&]l2=/);
  await page.locator('[data-testid="epoch-once"]').click();
  assert.equal(await waitForText(page, 'epoch', (t) => t !== '10'), '11');

  // The link brings the values back into the fields.
  const reopened = await env.newPage(`index.html${LINK}&l1=0.01&l2=0.5`);
  await waitForText(reopened, 'backend', (t) => t.startsWith('CPU'));
  assert.equal(await reopened.locator('[data-testid="l1"]').inputValue(), '0.01');
  assert.equal(await reopened.locator('[data-testid="l2"]').inputValue(), '0.5');
  assert.deepEqual(env.errors, []);
  await page.close();
  await reopened.close();
});
