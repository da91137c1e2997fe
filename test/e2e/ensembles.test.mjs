// Boosting and stacking on the built page (issue 31): both started from the playground's Several
// runs section with small settings from the link, their ids read back. (The embeds' own path, the
// widgets bundle's default runner under the post's CSP, is checked in embed.test.mjs's blog post.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

// Moons on the CPU: three rounds of a 4-unit weak learner, and two base learners over 3 folds.
const MOONS = 'dataset=moons&size=160&noise=0.3&layers=8&activation=tanh&optimizer=adam&lr=0.02&batch=16&epochs=6&seed=5&backend=cpu';
const BOOST = 'rounds:3;layers:4;act:tanh;epochs:6;shrink:1';
const STACK = 'k:3;meta:0;pass:0;l:8/tanh/adam/0.03;l:6/relu/sgd/0.1';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

const percent = (t) => /^\d+(\.\d)?%$/.test(t);

test('boosting and stacking start from the Several runs section and fill their ids', async () => {
  const page = await env.newPage(`index.html#${MOONS}&boost=${encodeURIComponent(BOOST)}&stack=${encodeURIComponent(STACK)}`);
  const boostStart = page.locator('sp-playground [data-testid="boost-start"]');
  const stackStart = page.locator('sp-playground [data-testid="stack-start"]');
  await poll('Start enabled', () => boostStart.isEnabled(), Boolean);
  await boostStart.click();
  await stackStart.click();
  await waitForText(page, 'boost-test-accuracy', percent, 60_000);
  await poll('boosting finished', () => boostStart.isEnabled(), Boolean, 60_000);
  const rounds = page.locator('sp-playground [data-testid="boost-round"]');
  const n = await rounds.count();
  assert.ok(n >= 1 && n <= 3, `${n} rounds`);
  for (let i = 0; i < n; i++) {
    const error = Number(await rounds.nth(i).getAttribute('data-error'));
    const alpha = Number(await rounds.nth(i).getAttribute('data-alpha'));
    assert.ok(error >= 0 && error < 1 && Number.isFinite(alpha), `round ${i + 1}: error ${error}, α ${alpha}`);
  }
  await waitForText(page, 'stack-test-accuracy', percent, 60_000);
  assert.ok(percent((await page.locator('[data-testid="stack-average-accuracy"]').first().textContent()).trim()));
  assert.equal(await page.locator('sp-playground [data-testid="stack-base"]').count(), 2);

  assert.deepEqual(page.errors, []);
  await page.close();
});
