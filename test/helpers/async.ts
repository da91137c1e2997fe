/** The error a promise rejects with; fails the test if it resolves instead. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/**
 * Resolves once `check()` holds, polling every `every` ms; throws a message naming `what` after
 * `timeout` ms. For browser tests on a loaded two-core machine: wait for a condition, never for a
 * fixed time.
 */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeout = 30_000, every = 20): Promise<void> {
  const end = performance.now() + timeout;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
