import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';

/** What an `sp-config-change` event carries. */
export interface ConfigChange {
  config: ExperimentConfig;
  live: boolean;
}

/** An element that edits an experiment and reports edits as `sp-config-change`. */
type ConfigElement = HTMLElement & { config: ExperimentConfig; updateComplete: Promise<boolean> };

/**
 * Mounts `tag` with `config` and records every change it emits; like the playground, each change
 * is fed back in as the element's config.
 */
export async function mountConfigElement<T extends ConfigElement>(
  tag: string,
  config: ExperimentConfig = DEFAULT_EXPERIMENT,
): Promise<{ el: T; seen: ConfigChange[] }> {
  const el = document.createElement(tag) as T;
  el.config = config;
  const seen: ConfigChange[] = [];
  el.addEventListener('sp-config-change', (e) => {
    const detail = (e as CustomEvent<ConfigChange>).detail;
    seen.push(detail);
    el.config = detail.config;
  });
  document.body.append(el);
  await el.updateComplete;
  return { el, seen };
}

/** The control with `data-testid` = `testid` in the element's shadow root; throws when missing. */
export function field<T extends HTMLElement>(el: HTMLElement, testid: string): T {
  const found = el.shadowRoot!.querySelector<T>(`[data-testid="${testid}"]`);
  if (!found) throw new Error(`no ${testid}`);
  return found;
}

/** Types `value` into a control and commits it, as a person leaving the field would. */
export async function enter(el: ConfigElement, testid: string, value: string): Promise<void> {
  const input = field<HTMLInputElement | HTMLSelectElement>(el, testid);
  input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}
