// A zero-dependency static file server for dist/ on 127.0.0.1, used by `npm start`, the e2e tests
// and the benchmarks. Sends COOP/COEP so pages are cross-origin isolated (precise timers).
//
//   PORT=8080 node scripts/serve.mjs [root]
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const PORT_ATTEMPTS = 20;

/** Content types by file extension; anything else is served as application/octet-stream. */
export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.wgsl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
};

const COMMON_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

/**
 * What a CDN that mirrors npm adds (`cors: true`): any origin may read the files, and pages that
 * are cross-origin isolated (COEP require-corp) may embed them.
 */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** Sends a short plain-text answer with the given status. */
function sendText(res, status, text) {
  res.writeHead(status, { ...COMMON_HEADERS, ...res.extraHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/**
 * Maps a request path to `{file}` under root, `{redirect}` for a directory without its trailing
 * slash, undefined when nothing is there, or null when it would leave root (`..`, encoded
 * `%2e%2e`, backslashes, NUL bytes, symlinks pointing outside). Directories map to index.html.
 */
async function resolveFile(root, rawUrl) {
  let pathname;
  try {
    const raw = rawUrl.startsWith('/') ? rawUrl.split(/[?#]/)[0] : new URL(rawUrl).pathname;
    pathname = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname.split('/').includes('..')) return null;
  let file = resolve(root, `.${pathname}`);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    if ((await stat(file)).isDirectory()) {
      if (!pathname.endsWith('/')) return { redirect: `${pathname}/` };
      file = join(file, 'index.html');
    }
    const real = await realpath(file);
    if (real !== root && !real.startsWith(root + sep)) return null;
    return (await stat(real)).isFile() ? { file: real } : undefined;
  } catch {
    return undefined;
  }
}

/** Handles one request: GET/HEAD of a file under root. */
async function handle(root, req, res) {
  if (req.method === 'OPTIONS' && res.extraHeaders) {
    res.writeHead(204, { ...COMMON_HEADERS, ...res.extraHeaders, 'Access-Control-Allow-Methods': 'GET, HEAD' });
    return res.end();
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed');
  }
  const found = await resolveFile(root, req.url ?? '/');
  if (found === null) return sendText(res, 403, 'forbidden');
  if (found === undefined) return sendText(res, 404, 'not found');
  if (found.redirect) {
    res.writeHead(301, { ...COMMON_HEADERS, ...res.extraHeaders, Location: encodeURI(found.redirect) });
    return res.end();
  }
  const { file } = found;
  const { size } = await stat(file);
  res.writeHead(200, {
    ...COMMON_HEADERS,
    ...res.extraHeaders,
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Listens on port, resolving with the server, or rejecting with the listen error. */
function listen(server, port) {
  return new Promise((resolveListen, rejectListen) => {
    const onError = (err) => {
      server.off('listening', onListening);
      rejectListen(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolveListen(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/**
 * Serves root (default dist/) on 127.0.0.1. Starts at `port` (default: PORT env or 8080; 0 picks
 * any free port) and moves to the next port while one is taken. Resolves with the base URL
 * (ending in '/'), the port, and close(), which stops the server and drops open connections.
 * With `cors`, every answer carries the headers a CDN sends (CORS_HEADERS), so pages on other
 * origins can load the widgets from it.
 */
export async function startServer({ root = DEFAULT_ROOT, port, cors = false } = {}) {
  const base = resolve(root);
  const realRoot = await realpath(base).catch(() => {
    throw new Error(`nothing to serve: ${base} does not exist (run npm run build first)`);
  });
  let first = port ?? Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(first) || first < 0 || first > 65535) throw new Error(`bad port: ${first}`);
  const server = createServer((req, res) => {
    res.extraHeaders = cors ? CORS_HEADERS : undefined;
    handle(realRoot, req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });
  for (let attempt = 0; ; attempt++) {
    const candidate = first === 0 ? 0 : first + attempt;
    try {
      await listen(server, candidate);
      break;
    } catch (err) {
      const retry = err.code === 'EADDRINUSE' && first !== 0 && attempt + 1 < PORT_ATTEMPTS && candidate < 65535;
      if (!retry) throw err;
    }
  }
  const actual = server.address().port;
  const close = () =>
    new Promise((resolveClose) => {
      server.close(() => resolveClose());
      server.closeAllConnections?.();
    });
  return { url: `http://${HOST}:${actual}/`, port: actual, close };
}

/** True when this file is the script node was started with (not imported). */
async function invokedDirectly() {
  if (!process.argv[1]) return false;
  const argv1 = await realpath(process.argv[1]).catch(() => process.argv[1]);
  return import.meta.url === pathToFileURL(argv1).href;
}

if (await invokedDirectly()) {
  try {
    const root = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_ROOT;
    const { url, close } = await startServer({ root });
    console.log(`shaderprop playground: ${url}`);
    const stop = () => close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
