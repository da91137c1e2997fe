// The built playground page, driven as a person would: open it, press Train, read the result.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, waitForText } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

test('the playground trains Iris in the worker on WebGPU and shows the test accuracy', async () => {
  const page = await env.newPage('index.html');
  const backend = await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  assert.match(backend, /WebGPU/);
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 200);
  const accuracy = Number(await waitForText(page, 'test-accuracy', (t) => !Number.isNaN(Number(t))));
  assert.ok(accuracy >= 0.9, `test accuracy ${accuracy} < 0.9`);
  assert.ok(Number(await waitForText(page, 'train-loss', (t) => Number(t) > 0)) < 0.2);
  assert.deepEqual(env.errors, []);
});
