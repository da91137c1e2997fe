// The chaos test's actions: what a person (or an author's page) does to widgets while they train.
// Each action does something through the UI or an attribute and returns the effect to expect,
// a predicate over the widgets' state that must hold within the effect deadline (null: the
// action found nothing to do, e.g. a disabled button).

/** Seeded PRNG (mulberry32): the same seed gives the same actions and gaps. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)] };
}

/** What the page can tell about each widget (controller state read from the element). */
export function readWidgets(page, ids) {
  return page.evaluate((ids) => {
    const toggle = (el) => el?.shadowRoot?.querySelector('sp-training-controls')?.shadowRoot?.querySelector('[data-testid="train-toggle"]');
    return ids.map((id) => {
      const el = document.getElementById(id);
      const e = el?.engine;
      return {
        id,
        connected: !!el?.isConnected,
        parent: el?.parentElement?.id ?? null,
        status: e?.status,
        error: e?.error ?? null,
        steps: e?.steps ?? 0,
        epochs: e?.history?.length ?? 0,
        config: el?.config,
        resumeWhenVisible: !!el?.resumeWhenVisible,
        visible: !!el?.visibility?.visible,
        job: !!e?.multi?.jobs?.running,
        jobError: e?.multi?.jobs?.error ?? null,
        pinned: !!el?.pinned,
        stepping: !!e?.stepping,
        pausing: !!e?.pausing,
        toggle: toggle(el)?.textContent?.trim() ?? '',
        sections: ['network', 'hyperparams', 'data', 'runs', 'charts'].filter((s) => {
          const c = el?.getAttribute('controls');
          return c === null || c.split(/[\s,]+/).includes(s);
        }),
      };
    });
  }, ids);
}

const LAYERS = ['3', '8,8', '4,4,4', '16', '6,3', ''];
const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'linear'];
const RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3];
const BATCHES = [8, 16, 32, 64];
const DATASETS = ['spiral', 'circles', 'xor', 'gaussians', 'moons', 'iris'];

/** A value of `list` other than `current`. */
const other = (r, list, current) => r.pick(list.filter((v) => String(v) !== String(current)));
const units = (config) => config.hidden.map((l) => l.units).join(',');
const rebuilt = (id, check) => (ws) => {
  const w = ws.find((x) => x.id === id);
  return w.epochs === 0 && (w.status === 'building' || w.status === 'ready') && check(w.config);
};

/** Config fields the chaos edits: the attribute or hash key, the value now, a new value, and the check. */
const FIELDS = {
  layers: { key: 'layers', now: units, next: (r, c) => other(r, LAYERS, units(c)), is: (c, v) => units(c) === v },
  activation: {
    key: 'activation',
    now: (c) => c.hidden[0]?.activation,
    next: (r, c) => other(r, ACTIVATIONS, c.hidden[0]?.activation),
    is: (c, v) => c.hidden.every((l) => l.activation === v),
  },
  lr: {
    key: 'lr',
    attribute: 'learning-rate',
    now: (c) => c.optimizer.learningRate,
    next: (r, c) => other(r, RATES, c.optimizer.learningRate),
    is: (c, v) => c.optimizer.learningRate === Number(v),
  },
  batch: { key: 'batch', now: (c) => c.batchSize, next: (r, c) => other(r, BATCHES, c.batchSize), is: (c, v) => c.batchSize === Number(v) },
  dataset: { key: 'dataset', now: (c) => c.dataset.name, next: (r, c) => other(r, DATASETS, c.dataset.name), is: (c, v) => c.dataset.name === v },
  seed: { key: 'seed', now: (c) => c.seed, next: (r) => 1 + r.int(100000), is: (c, v) => c.seed === Number(v) },
};

/** Changes a config field through an attribute (blog) or the URL hash (the url-state playground). */
async function viaAttribute(ctx, r, w, field) {
  const f = FIELDS[field];
  const value = String(f.next(r, w.config));
  await ctx.page.evaluate(
    ({ id, name, key, value, urlState }) => {
      const el = document.getElementById(id);
      if (!urlState) return el.setAttribute(name, value);
      const params = new URLSearchParams(location.hash.slice(1));
      params.set(key, value);
      location.hash = params.toString();
    },
    { id: w.id, name: f.attribute ?? f.key, key: f.key, value, urlState: ctx.urlState },
  );
  return { what: `${ctx.urlState ? 'hash' : 'attribute'} ${f.key}=${value}`, expect: rebuilt(w.id, (c) => f.is(c, value)) };
}

/** Sets an input's value and fires its change event, as typing and leaving the field does. */
async function setInput(locator, value) {
  await locator.evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, String(value));
}

/** Changes a config field through the playground's own controls. */
async function viaUi(ctx, r, w, field) {
  const f = FIELDS[field];
  const $ = (testid) => ctx.page.locator(`#${w.id} [data-testid="${testid}"]`);
  const value = f.next(r, w.config);
  if (field === 'layers') {
    const rows = units(w.config) === '' ? 0 : w.config.hidden.length;
    if (rows > 0 && (rows >= 4 || r.next() < 0.4)) {
      await $('remove').nth(r.int(rows)).dispatchEvent('click');
      return { what: 'ui remove a layer', expect: rebuilt(w.id, (c) => c.hidden.length === rows - 1) };
    }
    if (rows === 0 || r.next() < 0.5) {
      await $('add-layer').dispatchEvent('click');
      return { what: 'ui add a layer', expect: rebuilt(w.id, (c) => c.hidden.length === rows + 1) };
    }
    const n = 1 + r.int(12);
    const i = r.int(rows);
    if (w.config.hidden[i].units === n) return null;
    await setInput($('units').nth(i), n);
    return { what: `ui layer ${i + 1} units ${n}`, expect: rebuilt(w.id, (c) => c.hidden[i]?.units === n) };
  }
  if (field === 'activation') {
    if (w.config.hidden.length === 0) return null;
    const i = r.int(w.config.hidden.length);
    const a = other(r, ACTIVATIONS, w.config.hidden[i].activation);
    await $('activation').nth(i).selectOption(a);
    return { what: `ui layer ${i + 1} activation ${a}`, expect: rebuilt(w.id, (c) => c.hidden[i]?.activation === a) };
  }
  if (field === 'dataset') {
    await $('dataset-name').selectOption(String(value));
    return { what: `ui dataset ${value}`, expect: rebuilt(w.id, (c) => f.is(c, value)) };
  }
  const testid = { lr: 'learning-rate', batch: 'batch-size', seed: 'seed' }[field];
  await setInput($(testid), value);
  if (field === 'lr') {
    // A live change: the model and its progress stay (no rebuild).
    return {
      what: `ui learning rate ${value} (live)`,
      expect: (ws) => {
        const now = find(ws, w.id);
        return now.config.optimizer.learningRate === value && now.epochs >= w.epochs && (w.status === 'building' || now.status !== 'building');
      },
    };
  }
  return { what: `ui ${field} ${value}`, expect: rebuilt(w.id, (c) => f.is(c, value)) };
}

const find = (ws, id) => ws.find((x) => x.id === id);

/** The action catalog: name, weight, and what it does to widget `w` (or the page). */
export const ACTIONS = [
  {
    name: 'train',
    weight: 4,
    run: async (ctx, r, w) => {
      // A run that reached its epochs stays done until a reset: Train then has nothing to do.
      if (w.status !== 'ready' || !w.toggle.includes('Train') || w.epochs >= w.config.epochs) return null;
      if (!(await ctx.click(w.id, 'train-toggle'))) return null;
      return { what: 'click Train', expect: (ws) => find(ws, w.id).status === 'training' || find(ws, w.id).epochs > w.epochs };
    },
  },
  {
    name: 'pause',
    weight: 2,
    run: async (ctx, r, w) => {
      if (w.status !== 'training' || !w.toggle.includes('Pause')) return null;
      if (!(await ctx.click(w.id, 'train-toggle'))) return null;
      // The toggle stops offering Pause at once; the run itself ends after its chunks in flight.
      return { what: 'click Pause', expect: (ws) => !find(ws, w.id).toggle.includes('Pause') };
    },
  },
  {
    name: 'step',
    weight: 2,
    run: async (ctx, r, w) => {
      // Read afresh: \`w\` is from before the gap, in which an earlier step may have finished (CI
      // once saw steps go 0 → 2 past a stale snapshot of 0 and miss the 1 it waited for).
      const before = find(await ctx.widgets(), w.id);
      if (before.status !== 'ready') return null;
      if (!(await ctx.click(w.id, 'step-once'))) return null;
      // Shown at once (the controls wait for the step); the step itself may queue behind GPU work,
      // and a step still in flight from before adds its own.
      return { what: 'click Step', expect: (ws) => find(ws, w.id).steps > before.steps || find(ws, w.id).stepping };
    },
  },
  {
    name: 'reset',
    weight: 1,
    run: async (ctx, r, w) => {
      if (!(await ctx.click(w.id, 'reset'))) return null;
      return { what: 'click Reset', expect: rebuilt(w.id, () => true) };
    },
  },
  ...Object.keys(FIELDS).map((field) => ({
    name: field,
    weight: 0.6,
    run: async (ctx, r, w) => {
      const ui = field === 'dataset' ? 'data' : field === 'layers' || field === 'activation' ? 'network' : 'hyperparams';
      const useUi = w.sections.includes(ui) && (ctx.urlState || r.next() < 0.5);
      return useUi ? viaUi(ctx, r, w, field) : viaAttribute(ctx, r, w, field);
    },
  })),
  {
    name: 'pin',
    weight: 1,
    run: async (ctx, r, w) => {
      if (!w.sections.includes('charts') || w.epochs === 0) return null;
      if (!(await ctx.click(w.id, 'pin-run'))) return null;
      return { what: 'pin this run', expect: (ws) => find(ws, w.id).pinned };
    },
  },
  {
    name: 'cross-validate',
    weight: 1,
    run: async (ctx, r, w) => {
      if (!w.sections.includes('runs') || w.job || (w.status !== 'ready' && w.status !== 'training')) return null;
      if (!(await ctx.click(w.id, 'cross-validate'))) return null;
      await ctx.expect('the job runs', (ws) => find(ws, w.id).job);
      await ctx.gap();
      await ctx.click(w.id, 'cancel-job');
      return { what: 'cross-validate, then cancel', expect: (ws) => !find(ws, w.id).job && find(ws, w.id).jobError === null };
    },
  },
  {
    name: 'hide-show',
    weight: 1,
    run: async (ctx) => {
      const hidden = await ctx.page.evaluate(() => window.__chaosHidden);
      if (!hidden) {
        const training = (await ctx.widgets()).filter((x) => x.status === 'training').map((x) => x.id);
        await ctx.page.evaluate(() => window.__chaosSetHidden(true));
        return { what: 'hide the tab', expect: (ws) => ws.every((x) => !training.includes(x.id) || !x.toggle.includes('Pause')) };
      }
      const resuming = (await ctx.widgets()).filter((x) => x.resumeWhenVisible && x.status === 'ready' && x.connected).map((x) => x.id);
      await ctx.page.evaluate(() => window.__chaosSetHidden(false));
      return { what: 'show the tab', expect: (ws) => ws.every((x) => !resuming.includes(x.id) || x.status === 'training' || x.epochs > 0) };
    },
  },
  {
    name: 'move',
    weight: 1,
    run: async (ctx, r, w) => {
      const to = other(r, ctx.parents, w.parent);
      await ctx.page.evaluate(({ id, to }) => document.getElementById(to).append(document.getElementById(id)), { id: w.id, to });
      const training = w.status === 'training';
      // A pause asked for before the move may land first: then it is paused, not training on.
      const trainsOn = (x) => x.epochs > w.epochs || (w.pausing && x.status === 'ready');
      return { what: `move to #${to}`, expect: (ws) => find(ws, w.id).parent === to && (!training || trainsOn(find(ws, w.id))) };
    },
  },
  {
    name: 'remove-readd',
    weight: 1,
    run: async (ctx, r, w) => {
      await ctx.page.evaluate((id) => {
        const el = document.getElementById(id);
        window.__chaosRemoved = { el, parent: el.parentElement };
        el.remove();
      }, w.id);
      await ctx.gap();
      await ctx.page.evaluate(() => {
        const { el, parent } = window.__chaosRemoved;
        parent.append(el);
      });
      return { what: 'remove, then re-add', expect: (ws) => find(ws, w.id).connected && ['building', 'ready', 'training'].includes(find(ws, w.id).status) };
    },
  },
];

/** Picks an action by weight. */
export function pickAction(r) {
  const total = ACTIONS.reduce((s, a) => s + a.weight, 0);
  let x = r.next() * total;
  for (const a of ACTIONS) {
    x -= a.weight;
    if (x < 0) return a;
  }
  return ACTIONS.at(-1);
}
