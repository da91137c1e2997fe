// Failures on the built page, as a person would meet them: a diverging run, a dead worker.
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

/** Counts workers the page creates and keeps them reachable for fault injection. */
async function countWorkers(page) {
  await page.addInitScript(() => {
    const Original = window.Worker;
    window.__workers = [];
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        window.__workers.push(this);
      }
    };
  });
}

test('lr = 1e6 diverges: training pauses, the message names the step, and the weights are rolled back', async () => {
  const page = await env.newPage('index.html#dataset=iris&layers=16&optimizer=sgd&lr=1000000&epochs=500&seed=42&backend=webgpu');
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  await page.locator('[data-testid="train-toggle"]').click();
  const notice = await waitForText(page, 'notice', (t) => t.includes('diverged'));
  assert.match(notice, /step \d+/);
  assert.match(notice, /rolled back/);
  await waitForText(page, 'train-toggle', (t) => t.includes('Train'));
  await page.close();
});

test('one worker per page; a crashed worker offers Restart, which creates exactly one new worker', async () => {
  const page = await env.browser.newPage();
  await countWorkers(page);
  await page.goto(new URL('index.html#dataset=xor&layers=4&epochs=5&seed=1&backend=webgpu', env.server.url).href);
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  assert.equal(await page.evaluate(() => window.__workers.length), 1);
  // The worker dies as it would from an uncaught error inside it.
  await page.evaluate(() => window.__workers[0].dispatchEvent(new ErrorEvent('error', { message: 'injected crash' })));
  await waitForText(page, 'error', (t) => t.includes('crashed'));
  await page.locator('[data-testid="recover"]').click();
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  assert.equal(await page.evaluate(() => window.__workers.length), 2);
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 5);
  assert.equal(await page.evaluate(() => window.__workers.length), 2);
  await page.close();
});
