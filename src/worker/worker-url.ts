import { ASSETS_PARAM } from './asset-base.ts';

/**
 * Where widgets start the engine worker. In the built distributable the worker sits next to the
 * bundle (dist/worker.js beside dist/NAME.js), so resolving against import.meta.url works on any
 * static host, a CDN on another origin included (the client starts it through a blob: worker);
 * tests point it at the TypeScript source instead.
 */
let workerUrl: URL = new URL('./worker.js', import.meta.url);

/**
 * The worker URL every widget uses. With `assets` (an element's `assets` attribute: the folder
 * holding MNIST's files, relative to the page) the URL carries it as `?assets=`, so the worker
 * loads MNIST from there; it must be on the page's origin or the script's, the only two origins
 * anything may load from. Throws a message naming both otherwise.
 */
export function engineWorkerUrl(assets: string | null = null): URL {
  if (assets === null || assets.trim() === '') return workerUrl;
  const page = globalThis.location?.href ?? workerUrl.href;
  let base: URL;
  try {
    base = new URL(assets.trim(), page);
  } catch {
    throw new Error(`assets="${assets}" is not a URL: give the folder that holds MNIST's files (e.g. /static/shaderprop/data/).`);
  }
  const allowed = new Set([new URL(page).origin, workerUrl.origin]);
  if (!allowed.has(base.origin)) {
    throw new Error(
      `assets="${assets}" is on ${base.origin}; widgets load only from this page's origin or the one shaderprop.js came from (${[...allowed].join(', ')}).`,
    );
  }
  const url = new URL(workerUrl);
  url.searchParams.set(ASSETS_PARAM, base.href);
  return url;
}

/** Overrides the worker URL (tests, or hosts that serve the worker from elsewhere on their origin). */
export function setEngineWorkerUrl(url: URL): void {
  workerUrl = url;
}
