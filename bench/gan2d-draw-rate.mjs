// The 2-D GAN lab's goal (issue 30) measured in the page, where it is stated: the default ring
// setup on the CPU backend, played flat out for 10 s while the lab draws, in the built gan.html.
// Prints the lab's own counters (iterations and frames drawn per second, `gan2d-rates`) and the
// page's requestAnimationFrame rate over the same time (does the page stay smooth?).
//
//   npm run build && node bench/gan2d-draw-rate.mjs
import { chromium } from 'playwright-core';
import { findChrome, WEBGPU_FLAGS } from '../scripts/find-chrome.mjs';
import { startServer } from '../scripts/serve.mjs';

const PLAY_MS = 10_000;
const server = await startServer({ port: 0 });
const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(new URL('gan.html#mode=2d', server.url).href);
  const byId = (id) => page.locator(`[data-testid="${id}"]`).first();
  await byId('gan2d-backend-choice').selectOption('cpu');
  await page.waitForFunction(() => document.querySelector('sp-gan-2d')?.gan?.info?.backend === 'cpu', null, { timeout: 60_000 });
  await byId('gan2d-toggle').click();
  const measured = await page.evaluate(async (ms) => {
    const el = document.querySelector('sp-gan-2d');
    const plane = el.shadowRoot.querySelector('sp-gan-2d-plane');
    const start = { t: performance.now(), iterations: el.gan.iteration, frames: plane.framesDrawn };
    let rafs = 0;
    await new Promise((resolve) => {
      const tick = () => (performance.now() - start.t < ms ? (rafs++, requestAnimationFrame(tick)) : resolve());
      requestAnimationFrame(tick);
    });
    const seconds = (performance.now() - start.t) / 1000;
    return {
      iterationsPerSecond: (el.gan.iteration - start.iterations) / seconds,
      framesDrawnPerSecond: (plane.framesDrawn - start.frames) / seconds,
      pageFramesPerSecond: rafs / seconds,
    };
  }, PLAY_MS);
  await byId('gan2d-toggle').click();
  const r = (x) => x.toFixed(0);
  console.log(
    `gan-2d in the page (CPU backend, default ring, ${PLAY_MS / 1000} s flat out): ${r(measured.iterationsPerSecond)} iterations/s, ${r(measured.framesDrawnPerSecond)} frames drawn/s, page ${r(measured.pageFramesPerSecond)} animation frames/s (goal: ≥ 2,000 iterations/s while drawing ≥ 30 frames/s)`,
  );
} finally {
  await browser.close();
  await server.close();
}
