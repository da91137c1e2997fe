const tails = new WeakMap<GPUDevice, Promise<unknown>>();

/**
 * Runs `work` after every earlier `withDeviceLock` on the same device has settled. Error scopes
 * are one stack per device, so two async flows that each push, await and pop would pop each
 * other's scopes; the explorer's compiles and checks take turns through this lock instead.
 */
export function withDeviceLock<T>(device: GPUDevice, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(device) ?? Promise.resolve();
  const result = previous.then(work, work);
  tails.set(
    device,
    result.catch(() => undefined),
  );
  return result;
}
