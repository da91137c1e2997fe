// Locates the system Chromium: CHROME_PATH first, then `chromium` / `google-chrome` on the PATH.
// Tests and benchmarks never download a browser of their own.
import { findExecutable } from './find-executable.mjs';

/** Returns the path of the system Chromium, or throws a message that says how to get one. */
export function findChrome() {
  return findExecutable({
    env: 'CHROME_PATH',
    names: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
    missing: 'No Chromium found. Set CHROME_PATH, or install one (Debian: apt-get install chromium).',
  });
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
