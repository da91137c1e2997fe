// The exports as a person gets them from the built pages: the playground's script and
// init.safetensors repeat the run the page trained on WebGPU (--check), and the GAN lab's
// scripts continue from its "Save G and D" files to files the lab loads back. CI never skips.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openBrowser, waitForText } from './browser.mjs';
import { checkDifference, expectStatus, MNIST_DIR, runPython, setup, SKIP } from './python-env.mjs';

let env;
let scratch;
before(async () => {
  scratch = await setup([]);
  env = await openBrowser();
});
after(async () => {
  await env?.close();
  scratch?.cleanup();
});

/** Clicks `testid` and saves the download it starts; returns the saved path. */
async function download(page, testid, name = null) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${testid}"]`).click()]);
  const path = join(scratch.dir, name ?? d.suggestedFilename());
  await d.saveAs(path);
  return path;
}

test("the playground's PyTorch script and init.safetensors repeat the page's WebGPU run (--check)", { skip: SKIP }, async (t) => {
  const link =
    'index.html#dataset=moons&size=200&noise=0.2&layers=8&activation=tanh&optimizer=adam&lr=0.01&batch=16&epochs=20&seed=3&cw=balanced&lrs=step,5,0.5&backend=webgpu';
  const page = await env.newPage(link);
  await waitForText(page, 'backend', (text) => text.startsWith('WebGPU'));
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (text) => Number(text) >= 20);
  await waitForText(page, 'train-toggle', (text) => text.includes('Train'));
  const init = await download(page, 'export-init');
  const script = await download(page, 'export-pytorch', 'page_moons.py');
  assert.match(init, /init\.safetensors$/);
  const run = runPython([script, '--init', init, '--check']);
  expectStatus(run, 0, "the page's script, --check");
  assert.match(run.stdout, /20 of 20 epochs compared/);
  t.diagnostic(`page (WebGPU, float32) against PyTorch: max |curve difference| ${checkDifference(run.stdout)}`);
  assert.deepEqual(env.errors, []);
  await page.close();
});

test("the GAN lab's scripts: downloaded, trained on from Save G and D, and the lab loads the result", { skip: SKIP }, async () => {
  // The lab as its page serves it, with backend="cpu" on <sp-gan>: the small preset on the CPU
  // reference builds in seconds where the article's GAN takes minutes on a software adapter.
  const page = await env.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/gan.html', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace('<sp-gan>', '<sp-gan backend="cpu">') });
  });
  await page.goto(new URL('gan.html', env.server.url).href);
  await waitForText(page, 'gan-backend', (text) => text.startsWith('CPU'), 180_000);
  const torchScript = await download(page, 'gan-export-pytorch');
  const kerasScript = await download(page, 'gan-export-keras');
  assert.deepEqual(
    [torchScript, kerasScript].map((p) => p.split('/').at(-1)),
    ['shaderprop_gan_pytorch.py', 'shaderprop_gan_keras.py'],
  );
  expectStatus(runPython(['-m', 'py_compile', kerasScript]), 0, 'py_compile of the Keras GAN script');
  const saved = [];
  page.on('download', (d) => saved.push(d));
  await page.locator('[data-testid="gan-save"]').click();
  const deadline = Date.now() + 60_000;
  while (saved.length < 2 && Date.now() < deadline) await page.waitForTimeout(100);
  const files = Object.fromEntries(
    await Promise.all(
      saved.map(async (d) => {
        const path = join(scratch.dir, `lab-${d.suggestedFilename()}`);
        await d.saveAs(path);
        return [d.suggestedFilename(), path];
      }),
    ),
  );
  const out = [join(scratch.dir, 'g2.safetensors'), join(scratch.dir, 'd2.safetensors')];
  const run = runPython([
    torchScript,
    '--mnist',
    MNIST_DIR,
    '--generator',
    files['shaderprop-generator.safetensors'],
    '--discriminator',
    files['shaderprop-discriminator.safetensors'],
    '--iterations',
    '2',
    '--save-generator',
    out[0],
    '--save-discriminator',
    out[1],
  ]);
  expectStatus(run, 0, "the lab's PyTorch GAN script");
  await page.locator('[data-testid="gan-load"]').setInputFiles(out);
  await waitForText(page, 'gan-load-status', (text) => text.startsWith('Loaded') && text.includes('trained 2 iterations'));
  await waitForText(page, 'gan-backend', (text) => text.startsWith('CPU'), 180_000);
  await waitForText(page, 'gan-iteration', (text) => text === '0');
  assert.equal(await page.locator('[data-testid="gan-load-error"]').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
