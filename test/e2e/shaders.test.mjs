// The shader explorer page, driven as a person would: read the kernel list and its timings,
// break the matmul, compile it, and ask whether it still matches the reference.
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

const editor = (page) => page.locator('[data-testid="source-editor"]');

/** Replaces `find` in the editor's text and types the result in. */
async function edit(page, find, replace) {
  const source = await editor(page).inputValue();
  assert.ok(source.includes(find), `the editor has no "${find}"`);
  await editor(page).fill(source.replace(find, replace));
}

test('shaders.html lists the step, times every kernel, and reports a broken matmul as not matching', async () => {
  const page = await env.newPage('shaders.html');
  // The sources show at once; the step's kernel list once the network is built on the device.
  await waitForText(page, 'device', (t) => t !== '…');
  const rows = page.locator('[data-testid="kernel-row"]');
  await rows.first().waitFor({ timeout: 120_000 });
  assert.equal(await rows.count(), 11, 'gather, 3 forward, loss, 5 backward, optimizer');
  assert.match(await rows.nth(1).textContent(), /matmul\.wgsl/);
  assert.match(await page.textContent('body'), /kernels run on this page's own device/);

  // Every kernel gets a time once the profiler has read a window back.
  await waitForText(page, 'step-time', (t) => Number(t) > 0, 60_000);
  const times = await page.locator('[data-testid="kernel-time"]').allTextContents();
  assert.equal(times.length, 11);
  for (const t of times) assert.ok(Number(t) >= 0, `kernel time "${t}"`);
  assert.match(await waitForText(page, 'timing-method', (t) => t.length > 0), /GPU timestamps|CPU-side timing/);

  // A compile error is marked at its line.
  await edit(page, 'let row0 = wid.y * 32u + lid.y * 8u;', 'let row0: f32 = wid.y * 32u + lid.y * 8u;');
  await page.locator('[data-testid="compile"]').click();
  assert.match(await waitForText(page, 'compile-status', (t) => /error/.test(t)), /1 error; first at \d+:7/);
  assert.equal(await page.locator('[data-testid="compile-mark"]').count(), 1);

  // A dropped term compiles, runs, and does not match.
  await page.locator('[data-testid="reset-kernel"]').click();
  await edit(page, '  let steps = u.k;', '  let steps = u.k - 1u;');
  await edit(page, '  var ap = 0u;', '  var ap = u.a_cs;');
  await edit(page, '  var bp = 0u;', '  var bp = u.b_rs;');
  await edit(page, 'for (var p = 0u; p < KT; p++) {', 'for (var p = 1u; p < KT; p++) {');
  await page.locator('[data-testid="compile"]').click();
  await waitForText(page, 'compile-status', (t) => /compiled; the edited kernel is running/.test(t));
  await page.locator('[data-testid="check-kernel"]').click();
  const verdict = await waitForText(page, 'check-result', (t) => /match/.test(t));
  assert.match(verdict, /does not match/);
  assert.match(verdict, /max abs error \S+, max rel error/);

  // Reset: the shipped kernel matches again.
  await page.locator('[data-testid="reset-kernel"]').click();
  await page.locator('[data-testid="check-kernel"]').click();
  assert.match(await waitForText(page, 'check-result', (t) => /match/.test(t)), /matmul\.wgsl matches/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an edit in a link is shown but never runs until "Run this edited kernel" is clicked', async () => {
  const page = await env.newPage('shaders.html');
  await waitForText(page, 'device', (t) => t !== '…');
  await page.locator('[data-testid="kernel-row"]').first().waitFor({ timeout: 120_000 });
  await edit(page, '  let steps = u.k;', '  let steps = u.k - 1u;');
  await edit(page, '  var ap = 0u;', '  var ap = u.a_cs;');
  await edit(page, '  var bp = 0u;', '  var bp = u.b_rs;');
  await page.locator('[data-testid="share-kernel"]').click();
  const link = await page.locator('input[aria-label="Link to this edit"]').inputValue();
  assert.match(link, /#kernel=matmul&wgsl=/);
  await page.close();

  const shared = await env.newPage(`shaders.html${link.slice(link.indexOf('#'))}`);
  await shared.locator('[data-testid="shared-edit"]').waitFor();
  await shared.locator('[data-testid="kernel-row"]').first().waitFor({ timeout: 120_000 });
  assert.match(await shared.locator('[data-testid="compile-status"]').textContent(), /last good pipelines keep running/);
  assert.doesNotMatch(await shared.locator('sp-shader-explorer').evaluate((e) => e.shadowRoot.textContent), /✎/, 'nothing is edited yet');
  await shared.locator('[data-testid="run-shared"]').click();
  await waitForText(shared, 'compile-status', (t) => /edited kernel is running/.test(t));
  assert.equal(await shared.locator('[data-testid="shared-edit"]').count(), 0);
  assert.match(await editor(shared).inputValue(), /let steps = u\.k - 1u;/);
  await shared.close();
});

test('the playground opens its current network in the shader explorer', async () => {
  const page = await env.newPage('index.html#dataset=moons&layers=12,5&activation=tanh&optimizer=momentum&lr=0.05&batch=16&epochs=5&seed=4&backend=webgpu');
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  const href = await page.locator('[data-testid="open-explorer"]').getAttribute('href');
  const explorer = await env.browser.newPage();
  await explorer.goto(href);
  await waitForText(explorer, 'network', (t) => t.includes('moons') && t.includes('12 tanh, 5 tanh') && t.includes('momentum'));
  // Gather, 3 forward, loss, 3 weight-gradient and 2 input-gradient matmuls, optimizer.
  await waitForText(explorer, 'step', (t) => Number(t) > 0);
  await explorer.locator('[data-testid="kernel-row"]').first().waitFor({ timeout: 120_000 });
  assert.equal(await explorer.locator('[data-testid="kernel-row"]').count(), 11);
  await page.close();
  await explorer.close();
});
