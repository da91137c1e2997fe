import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { runHalving } from '../../src/train/halving.ts';
import { runSweep, type SweepProgress, type SweepResult, type SweepRunner } from '../../src/train/sweep.ts';
import { testGpu } from './gpu.ts';

/** The real sweep, run in the page: loads the experiment's data and trains every configuration (halving prunes them). */
export class PageSweepRunner implements SweepRunner {
  private stopped = false;
  runs = 0;

  async run(config: ExperimentConfig, sweep: SweepConfig, onProgress: (p: SweepProgress) => void): Promise<SweepResult> {
    this.stopped = false;
    this.runs++;
    const data = await loadExperimentData(config);
    const hooks = { onProgress, shouldStop: () => this.stopped };
    return sweep.mode === 'halving' ? runHalving(config, sweep, data, testGpu, hooks) : runSweep(config, sweep, data, testGpu, hooks);
  }

  cancel(): void {
    this.stopped = true;
  }
}

/** A runner the test drives by hand: it reports progress and fails when told to. */
export class ScriptedRunner implements SweepRunner {
  calls: { config: ExperimentConfig; sweep: SweepConfig; onProgress: (p: SweepProgress) => void; reject: (e: Error) => void }[] = [];
  cancels = 0;

  run(config: ExperimentConfig, sweep: SweepConfig, onProgress: (p: SweepProgress) => void): Promise<SweepResult> {
    return new Promise((_resolve, reject) => this.calls.push({ config, sweep, onProgress, reject }));
  }

  cancel(): void {
    this.cancels++;
  }
}

/** Every element with `data-testid` = `testid` under `root`, through open shadow roots. */
export function findAll<T extends Element = HTMLElement>(root: Element | ShadowRoot, testid: string): T[] {
  const out: T[] = [];
  const walk = (node: Element | ShadowRoot) => {
    out.push(...node.querySelectorAll<T & Element>(`[data-testid="${testid}"]`));
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(root instanceof Element && root.shadowRoot ? root.shadowRoot : root);
  return out;
}

/** The one element with that test id; throws when there is none. */
export function find<T extends Element = HTMLElement>(root: Element, testid: string): T {
  const found = findAll<T>(root, testid)[0];
  if (!found) throw new Error(`no ${testid}`);
  return found;
}

/** Elements by tag under `root`, through open shadow roots. */
export function findTags<T extends Element>(root: Element, tag: string): T[] {
  const out: T[] = [];
  const walk = (node: Element | ShadowRoot) => {
    out.push(...node.querySelectorAll<T & Element>(tag));
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(root.shadowRoot ?? root);
  return out;
}

/** Waits for a condition, polling; fails after `timeout` ms (generous: the machine is shared and slow). */
export async function until(check: () => boolean, what: string, timeout = 90000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Sets a control's value and commits it, as a person leaving the field would. */
export function enterValue(control: HTMLInputElement | HTMLSelectElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Ticks or unticks a checkbox by clicking it (when it is not already in that state). */
export function setChecked(box: HTMLInputElement, checked: boolean): void {
  if (box.checked !== checked) box.click();
}

/** Waits until an element and every Lit element inside it have rendered their latest state. */
export async function settle(root: Element): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const all = [root, ...findTags<Element>(root, '*')].filter((e): e is Element & { updateComplete: Promise<boolean> } => 'updateComplete' in e);
    await Promise.all(all.map((e) => e.updateComplete));
  }
}
