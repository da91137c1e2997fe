import { DEFAULT_SWEEP, decodeSweep, encodeSweep, type SweepConfig } from '../../src/config/sweep.ts';

/**
 * The sweep of a playground link's `sweep=` value (decodeHash's `page.sweep`), or null when it
 * carries none (a sweep row's link: the sweep settings on screen stay). A broken one adds a
 * message to `messages` and gives the default, like any other setting.
 */
export function sweepFromHash(raw: string | undefined, messages: string[]): SweepConfig | null {
  if (raw === undefined) return null;
  try {
    return decodeSweep(raw);
  } catch (e) {
    messages.push(`The sweep setting "${raw.slice(0, 60)}" was not used (${e instanceof Error ? e.message : String(e)}); keeping the default sweep.`);
    return DEFAULT_SWEEP;
  }
}

/** The `&sweep=…` part of a playground hash; empty for the default sweep, so plain links stay short. */
export function sweepHashPart(sweep: SweepConfig): string {
  const text = encodeSweep(sweep);
  return text === encodeSweep(DEFAULT_SWEEP) ? '' : `&sweep=${encodeURIComponent(text)}`;
}
