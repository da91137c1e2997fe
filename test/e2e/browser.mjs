// Shared setup of the end-to-end tests: a fresh build served on loopback and the system
// Chromium (with WebGPU, SwiftShader when there is no GPU) driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { findChrome, WEBGPU_FLAGS } from '../../scripts/find-chrome.mjs';
import { startServer } from '../../scripts/serve.mjs';

/**
 * `npm run test:e2e` builds dist/ once and sets this, so the ~20 test files (one process each)
 * don't rebuild the same tree; a file run on its own builds for itself.
 */
let built = process.env.SHADERPROP_E2E_BUILT === '1';

/** Builds dist/ (unless already built for this run), serves it, and launches the browser. */
export async function openBrowser() {
  if (!built) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    built = true;
  }
  const server = await startServer({ port: 0 });
  const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS });
  const errors = [];
  /** Collects `page`'s uncaught errors into its own `page.errors` (and all of them into `errors`). */
  const watch = (page) => {
    page.errors = [];
    page.on('pageerror', (e) => {
      page.errors.push(e.message);
      errors.push(e.message);
    });
    return page;
  };
  const newPage = async (path) => {
    const page = watch(await browser.newPage());
    await page.goto(new URL(path, server.url).href);
    return page;
  };
  const close = async () => {
    await browser.close();
    await server.close();
  };
  return { server, browser, newPage, watch, errors, close };
}

/**
 * Polls `read()` until `predicate(value)` holds, like a person watching; throws naming `what` and
 * the last value after `timeout` ms. Every wait in the e2e tests is one of these: none sleeps.
 */
export async function poll(what, read, predicate, timeout = 120_000, every = 200) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (predicate(last)) return last;
    await sleep(every);
  }
  throw new Error(`${what} never matched within ${timeout / 1000} s; last: ${JSON.stringify(last)}`);
}

/** Waits until the text of `testid` satisfies `predicate`. */
export async function waitForText(page, testid, predicate, timeout = 120_000) {
  const locator = page.locator(`[data-testid="${testid}"]`).first();
  const text = () =>
    locator.textContent({ timeout }).then(
      (t) => (t ?? '').trim(),
      () => '',
    );
  return poll(`data-testid=${testid}`, text, predicate, timeout);
}
