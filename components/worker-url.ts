/**
 * Where widgets start the engine worker. In the built distributable the worker sits next to the
 * bundle (dist/worker.js beside dist/NAME.js), so resolving against import.meta.url works on any
 * static host; tests point it at the TypeScript source instead.
 */
let workerUrl: URL = new URL('./worker.js', import.meta.url);

/** The worker URL every widget uses. */
export function engineWorkerUrl(): URL {
  return workerUrl;
}

/** Overrides the worker URL (tests, or hosts that serve the worker from elsewhere on their origin). */
export function setEngineWorkerUrl(url: URL): void {
  workerUrl = url;
}
