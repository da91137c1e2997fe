// Runs every test in the system Chromium with WebGPU enabled (SwiftShader when there is no GPU),
// so each kernel really executes. WGSL is served as text, the same loader esbuild uses to build.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { findChrome, WEBGPU_FLAGS } from './scripts/find-chrome.mjs';

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 20 * 60 * 1000,
  plugins: [
    esbuildPlugin({ ts: true, json: true, loaders: { '.wgsl': 'text' }, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS },
    }),
  ],
  testFramework: { config: { timeout: 120000 } },
};
