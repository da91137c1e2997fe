import { expect } from '@esm-bundle/chai';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { EngineController } from '../../../components/playground/engine-controller.ts';
import { sharedClient } from '../../../src/worker/shared-client.ts';
import '../../../components/playground/sp-playground.ts';
import type { SpPlayground } from '../../../components/playground/sp-playground.ts';
import { setEngineWorkerUrl } from '../../../src/worker/worker-url.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../../src/config/experiment.ts';
import type { TrainEvent } from '../../../src/worker/api.ts';
import type { EngineClient } from '../../../src/worker/client.ts';

const WORKER = new URL('../../../src/worker/worker.ts', import.meta.url);
setEngineWorkerUrl(WORKER);

const SPIRAL: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', size: 200, classes: 2 },
  hidden: [
    { units: 8, activation: 'tanh' },
    { units: 8, activation: 'tanh' },
  ],
  epochs: 300,
  seed: 3,
  backend: 'webgpu',
};

/** A controller host outside the DOM: counts redraws, nothing else. */
class Host implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** Waits for `check` with a deadline that names what was awaited. */
async function until(what: string, check: () => boolean, timeout = 90_000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Holds back the training events the shared client delivers while `held` is on, as a busy page
 * does when an event travelling on its own channel arrives after the reply that ended its run.
 */
function delayEvents(client: EngineClient) {
  const original = client.startTraining;
  const late: (() => void)[] = [];
  const state = { holding: false };
  (client as { startTraining: EngineClient['startTraining'] }).startTraining = (id, epochs, onEvent) =>
    original(id, epochs, (e: TrainEvent) => (state.holding ? late.push(() => onEvent(e)) : onEvent(e)));
  return {
    hold: () => (state.holding = true),
    late,
    release: () => {
      state.holding = false;
      late.splice(0).forEach((deliver) => deliver());
    },
    restore: () => ((client as { startTraining: EngineClient['startTraining'] }).startTraining = original),
  };
}

const text = (el: SpPlayground, testid: string) =>
  el.shadowRoot?.querySelector('sp-run-status')?.shadowRoot?.querySelector(`[data-testid="${testid}"]`)?.textContent?.trim() ?? '';
const engineOf = (el: SpPlayground) => (el as unknown as { engine: EngineController }).engine;

describe('EngineController', () => {
  afterEach(() => document.querySelectorAll('sp-playground, div.parent').forEach((e) => e.remove()));

  it('a rebuild mid-training ignores the old session\'s late events (the blog post\'s "epoch never returns to 0")', async () => {
    const events = delayEvents(sharedClient(WORKER));
    try {
      const c = new EngineController(new Host(), WORKER);
      await c.build(SPIRAL);
      await c.play(10_000);
      await until('two epochs', () => c.history.length >= 2);
      events.hold();
      await until('a late event', () => events.late.length >= 2);
      await c.build({ ...SPIRAL, hidden: [{ units: 3, activation: 'tanh' }] });
      // The old run's epochs (and, before the fix, its stop) land after the new session is built.
      events.release();
      expect(c.history, 'epochs of the replaced session').to.deep.equal([]);
      expect(c.status).to.equal('ready');
      await c.play(3);
      await until('three epochs of the new session', () => c.status === 'ready' && c.history.length === 3);
      expect(c.history.map((r) => r.epoch)).to.deep.equal([1, 2, 3]);
    } finally {
      events.restore();
    }
  });

  it("a pause followed at once by Train starts the new run even if the paused run's stop event comes late", async () => {
    const events = delayEvents(sharedClient(WORKER));
    try {
      const c = new EngineController(new Host(), WORKER);
      await c.build(SPIRAL);
      await c.play(10_000);
      await until('an epoch', () => c.history.length >= 1);
      events.hold();
      await c.pause();
      expect(events.late.length, 'the stop event was held back').to.be.greaterThan(0);
      expect(c.status, 'the pause ended the run without its stop event').to.equal('ready');
      await c.play(c.history.length + 2);
      events.release();
      expect(c.status, 'the stale stop event does not end the new run').to.equal('training');
      await until('the new run', () => c.status === 'ready');
      expect(c.error).to.equal(null);
    } finally {
      events.restore();
    }
  });

  it('Train pressed while a step finishes is for that model: a rebuild meanwhile does not start the new one (chaos seed 737604943)', async () => {
    const client = sharedClient(WORKER) as { epoch: EngineClient['epoch'] };
    const original = client.epoch;
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    client.epoch = async (...args) => {
      await gate;
      return original(...args);
    };
    try {
      const c = new EngineController(new Host(), WORKER);
      await c.build(SPIRAL);
      const epoch = c.epoch();
      await until('the epoch under way', () => c.stepping);
      const play = c.play(10_000);
      await c.build({ ...SPIRAL, seed: 4 });
      expect(c.status).to.equal('ready');
      release();
      await Promise.all([epoch, play]);
      expect(c.status, 'the rebuilt model waits for its own Train').to.equal('ready');
      expect(c.history, "the old model's epoch is not the new one's").to.deep.equal([]);
    } finally {
      release();
      client.epoch = original;
    }
  });

  it('a playground paused for a hidden tab and then rebuilt does not train its new model when the tab shows again', async () => {
    const setHidden = (hidden: boolean) => {
      if (hidden) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      else delete (document as { visibilityState?: unknown }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
    };
    const el = document.createElement('sp-playground');
    el.config = { ...SPIRAL, epochs: 10_000 };
    document.body.append(el);
    try {
      await until('the build', () => engineOf(el).status === 'ready');
      await engineOf(el).play(10_000);
      await until('an epoch', () => engineOf(el).history.length >= 1);
      setHidden(true);
      await until('the pause for the hidden tab', () => engineOf(el).status === 'ready');
      el.config = { ...SPIRAL, epochs: 10_000, seed: 9 };
      await until('the rebuild', () => engineOf(el).status === 'ready' && engineOf(el).history.length === 0);
      setHidden(false);
      // play() would have set 'training' after one turn of the step queue; a task later it has not.
      await new Promise((r) => setTimeout(r, 0));
      expect(engineOf(el).status).to.equal('ready');
    } finally {
      setHidden(false);
    }
  });

  it('removed and appended again, a playground builds again and trains', async () => {
    const el = document.createElement('sp-playground');
    el.config = { ...SPIRAL, epochs: 3 };
    document.body.append(el);
    await until('the build', () => engineOf(el).status === 'ready');
    el.remove();
    await until('the release', () => engineOf(el).status === 'idle');
    document.body.append(el);
    await until('the rebuild', () => engineOf(el).status === 'ready');
    el.shadowRoot!.querySelector('sp-training-controls')!.dispatchEvent(new CustomEvent('sp-play', { bubbles: true, composed: true }));
    await until('three epochs', () => text(el, 'epoch') === '3' && engineOf(el).status === 'ready');
    expect(engineOf(el).error).to.equal(null);
  });

  it('moved to another parent while training, a playground keeps its session and keeps training', async () => {
    const el = document.createElement('sp-playground');
    el.config = { ...SPIRAL, epochs: 10_000 };
    document.body.append(el);
    await until('the build', () => engineOf(el).status === 'ready');
    const info = engineOf(el).info;
    el.shadowRoot!.querySelector('sp-training-controls')!.dispatchEvent(new CustomEvent('sp-play', { bubbles: true, composed: true }));
    await until('an epoch', () => engineOf(el).history.length >= 1);
    const parent = document.createElement('div');
    parent.className = 'parent';
    document.body.append(parent);
    parent.append(el);
    const at = engineOf(el).history.length;
    await until('more epochs after the move', () => engineOf(el).history.length >= at + 3);
    expect(engineOf(el).info, 'the same session').to.equal(info);
    await engineOf(el).pause();
    expect(engineOf(el).status).to.equal('ready');
  });
});
