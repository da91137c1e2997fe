// Shared setup of the end-to-end tests: a fresh build served on loopback and the system
// Chromium (with WebGPU, SwiftShader when there is no GPU) driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { findChrome, WEBGPU_FLAGS } from '../../scripts/find-chrome.mjs';
import { startServer } from '../../scripts/serve.mjs';

let built = false;

/** Builds dist/ once per process, serves it, and launches the browser. */
export async function openBrowser() {
  if (!built) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    built = true;
  }
  const server = await startServer({ port: 0 });
  const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS });
  const errors = [];
  const newPage = async (path) => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(path, server.url).href);
    return page;
  };
  const close = async () => {
    await browser.close();
    await server.close();
  };
  return { server, browser, newPage, errors, close };
}

/** Waits until the text of `testid` satisfies `predicate`, polling like a person watching. */
export async function waitForText(page, testid, predicate, timeout = 120_000) {
  const locator = page.locator(`[data-testid="${testid}"]`).first();
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent({ timeout }).catch(() => '')) ?? '';
    if (predicate(last.trim())) return last.trim();
    await page.waitForTimeout(200);
  }
  throw new Error(`data-testid=${testid} never matched; last text: "${last}"`);
}
