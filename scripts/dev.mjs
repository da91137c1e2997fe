// `npm run dev`: rebuilds dist/ on every source change (esbuild watch, scripts/build.mjs --watch)
// and serves it (scripts/serve.mjs). `npm run build` runs first, so dist/ holds the MNIST assets
// the watch build does not copy. Reload the page to pick up a rebuild.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';

const SCRIPTS = dirname(fileURLToPath(import.meta.url));

const watcher = spawn(process.execPath, [join(SCRIPTS, 'build.mjs'), '--watch'], { stdio: 'inherit' });
const { url, close } = await startServer();
console.log(`shaderprop dev server: ${url} (rebuilds on save)`);

/** Stops the server and the watcher together, whichever way the session ends. */
function stop(code = 0) {
  watcher.kill('SIGTERM');
  close().then(() => process.exit(code));
}
watcher.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
