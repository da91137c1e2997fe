// Locates the system Chromium: CHROME_PATH first, then `chromium` / `google-chrome` on the PATH.
// Tests and benchmarks never download a browser of their own.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Returns the path of the system Chromium, or throws a message that says how to get one. */
export function findChrome() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  throw new Error('No Chromium found. Set CHROME_PATH, or install one (Debian: apt-get install chromium).');
}

/** Flags that give headless Chromium a WebGPU adapter, SwiftShader when no GPU is present. */
export const WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-sandbox',
];
