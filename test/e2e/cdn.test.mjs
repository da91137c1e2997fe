// Embed from a CDN (issue 16): the package served from origin A with the headers a CDN sends
// (Access-Control-Allow-Origin: *), a post on origin B loading it with one script tag.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer } from '../../scripts/serve.mjs';
import { openBrowser, poll } from './browser.mjs';

let env;
let cdn;
let blog;
let postDir;
before(async () => {
  env = await openBrowser();
  // openBrowser built and serves dist/ (same origin); the CDN is a second server over the same files.
  cdn = await startServer({ port: 0, cors: true });
  postDir = mkdtempSync(join(tmpdir(), 'shaderprop-post-'));
  blog = await startServer({ root: postDir, port: 0 });
});
after(async () => {
  await env?.close();
  await cdn?.close();
  await blog?.close();
  if (postDir) rmSync(postDir, { recursive: true, force: true });
});

/** Writes a post on origin B whose head has `head` and whose body is `body`, and opens it. */
async function post(name, body, head = '') {
  const script = new URL('shaderprop.js', cdn.url).href;
  writeFileSync(
    join(postDir, name),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}<title>${name}</title><script type="module" src="${script}"></script></head><body>${body}</body></html>`,
  );
  const page = env.watch(await env.browser.newPage());
  page.violations = [];
  page.on('console', (m) => m.type() === 'error' && page.violations.push(m.text()));
  await page.goto(new URL(name, blog.url).href);
  return page;
}

const text = (page, selector) =>
  page
    .locator(selector)
    .first()
    .textContent({ timeout: 5_000 })
    .then(
      (t) => (t ?? '').trim(),
      () => '',
    );
const epoch = (page, id) => text(page, `#${id} [data-testid="epoch"]`).then(Number);
const chosen = (t) => t.startsWith('WebGPU') || t.startsWith('CPU');

test('a post on another origin trains two widgets independently from the CDN copy', async () => {
  assert.notEqual(new URL(cdn.url).origin, new URL(blog.url).origin);
  const page = await post(
    'two-widgets.html',
    '<sp-playground id="iris" dataset="iris" layers="16" epochs="200" seed="42" controls="status"></sp-playground>' +
      '<sp-playground id="xor" dataset="xor" layers="6" epochs="200" seed="2" controls="status"></sp-playground>' +
      // A sweep on the CPU pool: the engine worker (a blob: worker importing the CDN's script) starts its pool workers the same way.
      '<sp-sweep id="sweep" config="dataset=iris&layers=8&epochs=5&backend=cpu&cpuworkers=2" sweep="grid;lr:0.001~0.1x4;budget:4"></sp-sweep>',
  );
  for (const id of ['iris', 'xor']) await poll(`${id} backend`, () => text(page, `#${id} [data-testid="backend"]`), chosen, 180_000);
  await page.locator('#iris [data-testid="train-toggle"]').click();
  await poll(
    'iris epochs',
    () => epoch(page, 'iris'),
    (n) => n >= 5,
    180_000,
  );
  assert.equal(await epoch(page, 'xor'), 0, 'the other widget stays untouched');
  await page.locator('#xor [data-testid="train-toggle"]').click();
  await poll(
    'xor epochs',
    () => epoch(page, 'xor'),
    (n) => n >= 5,
    180_000,
  );
  await page.locator('#sweep [data-testid="sweep-start"]').click();
  await poll(
    'the sweep on 2 CPU workers',
    () => text(page, '#sweep [data-testid="sweep-backend"]'),
    (t) => t.endsWith('2 workers'),
    180_000,
  );
  // Every script and the worker came from the CDN's origin; the only same-origin worker is the blob: one.
  const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  for (const url of urls) assert.ok(url.startsWith(cdn.url) || url.startsWith(blog.url), `loaded from elsewhere: ${url}`);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.violations, []);
  await page.close();
});

test('under a strict CSP that allows the CDN and blob: workers, the widget trains', async () => {
  const origin = new URL(cdn.url).origin;
  const csp = `script-src ${origin} 'wasm-unsafe-eval'; worker-src blob:; connect-src ${origin}; object-src 'none'; base-uri 'none'`;
  const page = await post(
    'strict.html',
    '<sp-playground id="iris" dataset="iris" layers="16" seed="42" controls="status"></sp-playground>',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
  );
  await poll('backend', () => text(page, '#iris [data-testid="backend"]'), chosen, 180_000);
  await page.locator('#iris [data-testid="train-toggle"]').click();
  await poll(
    'iris epochs',
    () => epoch(page, 'iris'),
    (n) => n >= 3,
    180_000,
  );
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.violations, []);
  await page.close();
});

test('a CSP without blob: workers gets the real cause and both fixes, never a wrong diagnosis', async () => {
  const origin = new URL(cdn.url).origin;
  const csp = `script-src ${origin}; worker-src 'self'`;
  const page = await post(
    'no-blob.html',
    '<sp-playground dataset="xor" layers="4" controls="status"></sp-playground>',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
  );
  const message = await poll(
    'the error',
    () => text(page, '[data-testid="error"]'),
    (t) => t.length > 0,
    120_000,
  );
  assert.match(message, /must be same-origin/);
  assert.match(message, /forbids blob: workers/);
  assert.match(message, /self-host/);
  assert.match(message, /add blob: to the worker-src/);
  assert.match(message, new RegExp(origin.replace(/[.:/]/g, '\\$&')));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an assets folder on a third origin is refused with a message naming the allowed origins', async () => {
  const page = await post(
    'bad-assets.html',
    '<sp-playground dataset="xor" layers="4" controls="status" assets="http://elsewhere.invalid/data/"></sp-playground>',
  );
  const message = await poll(
    'the error',
    () => text(page, '[data-testid="error"]'),
    (t) => t.length > 0,
    120_000,
  );
  assert.match(message, /assets="http:\/\/elsewhere\.invalid\/data\/" is on http:\/\/elsewhere\.invalid/);
  assert.match(message, new RegExp(new URL(cdn.url).origin.replace(/[.:/]/g, '\\$&')));
  await page.close();
});

test('MNIST loads from beside the CDN script, through CORS', async () => {
  const page = await post(
    'mnist.html',
    '<sp-playground id="digits" dataset="mnist" layers="16" epochs="1" controls="status" config="backend=cpu"></sp-playground>',
  );
  await poll(
    'MNIST built',
    () => text(page, '#digits [data-testid="backend"]'),
    (t) => t.startsWith('CPU'),
    300_000,
  );
  assert.equal(await text(page, '#digits [data-testid="error"]'), '');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.violations, []);
  await page.close();
});
