// The pages in their trained state, for the accessibility and overflow tests: each entry
// opens its page and drives it as a person would (Train, wait, Pause) until every panel a
// trained page shows is on screen. Short runs: the point is the markup, not the model.
import { chromium } from 'playwright-core';
import { findChrome } from '../../scripts/find-chrome.mjs';
import { waitForText } from './browser.mjs';

/** The system Chromium without the WebGPU flags: navigator.gpu is there but finds no adapter. */
export function cpuOnlyBrowser() {
  return chromium.launch({
    executablePath: findChrome(),
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Opens `url` at 1280×900 in `browser`, recording console errors (a 404 included) besides uncaught exceptions. */
export async function openRecordingPage(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(url);
  return { page, consoleErrors };
}

/** Waits until `selector`'s text satisfies `predicate` (for widgets inside a page, by id). */
export async function untilText(page, selector, predicate, timeout = 180_000) {
  const locator = page.locator(selector).first();
  const end = Date.now() + timeout;
  let last = '';
  while (Date.now() < end) {
    last = ((await locator.textContent({ timeout: 5_000 }).catch(() => '')) ?? '').trim();
    if (predicate(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`${selector} never matched; last text "${last}"`);
}

/**
 * Waits until a playground (inside `scope`) has built its model. On a loaded machine the shared
 * worker can miss its heartbeat while the GAN lab inflates MNIST; the widget then offers Restart,
 * which a person would press, and so does this (at most twice).
 */
async function whenBuilt(page, scope) {
  const backend = page.locator(`${scope}[data-testid="backend"]`).first();
  const recover = page.locator(`${scope}[data-testid="recover"]`).first();
  const end = Date.now() + 300_000;
  for (let restarts = 0; Date.now() < end; await page.waitForTimeout(200)) {
    const text = ((await backend.textContent({ timeout: 5_000 }).catch(() => '')) ?? '').trim();
    if (text.startsWith('WebGPU') || text.startsWith('CPU')) return;
    if (restarts < 2 && (await recover.isVisible().catch(() => false))) {
      restarts++;
      await recover.click();
    }
  }
  throw new Error(`${scope || 'the playground'} never built its model`);
}

/** Presses a playground's Train (inside `scope`, a CSS prefix) and waits until it has trained `epochs` and stopped. */
async function trainPlayground(page, scope, epochs) {
  const at = (testid) => `${scope}[data-testid="${testid}"]`;
  await whenBuilt(page, scope);
  await page.locator(at('train-toggle')).first().click();
  await untilText(page, at('epoch'), (t) => Number(t) >= epochs);
  if ((await page.locator(at('train-toggle')).first().getAttribute('aria-pressed')) === 'true') await page.locator(at('train-toggle')).first().click();
  await untilText(page, at('train-toggle'), (t) => t.includes('Train'));
  // A classifier's test accuracy, or a regression's test R² (which may be below 0 early on).
  await untilText(page, `${at('test-accuracy')}, ${at('test-r2')}`, (t) => t.trim() !== '' && Number.isFinite(Number(t)));
}

/** Trains the GAN lab (`scope` prefix) for at least `iterations` and pauses it. */
async function trainGan(page, scope, iterations) {
  // As for the playground: after a missed heartbeat under load, press "Try again" (at most twice).
  const backend = page.locator(`${scope}[data-testid="gan-backend"]`).first();
  const reset = page.locator(`${scope}[data-testid="gan-reset"]`).first();
  const end = Date.now() + 300_000;
  for (let tries = 0; ; await page.waitForTimeout(200)) {
    const text = ((await backend.textContent({ timeout: 5_000 }).catch(() => '')) ?? '').trim();
    if (text.startsWith('WebGPU') || text.startsWith('CPU')) break;
    if (Date.now() > end) throw new Error(`the GAN lab never built; backend "${text}"`);
    if (tries < 2 && ((await reset.textContent().catch(() => '')) ?? '').includes('Try again')) {
      tries++;
      await reset.click();
    }
  }
  const toggle = page.locator(`${scope}[data-testid="gan-toggle"]`).first();
  await toggle.click();
  await untilText(page, `${scope}[data-testid="gan-step"]`, (t) => Number(t) >= iterations, 300_000);
  await toggle.click();
  await untilText(page, `${scope}[data-testid="gan-toggle"]`, (t) => t.includes('Train'), 120_000);
}

/** Opens every <details> (in shadow roots too), so what they hide is measured and checked as well. */
export async function openAllDetails(page) {
  await page.evaluate(() => {
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.tagName === 'DETAILS') el.open = true;
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
  });
}

/**
 * The pages and how each reaches its trained state; `noGpu` ones open in a browser without
 * WebGPU (see `cpuOnlyBrowser`). The playground link switches several
 * remedies on, so their fields (and the long Resampling choice) are on screen.
 */
export const UI_PAGES = [
  {
    // Two classes of 2-D data: the metrics panel's two-class form (threshold slider, "AUC (class 1
    // score)") and a confusion matrix whose shades once failed contrast (axe: 3.11 and 2.46 light,
    // 3.72 dark); input features, neuron maps, the weight editor and the health panel on screen.
    name: 'index',
    path: 'index.html#dataset=moons&noise=0.2&features=x1,x2,x1sq&layers=8&activation=relu&epochs=12&seed=42&cw=balanced&rs=undersample&lrs=step,50,0.5&jit=0.05&drop=0.1',
    train: (page) => trainPlayground(page, '', 12),
  },
  {
    // Regression, trained: the predicted-value heatmap and its ramp legend, MSE/MAE/R² and the
    // predicted-against-actual plot, and the class-only remedies disabled with their reasons.
    name: 'index regression',
    path: 'index.html#task=regression&dataset=gaussmix&noise=0.1&features=x1,x2,x1sq&layers=8,8&activation=tanh&epochs=12&seed=4&es=loss,5',
    async train(page) {
      await trainPlayground(page, '', 12);
      await waitForText(page, 'regression-r2', (t) => Number.isFinite(Number(t)));
    },
  },
  {
    // The playground where WebGPU finds no adapter: the CPU reference, and the page says why.
    name: 'index without a GPU',
    path: 'index.html#dataset=iris&layers=8&activation=relu&epochs=12&seed=42&rs=undersample',
    noGpu: true,
    async train(page) {
      await trainPlayground(page, '', 12);
      await waitForText(page, 'fallback-reason', (t) => t.includes('adapter'));
    },
  },
  {
    name: 'gan',
    path: 'gan.html',
    train: (page) => trainGan(page, '', 5),
  },
  {
    // The 2-D lab after a few hundred iterations: heatmap, points, manifold and arrows drawn, the
    // figures and the three charts filled, the timeline holding frames.
    name: 'gan 2d',
    path: 'gan.html#mode=2d&batch=64',
    async train(page) {
      await page.locator('[data-testid="gan2d-backend-choice"]').selectOption('cpu');
      await waitForText(page, 'gan2d-backend', (t) => t.startsWith('CPU'), 60_000);
      await page.locator('[data-testid="gan2d-toggle"]').click();
      await waitForText(page, 'gan2d-iteration', (t) => Number(t) >= 200, 60_000);
      await page.locator('[data-testid="gan2d-toggle"]').click();
      await waitForText(page, 'gan2d-toggle', (t) => t.includes('Play'), 30_000);
      await waitForText(page, 'gan2d-modes', (t) => /^\d+\/8$/.test(t), 30_000);
    },
  },
  {
    name: 'shaders',
    path: 'shaders.html',
    async train(page) {
      await waitForText(page, 'step-time', (t) => Number(t) > 0, 180_000);
      await page.locator('[data-testid="train-toggle"]').click();
      await waitForText(page, 'train-toggle', (t) => t === 'Train');
      await waitForText(page, 'snapshot-step', (t) => t.startsWith('after step'));
    },
  },
  {
    // The same page in a browser without WebGPU: the explorer's one no-GPU state, checks run.
    name: 'shaders without a GPU',
    path: 'shaders.html',
    noGpu: true,
    async train(page) {
      await waitForText(page, 'gpu-missing', (t) => t.length > 0);
      await page.locator('[data-testid="reference-check"]').click();
      await waitForText(page, 'reference-check-result', (t) => /match/.test(t));
    },
  },
  {
    name: 'blog',
    path: 'blog.html',
    async train(page) {
      // Widgets pause while off screen, so they train one after another.
      await trainPlayground(page, '#spiral ', 10);
      await page.locator('#iris').scrollIntoViewIfNeeded();
      await trainPlayground(page, '#iris ', 10);
      await page.locator('sp-gan').scrollIntoViewIfNeeded();
      await trainGan(page, 'sp-gan ', 2);
    },
  },
  {
    name: 'embed',
    path: 'embed.html#dataset=iris&layers=8&epochs=10&seed=42',
    train: (page) => trainPlayground(page, '', 10),
  },
];
