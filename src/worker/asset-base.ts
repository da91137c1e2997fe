/** The query key on the worker script's URL that carries an author's MNIST asset base. */
export const ASSETS_PARAM = 'assets';

/**
 * The MNIST asset folder for a worker script at `scriptUrl`: its `?assets=` value (absolute, set
 * by the page) when present, else data/ beside the script. The import of a cross-origin worker
 * through a blob: worker keeps the script's own URL, so "beside the script" is the CDN's folder.
 */
export function assetBaseOf(scriptUrl: string): URL {
  const script = new URL(scriptUrl);
  const asked = script.searchParams.get(ASSETS_PARAM);
  if (!asked) return new URL('./data/', script);
  const base = new URL(asked, script);
  // A base names a folder: without its trailing slash, data files would resolve beside it.
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}
