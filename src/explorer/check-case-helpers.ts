// What every family's check cases share: seeded inputs, building a dispatch inside error scopes,
// and pointing a kernel wrapper at the edited source. Separate so the families' case files
// depend on it rather than on each other.
import type { Dispatch, KernelFamily, OwnedDispatch } from '../gpu/kernel.ts';
import type { Rng } from '../nn/rng.ts';
import type { CheckContext } from './checks.ts';

/** `n` uniform values in [lo, hi) from the case's seeded stream. */
export function random(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** Builds a dispatch inside error scopes, so a broken edit rejects with the pipeline's own error; its uniform goes to the scratch space. */
export async function build<T extends OwnedDispatch>(c: CheckContext, make: () => T): Promise<Dispatch> {
  const device = c.scratch.device;
  device.pushErrorScope('validation');
  device.pushErrorScope('internal');
  let made: T | null = null;
  let thrown: { error: unknown } | null = null;
  try {
    made = make();
  } catch (error) {
    thrown = { error };
  }
  // The scopes are popped whether or not make() threw; a scope's error is the better message.
  const internal = await device.popErrorScope();
  const validation = await device.popErrorScope();
  if (made) c.scratch.own(made.uniform);
  const error = validation ?? internal;
  if (error) throw new Error(`creating the pipeline failed: ${error.message}`);
  if (thrown) throw thrown.error;
  return made!.dispatch;
}

/** Points `kernel`'s family at the edited source and module, so the case tests the edit. */
export function useEdited<K extends { family: KernelFamily }>(kernel: K, edited: KernelFamily): K {
  kernel.family.adopt(edited.source, edited.module);
  return kernel;
}
