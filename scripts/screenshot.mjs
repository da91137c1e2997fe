// Regenerates the README's screenshots: docs/images/playground.png (the playground on a spiral link
// in the system Chromium, WebGPU on, SwiftShader without a GPU: Train until epoch 150, the top of
// the page at 1280×900) and docs/images/gan-2d.png (the 2-D GAN lab's "it works" preset on the CPU
// backend, played to iteration 3,000, then paused: its plane and figures).
//
//   node scripts/screenshot.mjs              build, then capture both
//   node scripts/screenshot.mjs --no-build   capture from the dist/ already built
//
// Every wait polls against a deadline; nothing sleeps a fixed time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { findChrome, WEBGPU_FLAGS } from './find-chrome.mjs';
import { startServer } from './serve.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'images', 'playground.png');
const GAN2D_OUT = join(ROOT, 'docs', 'images', 'gan-2d.png');
const GAN2D_ITERATIONS = 3000;
const LINK = 'index.html#dataset=spiral&layers=8,8&activation=tanh&lr=0.03&epochs=150&seed=3';
const EPOCHS = 150;
const VIEWPORT = { width: 1280, height: 900 };
const TIMEOUT_MS = 600_000;

/** Polls `read()` every 250 ms until `predicate(value)` holds; throws naming `what` after `timeout` ms. */
async function poll(what, read, predicate, timeout = TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (predicate(last)) return last;
    await sleep(250);
  }
  throw new Error(`${what} never matched within ${timeout / 1000} s; last: ${JSON.stringify(last)}`);
}

/** The trimmed text of the first element with `testid` (through open shadow roots), or '' when absent. */
const text = (page, testid) =>
  page
    .locator(`[data-testid="${testid}"]`)
    .first()
    .textContent({ timeout: 1000 })
    .then(
      (t) => (t ?? '').trim(),
      () => '',
    );

if (!process.argv.includes('--no-build')) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
const server = await startServer({ port: 0 });
const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS });
try {
  // The light theme and a fixed viewport, so the picture does not depend on the machine's settings.
  const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(new URL(LINK, server.url).href);
  await page.locator('[data-testid="train-toggle"]').click();
  await poll(
    `epoch ${EPOCHS}`,
    () => text(page, 'epoch'),
    (t) => Number(t) >= EPOCHS,
  );
  // The run ends at its last epoch: wait until the button offers Train again, so the charts hold the final state.
  await poll(
    'the run to finish',
    () => text(page, 'train-toggle'),
    (t) => t.includes('Train'),
  );
  mkdirSync(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT, clip: { x: 0, y: 0, ...VIEWPORT } });
  console.log(`wrote ${OUT} (${Math.round(statSync(OUT).size / 1024)} kB)`);

  // The 2-D lab: seeded, so the picture is the same run each time (to float32 rounding).
  const lab = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
  lab.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await lab.goto(new URL('gan.html#mode=2d', server.url).href);
  await lab.locator('[data-testid="gan2d-backend-choice"]').selectOption('cpu');
  await poll(
    'the CPU backend',
    () => text(lab, 'gan2d-backend'),
    (t) => t.startsWith('CPU'),
  );
  await lab.locator('[data-testid="gan2d-toggle"]').click();
  await poll(
    `iteration ${GAN2D_ITERATIONS}`,
    () => text(lab, 'gan2d-iteration'),
    (t) => Number(t) >= GAN2D_ITERATIONS,
  );
  await lab.locator('[data-testid="gan2d-toggle"]').click();
  await poll(
    'the pause',
    () => text(lab, 'gan2d-toggle'),
    (t) => t.includes('Play'),
  );
  await poll(
    'the figures',
    () => text(lab, 'gan2d-modes'),
    (t) => /^\d+\/8$/.test(t),
  );
  await lab.locator('sp-gan-2d section.panel').first().screenshot({ path: GAN2D_OUT });
  console.log(`wrote ${GAN2D_OUT} (${Math.round(statSync(GAN2D_OUT).size / 1024)} kB)`);
} finally {
  await browser.close();
  await server.close();
}
