// The published package (issue 16): `npm pack` makes a tarball that installs offline into an
// empty project; a page there imports it, is bundled with esbuild, and runs the API example of
// docs/embedding.md (verbatim) and a widget in the system Chromium.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { findChrome, WEBGPU_FLAGS } from '../../scripts/find-chrome.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { poll } from './browser.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MB = 1024 * 1024;

let work;
let packed;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'shaderprop-package-'));
  // What prepack does (bundles, worker, types, MNIST assets), here so its output stays off the
  // JSON; `npm run test:e2e` has already done it for this run.
  if (process.env.SHADERPROP_E2E_BUILT !== '1') execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const [info] = JSON.parse(
    execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  packed = { ...info, tarball: join(work, info.filename) };
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The API example of the embedding guide (docs/embedding.md, "Use from npm"), exactly as printed there. */
function apiExample() {
  const guide = readFileSync(join(ROOT, 'docs', 'embedding.md'), 'utf8');
  const match = guide.match(/<!-- api-example -->\n```js\n([\s\S]*?)```\n<!-- \/api-example -->/);
  assert.ok(match, 'docs/embedding.md has the api-example block');
  return match[1];
}

test('the tarball holds the bundles, worker, types and MNIST, and is under 2 MB without MNIST', () => {
  const paths = packed.files.map((f) => f.path);
  for (const path of [
    'package.json',
    'LICENSE',
    'dist/shaderprop.js',
    'dist/api.js',
    'dist/worker.js',
    'dist/types/src/api/index.d.ts',
    'dist/data/mnist-train-images.gz',
  ]) {
    assert.ok(paths.includes(path), `missing ${path}`);
  }
  assert.ok(!paths.some((p) => p.startsWith('src/') || p.startsWith('test/') || p.startsWith('dist/index')), 'sources, tests and pages stay out');
  const mnist = packed.files.filter((f) => f.path.startsWith('dist/data/')).reduce((n, f) => n + f.size, 0);
  const tarball = statSync(packed.tarball).size;
  // The MNIST files are gzip already: in the tarball they take their own size, so the rest is the difference.
  const withoutMnist = tarball - mnist;
  console.log(
    `tarball ${(tarball / MB).toFixed(2)} MB; MNIST assets ${(mnist / MB).toFixed(2)} MB; without them ${(withoutMnist / MB).toFixed(2)} MB; ${paths.length} files`,
  );
  assert.ok(withoutMnist < 2 * MB, `tarball without MNIST is ${withoutMnist} bytes`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.dependencies, undefined, 'the bundles inline their libraries: nothing to install');
});

test("installed offline into an empty project, bundled with esbuild, it runs the embedding guide's API example and a widget", async () => {
  const project = join(work, 'post');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'post', private: true, type: 'module' }));
  execFileSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', packed.tarball], { cwd: project, stdio: 'inherit' });
  // TypeScript users get the declarations through `exports`.
  writeFileSync(
    join(project, 'check.ts'),
    "import { createSession, type TrainResult } from 'shaderprop';\nconst s = await createSession({ seed: 1 });\nconst r: TrainResult = await s.train(1);\nexport const epoch: number = r.epoch;\n",
  );
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--target',
      'es2022',
      '--module',
      'esnext',
      '--moduleResolution',
      'bundler',
      '--lib',
      'es2022,dom',
      'check.ts',
    ],
    { cwd: project, stdio: 'inherit' },
  );

  writeFileSync(join(project, 'main.js'), `import 'shaderprop/widgets';\n${apiExample()}\nconsole.log('example done');\n`);
  const pub = join(project, 'public');
  await esbuild.build({ absWorkingDir: project, entryPoints: ['main.js'], bundle: true, format: 'esm', outfile: join(pub, 'main.js'), logLevel: 'error' });
  // As docs/embedding.md says: the worker (and MNIST, unused here) go beside the bundle.
  cpSync(join(project, 'node_modules', 'shaderprop', 'dist', 'worker.js'), join(pub, 'worker.js'));
  writeFileSync(
    join(pub, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>post</title><script type="module" src="./main.js"></script><sp-playground id="w" dataset="xor" layers="4" controls="status"></sp-playground>',
  );

  const server = await startServer({ root: pub, port: 0 });
  const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: WEBGPU_FLAGS });
  try {
    const page = await browser.newPage();
    const lines = [];
    const errors = [];
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : lines.push(m.text())));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await poll(
      'the example',
      () => lines,
      (l) => l.includes('example done') || errors.length > 0,
      300_000,
    );
    assert.deepEqual(errors, []);
    const value = (prefix) =>
      Number(
        lines
          .find((l) => l.startsWith(prefix))
          ?.split(': ')
          .pop(),
      );
    assert.ok(
      lines.some((l) => l.startsWith('training on ')),
      lines.join('\n'),
    );
    assert.equal(lines.filter((l) => /^epoch \d+: loss \d/.test(l)).length, 30, 'one progress line per epoch');
    const trained = value('test accuracy after 30 epochs');
    assert.ok(trained >= 0.8, `Iris test accuracy ${trained}`);
    assert.ok(value('zeroed') < trained, 'zeroed weights forget');
    assert.equal(value('restored'), trained, 'restored weights give the same accuracy');
    // The widget beside it trains on the same worker.
    await page.locator('#w [data-testid="train-toggle"]').click();
    await poll(
      'widget epochs',
      () => page.locator('#w [data-testid="epoch"]').textContent().then(Number),
      (n) => n >= 3,
      180_000,
    );
    assert.equal(await page.evaluate(() => globalThis[Symbol.for('shaderprop.engine')].workers()), 1, 'API and widgets share one worker');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
