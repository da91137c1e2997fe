// A small WebDriver client for WebKitGTK: starts Xvfb (MiniBrowser has no headless mode) and
// WebKitWebDriver, opens one MiniBrowser session, and speaks plain W3C WebDriver over HTTP with
// fetch. Only what the smoke suite needs: navigate, run a script, close.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { findWebKit } from '../../scripts/find-webkit.mjs';

/** A TCP port that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves with `probe()`'s first truthy value, polling; rejects with `what` after `ms`. */
async function poll(probe, what, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts Xvfb on a display it picks itself (-displayfd), so parallel runs never collide. */
async function startXvfb(xvfb) {
  const child = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1400x1000x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdio[3].on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const display = await poll(async () => (out.includes('\n') ? `:${out.trim()}` : null), `Xvfb to pick a display (stderr: ${err})`);
  return { display, stop: () => child.kill() };
}

/**
 * Starts Xvfb, WebKitWebDriver and a MiniBrowser session. Returns a session with
 * `navigate(url)`, `execute(fn, ...args)` (a function run in the page; its result comes back),
 * `executeAsync(fn, ...args)` (the same for a function returning a promise) and `close()`.
 * `prelude` is script text put before every function sent (helpers the functions call).
 */
export async function startWebKit({ prelude = '' } = {}) {
  const paths = findWebKit();
  const xvfb = await startXvfb(paths.xvfb);
  const port = await freePort();
  const driver = spawn(paths.driver, [`--port=${port}`], { env: { ...process.env, DISPLAY: xvfb.display }, stdio: ['ignore', 'ignore', 'pipe'] });
  let driverLog = '';
  driver.stderr.on('data', (d) => (driverLog += d));
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const json = await response.json();
    if (!response.ok || json.value?.error) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  };
  try {
    await poll(async () => (await call('GET', '/status')).ready, `WebKitWebDriver to be ready (${driverLog})`);
    const capabilities = { alwaysMatch: { 'webkitgtk:browserOptions': { binary: paths.browser, args: ['--automation'] }, timeouts: { script: 300_000 } } };
    const { sessionId, capabilities: granted } = await call('POST', '/session', { capabilities });
    const session = `/session/${sessionId}`;
    const script = (fn) => `${prelude}\nreturn (${fn.toString()}).apply(null, arguments);`;
    return {
      /** The browser and its version, e.g. "MiniBrowser 2.50.6" (WebKitGTK's version). */
      version: `${granted.browserName} ${granted.browserVersion}`,
      navigate: (url) => call('POST', `${session}/url`, { url }),
      setWindowSize: (width, height) => call('POST', `${session}/window/rect`, { width, height }),
      execute: (fn, ...args) => call('POST', `${session}/execute/sync`, { script: script(fn), args }),
      // The async form hands the script a callback as its last argument; this wraps a promise.
      executeAsync: (fn, ...args) =>
        call('POST', `${session}/execute/async`, {
          script: `${prelude}\nconst done = arguments[arguments.length - 1]; Promise.resolve((${fn.toString()}).apply(null, Array.from(arguments).slice(0, -1))).then((v) => done({ ok: v }), (e) => done({ error: String(e && e.stack || e) }));`,
          args,
        }).then((r) => {
          if (r.error) throw new Error(r.error);
          return r.ok;
        }),
      close: async () => {
        await call('DELETE', session).catch(() => {});
        driver.kill();
        xvfb.stop();
      },
    };
  } catch (error) {
    driver.kill();
    xvfb.stop();
    throw error;
  }
}
