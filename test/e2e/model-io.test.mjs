// Saving, loading and exporting a trained model on the built page, as a person would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openBrowser, waitForText } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

test('save a trained model, reload the page, load the file: the same test accuracy; export scripts compile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shaderprop-io-'));
  const link = 'index.html#dataset=iris&layers=12&activation=tanh&optimizer=adam&lr=0.02&batch=16&epochs=30&seed=42&backend=webgpu';
  const page = await env.newPage(link);
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 30);
  await waitForText(page, 'train-toggle', (t) => t.includes('Train'));
  const trained = await waitForText(page, 'test-accuracy', (t) => Number(t) > 0.5);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="save-model"]').click()]);
  const file = join(dir, 'model.safetensors');
  await download.saveAs(file);
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  assert.deepEqual(header['layers.0.weight'].shape, [12, 4]);
  assert.equal(header.__metadata__.format, 'shaderprop');

  for (const format of ['pytorch', 'keras']) {
    const [script] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="export-${format}"]`).click()]);
    const path = join(dir, `${format}.py`);
    await script.saveAs(path);
    execFileSync('python3', ['-m', 'py_compile', path]);
  }

  // A fresh page with another experiment: loading the file rebuilds the saved one.
  const other = await env.newPage('index.html#dataset=moons&layers=3&epochs=5&seed=1&backend=webgpu');
  await waitForText(other, 'backend', (t) => t.startsWith('WebGPU'));
  await other.locator('[data-testid="load-model"]').setInputFiles(file);
  await waitForText(other, 'test-accuracy', (t) => t === trained);
  assert.match(await other.evaluate(() => location.hash), /dataset=iris/);
  assert.match(await other.evaluate(() => location.hash), /layers=12/);
  assert.deepEqual([...page.errors, ...other.errors], []);
});
