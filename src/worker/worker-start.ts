/**
 * How the page starts the engine's module worker, wherever the script came from.
 *
 * A Worker's script must be same-origin with the page. When shaderprop.js comes from a CDN (another
 * origin, with CORS), the page starts a same-origin `blob:` module worker whose only line imports
 * the cross-origin worker script; the import is a CORS fetch, so the rule "nothing loads from
 * anywhere but the script's origin and the page's" holds. A page whose Content-Security-Policy
 * forbids `blob:` workers cannot take that way around, and the messages here say so.
 */

/** The worker's name in the browser's task manager and devtools. */
const WORKER_NAME = 'shaderprop engine';

/** A started worker and how it was reached (which decides the message when it fails). */
export interface StartedWorker {
  worker: Worker;
  /** True when the worker script is on another origin and a same-origin blob: worker imports it. */
  viaBlob: boolean;
  /** The worker script, absolute. */
  url: URL;
}

/** The page's origin, or null outside a page (Node, a worker). */
function pageOrigin(): string | null {
  const loc = (globalThis as { location?: Location }).location;
  return loc && loc.origin !== 'null' ? loc.origin : null;
}

/** True when `url` is on another origin than the page (so `new Worker(url)` is refused). */
export function isCrossOrigin(url: URL): boolean {
  const origin = pageOrigin();
  return origin !== null && url.origin !== origin;
}

/** The message a blob: worker posts when its import of the worker script fails (Comlink ignores it: no id). */
export const START_ERROR_KEY = 'shaderpropStartError';

/**
 * The blob: module that starts the cross-origin worker script. A dynamic import, because a static
 * one is a worker fetch that a page's worker-src would have to allow by origin too (dynamic ones
 * fall under script-src, which already allows shaderprop.js), and because its failure can be
 * caught and posted (the error event says nothing). Messages that arrive before the script has
 * run (and Comlink listens) are held and dispatched again afterwards, in order.
 */
export function blobWorkerSource(url: URL): string {
  return [
    'const held = [];',
    'const hold = (e) => { e.stopImmediatePropagation(); held.push(e); };',
    "addEventListener('message', hold);",
    `import(${JSON.stringify(url.href)}).then(() => {`,
    "  removeEventListener('message', hold);",
    "  for (const e of held) dispatchEvent(new MessageEvent('message', { data: e.data, ports: [...e.ports] }));",
    `}, (e) => postMessage({ ${START_ERROR_KEY}: String((e && e.message) || e) }));`,
    '',
  ].join('\n');
}

/**
 * Starts the module worker at `url`: directly when same-origin, else through a same-origin blob:
 * worker. A constructor refused by the page's Content-Security-Policy throws a SecurityError,
 * which the caller turns into `blockedMessage`. `name` is the worker's name (the engine's, or
 * the CPU pool's, which worker.ts reads to know which it is). The engine worker starts pool
 * workers the same way, nested: its own origin is the page's, so an embed's script from another
 * origin goes through a blob: worker there too.
 */
export function startModuleWorker(url: URL, name = WORKER_NAME): StartedWorker {
  if (!isCrossOrigin(url)) return { worker: new Worker(url, { type: 'module', name }), viaBlob: false, url };
  const blobUrl = URL.createObjectURL(new Blob([blobWorkerSource(url)], { type: 'text/javascript' }));
  try {
    return { worker: new Worker(blobUrl, { type: 'module', name }), viaBlob: true, url };
  } finally {
    // The worker has its own reference to the script once constructed; the page needs none.
    setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
  }
}

/**
 * The message for a worker the page's Content-Security-Policy (worker-src) refused. `blocked` is
 * the violation's blockedURI: 'blob' when the blob: starter was refused; the script's URL when
 * the starter ran but its import of the script (a worker fetch, also under worker-src) was not.
 */
export function blockedMessage(url: URL, viaBlob: boolean, blocked = ''): string {
  if (viaBlob && !blocked.startsWith('blob')) {
    return (
      `The engine's worker cannot start: shaderprop.js came from ${url.origin}, so a same-origin blob: worker imports its worker script, ` +
      `and this page's Content-Security-Policy does not allow ${url.origin} in worker-src. ` +
      `Fix either way: add ${url.origin} to worker-src (beside blob:), or self-host the shaderprop files on this site.`
    );
  }
  if (viaBlob) {
    return (
      `The engine's worker cannot start: a worker's script must be same-origin with the page, and shaderprop.js came from ${url.origin}. ` +
      "shaderprop starts it through a blob: worker instead, but this page's Content-Security-Policy forbids blob: workers (worker-src). " +
      `Fix either way: self-host the shaderprop files on this site, or add blob: to the worker-src directive.`
    );
  }
  return `This page's Content-Security-Policy blocks the engine's worker (${url.href}). The host must allow it with "worker-src 'self'" (or the origin shaderprop.js is served from).`;
}

/**
 * The message for a worker that failed to load for another reason than the policy. The cause is
 * what the browser said (what the blob: worker's import caught, or the error event's text). For
 * a cross-origin script whose fetch failed, the page fetches it once more (CORS mode, as the
 * worker's import did) to name the cause: not reachable or without CORS headers, or a bad status.
 */
export async function loadFailureMessage(url: URL, viaBlob: boolean, eventText: string): Promise<string> {
  if (!viaBlob) return `The engine worker crashed: ${eventText || 'it failed to load or threw an uncaught error'}`;
  const detail = eventText;
  const base = `The engine worker failed to start from ${url.href}`;
  if (/WebAssembly|wasm-unsafe-eval/i.test(detail)) {
    return `${base}: ${detail}. The worker runs under this page's Content-Security-Policy (a blob: worker inherits it), which must allow 'wasm-unsafe-eval' in script-src for the CPU kernels; or self-host the shaderprop files.`;
  }
  if (detail && !/fetch|import|load/i.test(detail)) return `${base}: ${detail}`;
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors', cache: 'no-store' });
  } catch {
    return `${base}: the page cannot fetch it. The server at ${url.origin} must be reachable and send Access-Control-Allow-Origin (CORS), and this page's connect-src and script-src must allow it.`;
  }
  if (!response.ok) return `${base}: the server answered ${response.status} ${response.statusText}. Check that worker.js sits beside shaderprop.js.`;
  return `${base}: ${detail || 'the script loaded but failed while starting'}. If this page has a Content-Security-Policy, its script-src must allow ${url.origin} (the blob: worker inherits the policy).`;
}
