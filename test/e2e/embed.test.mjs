// Widgets embedded in a blog post (blog.html loads only dist/shaderprop.js under a strict CSP).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, poll, waitForText } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

const inside = (id, testid) => `#${id} [data-testid="${testid}"]`;

async function text(page, selector) {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** A backend's label once one was chosen. */
const chosen = (t) => t.startsWith('WebGPU') || t.startsWith('CPU');

function until(page, selector, predicate, timeout = 120_000) {
  return poll(selector, () => text(page, selector).catch(() => ''), predicate, timeout);
}

test('blog post: widgets share one worker, train independently, follow attributes, pause off screen, obey the CSP', async () => {
  const page = env.watch(await env.browser.newPage());
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    const Original = window.Worker;
    window.__workers = 0;
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        window.__workers++;
      }
    };
  });
  await page.setViewportSize({ width: 1100, height: 800 });
  await page.goto(new URL('blog.html', env.server.url).href);
  // The post leaves the backend to Auto: a timed trial picks WebGPU or the CPU per widget.
  await until(page, inside('spiral', 'backend'), chosen);
  await until(page, inside('iris', 'backend'), chosen);
  await waitForText(page, 'gan-backend', chosen, 180_000);
  assert.equal(await page.evaluate(() => window.__workers), 1, 'every widget shares one worker');

  // On the CPU backend the post's runs (300 and 100 epochs) take seconds: give both room to be
  // still training while the test watches them.
  await page.evaluate(() => ['#spiral', '#iris'].forEach((id) => document.querySelector(id).setAttribute('epochs', '10000')));
  await poll(
    'both rebuilt for 10000 epochs',
    () => page.evaluate(() => ['#spiral', '#iris'].map((id) => document.querySelector(id).config.epochs)),
    (n) => n.every((e) => e === 10000),
  );
  await until(page, inside('spiral', 'backend'), chosen);
  await until(page, inside('iris', 'backend'), chosen);

  // Both playgrounds train at once, each at its own pace and state.
  await page.locator(inside('spiral', 'train-toggle')).click();
  await page.locator('#iris').scrollIntoViewIfNeeded();
  await page.locator(inside('iris', 'train-toggle')).click();
  await until(page, inside('iris', 'epoch'), (t) => Number(t) >= 5);
  // The spiral is now off screen: it pauses (its toggle offers Train again) and stops dispatching
  // while Iris trains on, then resumes when seen.
  await until(page, inside('spiral', 'train-toggle'), (t) => t.includes('Train'));
  const stillThere = Number(await text(page, inside('spiral', 'epoch')));
  const irisNow = Number(await text(page, inside('iris', 'epoch')));
  await until(page, inside('iris', 'epoch'), (t) => Number(t) >= irisNow + 3);
  assert.equal(Number(await text(page, inside('spiral', 'epoch'))), stillThere, 'an off-screen widget kept training');
  await page.locator('#spiral').scrollIntoViewIfNeeded();
  await until(page, inside('spiral', 'epoch'), (t) => Number(t) > stillThere + 3);

  // An attribute change rebuilds that widget only.
  const irisEpoch = Number(await text(page, inside('iris', 'epoch')));
  await page.evaluate(() => document.querySelector('#spiral').setAttribute('layers', '3'));
  await until(page, inside('spiral', 'epoch'), (t) => t === '0');
  assert.deepEqual(await page.evaluate(() => document.querySelector('#spiral').config.hidden.map((l) => l.units)), [3]);
  assert.ok(Number(await text(page, inside('iris', 'epoch'))) >= irisEpoch);

  // Markup in an attribute is shown as text, never run.
  await page.evaluate(() => document.querySelector('#iris').setAttribute('dataset', '<img src=x onerror="window.__pwned=1">'));
  await page.locator('#iris .notice, #iris >> .notice').first().waitFor();
  assert.match(await text(page, '#iris >> .notice'), /<img src=x/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() => document.querySelector('#iris').shadowRoot.querySelectorAll('img').length), 0);

  // <sp-boosting> and <sp-stacking> alone in the post train through the bundle's default runner, under the same CSP.
  await page.evaluate(() => {
    const config = 'dataset=moons&size=120&layers=4&activation=tanh&lr=0.02&batch=16&epochs=4&seed=5&backend=cpu';
    for (const [tag, key, value] of [
      ['sp-boosting', 'boost', 'rounds:1;layers:4;act:tanh;epochs:4;shrink:1'],
      ['sp-stacking', 'stack', 'k:2;meta:0;pass:0;l:4/tanh/adam/0.03'],
    ]) {
      const el = document.createElement(tag);
      el.id = `${key}-embed`;
      el.setAttribute('config', config);
      el.setAttribute(key, value);
      document.body.append(el);
    }
  });
  for (const [id, start] of [
    ['boost', 'boost-start'],
    ['stack', 'stack-start'],
  ]) {
    const button = page.locator(`#${id}-embed [data-testid="${start}"]`);
    await poll(`<sp-${id}ing> connected to the worker`, () => button.isEnabled(), Boolean, 30_000);
    await button.click();
  }
  await until(page, '#boost-embed [data-testid="boost-test-accuracy"]', (t) => /%$/.test(t));
  await until(page, '#stack-embed [data-testid="stack-test-accuracy"]', (t) => /%$/.test(t));

  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the iframe embed reads its experiment from the hash', async () => {
  const page = await env.newPage('embed.html#dataset=xor&layers=6&activation=tanh&epochs=4&seed=2&backend=webgpu');
  await waitForText(page, 'backend', (t) => t.startsWith('WebGPU'));
  await page.locator('[data-testid="train-toggle"]').click();
  await waitForText(page, 'epoch', (t) => Number(t) >= 4);
  assert.equal(await page.locator('sp-dataset-picker').count(), 0, 'controls="status,charts,boundary,metrics" hides the setup');
  await page.close();
});

test('a host that blocks workers gets a visible message naming the directive to allow', async () => {
  const page = await env.browser.newPage();
  await page.goto(new URL('csp-blocked.html', env.server.url).href);
  const message = await waitForText(page, 'error', (t) => t.length > 0);
  assert.match(message, /worker-src 'self'/);
  await page.close();
});
