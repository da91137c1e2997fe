// MNIST on the built pages: a digit classifier in the playground, and the GAN lab.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

test('MNIST in the playground: trains, and a confusion-matrix cell shows its images', async () => {
  const page = await env.newPage(
    'index.html#dataset=mnist&size=2000&layers=32&activation=relu&optimizer=adam&lr=0.003&batch=64&epochs=3&seed=1&backend=webgpu',
  );
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'), 180_000);
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 3, 300_000);
  const accuracy = Number(await waitForText(page, 'test-accuracy', (t) => Number(t) > 0.8, 120_000));
  assert.ok(accuracy > 0.8);
  // The diagonal cell of digit 0: correctly classified zeros.
  await page.locator('sp-confusion-matrix button.cell').first().click();
  await page.locator('[data-testid="cell-samples"] canvas').waitFor();
  const inked = await page.locator('[data-testid="cell-samples"] canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++;
    return dark;
  });
  assert.ok(inked > 100, `the cell's images look empty (${inked} dark pixels)`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the GAN lab trains on MNIST in the worker and the fixed grid changes', async () => {
  const page = await env.newPage('gan.html');
  // The article's preset runs on WebGPU (Auto may pick the CPU and its small preset on a software adapter).
  await page.locator('[data-testid="gan-backend-choice"]').selectOption('webgpu');
  await waitForText(page, 'gan-backend', (t) => t.startsWith('WebGPU'), 180_000);
  const grid = page.locator('[data-testid="gan-grid"] canvas');
  await grid.waitFor();
  const before = await grid.evaluate((c) => c.toDataURL());
  await page.locator('[data-testid="gan-toggle"]').click();
  await waitForText(page, 'gan-iteration', (t) => Number(t) >= 24, 300_000);
  await page.locator('[data-testid="gan-toggle"]').click();
  await waitForText(page, 'gan-toggle', (t) => t.includes('Train'), 120_000);
  await poll(
    'the sample grid to change',
    () => grid.evaluate((c) => c.toDataURL()),
    (now) => now !== before,
    60_000,
  );
  // Save G and D as safetensors files, and the grid as a PNG.
  const saved = [];
  page.on('download', (d) => saved.push(d));
  await page.locator('[data-testid="gan-save"]').click();
  await page.locator('[data-testid="gan-png"]').click();
  await poll(
    'three downloads',
    () => saved.length,
    (n) => n >= 3,
    60_000,
  );
  const byName = Object.fromEntries(await Promise.all(saved.map(async (d) => [d.suggestedFilename(), readFileSync(await d.path())])));
  const header = (bytes) => JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
  assert.deepEqual(header(byName['shaderprop-generator.safetensors'])['layers.0.weight'].shape, [128, 100]);
  assert.deepEqual(header(byName['shaderprop-discriminator.safetensors'])['layers.2.weight'].shape, [1, 256]);
  assert.deepEqual([...byName['shaderprop-gan-samples.png'].subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.deepEqual(page.errors, []);
  await page.close();
});
