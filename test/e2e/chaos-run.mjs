// One seeded chaos run on a built page: random actions with random gaps, and after each one the
// invariants of issue 21 — its effect shows within EFFECT_MS, no unhandled rejection or console
// error, the worker answers a ping, no widget shows an error. At the end every widget trains from
// a reset to epoch 3, GPU memory is back to its baseline, and a page without widgets holds none.
// A failure throws with the seed and the action log; the same seed replays the same actions.
import { readFileSync } from 'node:fs';
import { ACTIONS, pickAction, readWidgets, rng } from './chaos-actions.mjs';

/** How long an action's effect may take to show. */
export const EFFECT_MS = 5000;
/** Longest random gap between two actions. */
export const MAX_GAP_MS = 500;
/** Builds and the end-of-run training get this long (pipeline compiles on a software adapter under load). */
const SETTLE_MS = 120_000;
const PING_MS = 15_000;
/** No widget may stay building, stepping or pausing longer than this: one that never ends is a hang too. */
const BUSY_MS = 60_000;

const BLOG = readFileSync(new URL('../fixtures/chaos-blog.html', import.meta.url), 'utf8');
const PLAYGROUND_HASH = 'dataset=spiral&layers=8,8&activation=tanh&lr=0.03&epochs=10000&seed=3';

/** Emulates a hidden tab and records every uncaught error and unhandled rejection. */
function instrumentPage() {
  window.__chaosHidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (window.__chaosHidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__chaosHidden });
  window.__chaosSetHidden = (hidden) => {
    window.__chaosHidden = hidden;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  window.__chaosErrors = [];
  window.addEventListener('unhandledrejection', (e) => window.__chaosErrors.push(`unhandled rejection: ${e.reason?.stack ?? e.reason}`));
}

/**
 * Runs `actions` chaos actions with `seed` on `kind` ('playground' or 'blog') with every widget
 * on `backend` ('webgpu' or 'cpu'); with `then`, halfway through every widget switches to that
 * backend (through the UI on the playground, through the `config` attribute on the blog), so one
 * run covers both. Resolves with a summary; throws with the seed and the action log.
 */
export async function runChaos({ browser, baseUrl, seed, kind, backend, then = null, actions, onLog = () => undefined, traceMemory = false }) {
  const r = rng(seed);
  const log = [];
  const started = Date.now();
  const note = (line) => {
    const entry = `+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`;
    log.push(entry);
    onLog(entry);
  };
  const page = await browser.newPage({ viewport: { width: 1280, height: kind === 'blog' ? 5600 : 3000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  await page.addInitScript(instrumentPage);
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  await page.route('**/chaos-blog.html', (route) => route.fulfill({ contentType: 'text/html', body: BLOG.replaceAll('BACKEND', backend) }));
  const fail = (message) => {
    const replay = `seed=${seed} page=${kind} backend=${backend}${then ? ` then=${then}` : ''} actions=${actions}`;
    throw new Error(
      `chaos failed: ${message}\nreplay: ${replay} (npm run chaos -- --seed ${seed} --page ${kind} --backend ${backend}${then ? ` --then ${then}` : ''} --actions ${actions})\n${log.join('\n')}`,
    );
  };
  try {
    const ids = await open(page, baseUrl, kind, backend);
    const ctx = context(page, ids, r, kind, note, fail);
    await ctx.settle('every widget built', (ws) => ws.every((w) => w.status === 'ready'), SETTLE_MS);
    for (const id of ids) await resetAndTrain(ctx, id);
    const baseline = await quiescentMemory(page);
    note(`start: ${ids.length} widgets on ${backend}, GPU ${baseline.bytes} bytes (${baseline.stagingBytes} staging)`);
    let noops = 0;
    let widgets = await ctx.widgets();
    for (let i = 1; i <= actions; i++) {
      if (then && i === Math.floor(actions / 2) + 1) {
        await switchBackend(ctx, ids, then);
        note(`every widget switched to ${then}`);
        widgets = await ctx.invariants('after the backend switch');
      }
      await ctx.gap();
      const w = r.pick(widgets);
      const action = pickAction(r);
      const done = await action.run(ctx, r, w);
      if (!done) {
        noops++;
        note(`#${i} ${w.id} ${action.name}: nothing to do (${w.status})`);
      } else {
        const ms = await ctx.expect(done.what, done.expect);
        const memory = traceMemory ? ` · ${JSON.stringify(await page.evaluate(() => globalThis[Symbol.for('shaderprop.engine')].gpuMemory()))}` : '';
        note(`#${i} ${w.id} ${done.what}: effect in ${ms} ms${memory}`);
      }
      widgets = await ctx.invariants(`after #${i}`);
    }
    await finish(ctx, page, kind, ids, backend, baseline, note);
    return { seed, kind, backend, actions, noops, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    if (e.message.startsWith('chaos failed')) throw e;
    fail(e.stack ?? e.message);
  } finally {
    await page.close();
  }

  /** Opens the page and returns the widget ids; every widget and container gets an id. */
  async function open(page, baseUrl, kind, backend) {
    if (kind === 'blog') {
      await page.goto(new URL('chaos-blog.html', baseUrl).href);
      return ['w1', 'w2', 'w3'];
    }
    await page.goto(new URL(`index.html#${PLAYGROUND_HASH}&backend=${backend}`, baseUrl).href);
    await page.waitForFunction(() => document.querySelector('sp-playground'));
    await page.evaluate(() => {
      const el = document.querySelector('sp-playground');
      el.id = 'pg';
      el.parentElement.id ||= 'col-a';
      const other = document.createElement('div');
      other.id = 'col-b';
      document.body.append(other);
    });
    return ['pg'];
  }

  /** What actions use: the page, waits with deadlines, clicks, and the invariants. */
  function context(page, ids, r, kind, note, fail) {
    const busySince = {};
    const ctx = {
      page,
      urlState: kind === 'playground',
      parents: ['col-a', 'col-b'],
      widgets: () => readWidgets(page, ids),
      gap: () => new Promise((resolve) => setTimeout(resolve, r.int(MAX_GAP_MS + 1))),
      /**
       * Clicks a control as a person would, unless it is disabled now (resolves false then). The
       * click is dispatched on the control itself: on a loaded machine charts redrawing next to it
       * kept Playwright's pointer click waiting for a stable layout past the effect deadline.
       */
      async click(id, testid) {
        const control = page.locator(`#${id} [data-testid="${testid}"]`).first();
        if (await control.isDisabled({ timeout: EFFECT_MS })) return false;
        await control.dispatchEvent('click', {}, { timeout: EFFECT_MS });
        return true;
      },
      /** Polls until `predicate` holds; fails the run after EFFECT_MS. Resolves with the time it took. */
      async expect(what, predicate, ms = EFFECT_MS) {
        const t0 = Date.now();
        let last = [];
        while (Date.now() - t0 < ms) {
          last = await ctx.widgets();
          if (predicate(last)) return Date.now() - t0;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        fail(`the effect of "${what}" did not show within ${ms} ms; widgets: ${JSON.stringify(last.map(brief))}`);
      },
      settle: (what, predicate, ms) => ctx.expect(what, predicate, ms),
      /** Checks the invariants after an action and resolves with the widgets' state. */
      async invariants(when) {
        const { thrown, pinged } = await page.evaluate(async (ms) => {
          const ping = globalThis[Symbol.for('shaderprop.engine')].ping().then(
            () => 'pong',
            (e) => e.message,
          );
          const late = new Promise((r) => setTimeout(() => r(`no answer within ${ms} ms`), ms));
          return { thrown: window.__chaosErrors.splice(0), pinged: await Promise.race([ping, late]) };
        }, PING_MS);
        const seen = [...errors.splice(0), ...thrown];
        if (seen.length) fail(`${when}: ${seen.join('; ')}`);
        if (pinged !== 'pong') fail(`${when}: the worker did not answer a ping (${pinged})`);
        const widgets = await ctx.widgets();
        const broken = widgets.filter((w) => w.status === 'error');
        if (broken.length) fail(`${when}: ${broken.map((w) => `${w.id} shows an error: ${w.error}`).join('; ')}`);
        for (const w of widgets) {
          const busy = w.status === 'building' ? 'building' : w.stepping ? 'stepping' : w.pausing ? 'pausing' : null;
          if (!busy) delete busySince[w.id];
          else if (Date.now() - (busySince[w.id] ??= Date.now()) > BUSY_MS) fail(`${when}: ${w.id} has been ${busy} for over ${BUSY_MS / 1000} s`);
        }
        return widgets;
      },
    };
    return ctx;
  }
}

function brief(w) {
  return {
    id: w.id,
    status: w.status,
    epochs: w.epochs,
    steps: w.steps,
    parent: w.parent,
    connected: w.connected,
    job: w.job,
    toggle: w.toggle,
    stepping: w.stepping,
    pausing: w.pausing,
  };
}

/** Every widget to `backend`: the playground's own select, or the blog widgets' `config` attribute. */
async function switchBackend(ctx, ids, backend) {
  for (const id of ids) {
    if (ctx.urlState) await ctx.page.locator(`#${id} [data-testid="backend-choice"]`).selectOption(backend);
    else await ctx.page.evaluate(({ id, backend }) => document.getElementById(id).setAttribute('config', `backend=${backend}`), { id, backend });
  }
  await ctx.expect(`every widget on ${backend}`, (ws) => ws.every((w) => w.config.backend === backend && w.epochs === 0));
}

/** GPU memory once no build or job is in flight and it stops changing (60 s at most). */
async function quiescentMemory(page) {
  const read = () => page.evaluate(() => globalThis[Symbol.for('shaderprop.engine')].gpuMemory());
  let last = await read();
  for (let same = 0, i = 0; same < 4 && i < 240; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await read();
    same = now.bytes === last.bytes && now.jobs === 0 ? same + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * Resets widget `id`, trains it to epoch 3 and pauses it. The baseline and the end both measure
 * memory after this, so buffers a session allocates on first use (evaluation and prediction
 * runners sized by the rows they score) are in both.
 */
async function resetAndTrain(ctx, id) {
  await ctx.click(id, 'reset');
  await ctx.settle(`${id} ready after a reset`, (ws) => ws.find((w) => w.id === id).status === 'ready' && ws.find((w) => w.id === id).epochs === 0, SETTLE_MS);
  await ctx.click(id, 'train-toggle');
  await ctx.settle(`${id} at epoch 3`, (ws) => ws.find((w) => w.id === id).epochs >= 3, SETTLE_MS);
  await ctx.click(id, 'train-toggle');
  await ctx.settle(`${id} paused`, (ws) => ws.find((w) => w.id === id).status === 'ready', SETTLE_MS);
}

/** The end of a run: initial experiments back, each trained from a reset to epoch 3, memory checks. */
async function finish(ctx, page, kind, ids, backend, baseline, note) {
  await page.evaluate(() => window.__chaosSetHidden(false));
  await page.evaluate(
    ({ kind, hash, backend }) => {
      if (kind === 'playground') {
        location.hash = hash;
        return;
      }
      const initial = {
        w1: ['dataset', 'spiral', 'layers', '8,8', 'activation', 'tanh', 'learning-rate', '0.03', 'seed', '3'],
        w2: ['dataset', 'xor', 'layers', '6', 'activation', 'tanh', 'seed', '2'],
        w3: ['dataset', 'iris', 'layers', '16', 'activation', 'relu', 'seed', '42'],
      };
      for (const [id, attrs] of Object.entries(initial)) {
        const el = document.getElementById(id);
        for (const name of ['learning-rate', 'batch']) el.removeAttribute(name);
        for (let i = 0; i < attrs.length; i += 2) el.setAttribute(attrs[i], attrs[i + 1]);
        el.setAttribute('config', `backend=${backend}`);
      }
    },
    { kind, hash: `${PLAYGROUND_HASH}&backend=${backend}`, backend },
  );
  for (const id of ids) {
    await ctx.settle(`${id} rebuilt with its first experiment`, (ws) => ws.find((w) => w.id === id).status !== 'training', EFFECT_MS);
    await resetAndTrain(ctx, id);
    note(`end: ${id} trained from a reset to epoch 3`);
  }
  await ctx.invariants('at the end');
  const end = await quiescentMemory(page);
  note(`end: GPU ${end.bytes} bytes (${end.stagingBytes} staging), baseline ${baseline.bytes} (${baseline.stagingBytes}); engine ${JSON.stringify(end)}`);
  if (end.bytes - end.stagingBytes !== baseline.bytes - baseline.stagingBytes) {
    throw new Error(`GPU memory outside staging is ${end.bytes - end.stagingBytes} bytes, not the baseline ${baseline.bytes - baseline.stagingBytes}`);
  }
  await page.evaluate((ids) => ids.forEach((id) => document.getElementById(id).remove()), ids);
  const t0 = Date.now();
  let left = await quiescentMemory(page);
  while (left.bytes !== 0 && Date.now() - t0 < 10_000) left = await quiescentMemory(page);
  if (left.bytes !== 0)
    throw new Error(`with every widget removed the worker still holds ${left.bytes} bytes of GPU memory in ${left.buffers} buffers (${JSON.stringify(left)})`);
  note('end: no widget left, no GPU memory held');
}

export { ACTIONS };
