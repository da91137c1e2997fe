// Builds the playground into dist/: one ESM bundle per page (playground/NAME.ts → dist/NAME.js),
// the training worker (src/worker/worker.ts → dist/worker.js, next to the pages, because pages
// start it with `new URL('./worker.js', import.meta.url)`), and copies of the pages' .html/.css and
// the favicon (served from the pages' own origin, so no browser asks for a missing /favicon.ico).
//
//   node scripts/build.mjs [--no-minify] [--watch] [--minify]
//
// Minified by default (with source maps): the pages a reader opens parse about a third faster,
// which brought blog.html's first widget from 1.6-1.8 s to 1.2-1.4 s after navigation here.
// --watch builds readable bundles for development unless --minify is given; --no-minify too.
//
// WGSL files are imported as text, the same loader web-test-runner uses. The CPU kernels'
// WebAssembly module is compiled first (scripts/build-wasm.mjs) into a plain JS module.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildWasm } from './build-wasm.mjs';
import { prepareMnist, summarizeMnist } from './prepare-mnist.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGES_DIR = join(ROOT, 'playground');
const WORKER_ENTRY = join(ROOT, 'src', 'worker', 'worker.ts');
// The embeddable distributable: every widget in one module, dist/shaderprop.js.
const LIBRARY_ENTRY = join(ROOT, 'playground', 'shaderprop.ts');
// The typed engine API for code (`import { createSession } from 'shaderprop'`), dist/api.js.
const API_ENTRY = join(ROOT, 'src', 'api', 'index.ts');
// Its declarations, emitted by tsc (tsconfig.types.json) into dist/types/.
const TYPES_DIR = join(ROOT, 'dist', 'types');
const OUT_DIR = join(ROOT, 'dist');

/** Page entries: every playground/NAME.ts that has a playground/NAME.html beside it. */
function pageEntries() {
  const files = existsSync(PAGES_DIR) ? readdirSync(PAGES_DIR) : [];
  return files
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => files.includes(f.replace(/\.ts$/, '.html')))
    .sort()
    .map((f) => ({ in: join(PAGES_DIR, f), out: f.replace(/\.ts$/, '') }));
}

/** Extensions of the files copied verbatim from playground/: pages, their style sheet, the favicon. */
const STATIC_EXTENSIONS = ['.html', '.css', '.svg', '.ico'];

/** Static files copied verbatim: playground/*.html, *.css and the favicon. */
function staticFiles() {
  if (!existsSync(PAGES_DIR)) return [];
  return readdirSync(PAGES_DIR)
    .filter((f) => STATIC_EXTENSIONS.some((ext) => f.endsWith(ext)))
    .sort()
    .map((f) => join(PAGES_DIR, f));
}

/** esbuild options for one build of every entry. */
function buildOptions(minify) {
  const pages = pageEntries();
  if (pages.length === 0) throw new Error('no pages found: expected playground/NAME.html + playground/NAME.ts');
  if (!existsSync(WORKER_ENTRY)) throw new Error(`missing worker entry ${relative(ROOT, WORKER_ENTRY)}`);
  return {
    absWorkingDir: ROOT,
    entryPoints: [...pages, { in: WORKER_ENTRY, out: 'worker' }, { in: LIBRARY_ENTRY, out: 'shaderprop' }, { in: API_ENTRY, out: 'api' }],
    outdir: OUT_DIR,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    sourcemap: true,
    minify,
    loader: { '.wgsl': 'text' },
    metafile: true,
    logLevel: 'silent',
    legalComments: minify ? 'eof' : 'inline',
  };
}

/** Copies the static files into dist/ and returns their paths there. */
function copyStatic() {
  mkdirSync(OUT_DIR, { recursive: true });
  return staticFiles().map((src) => {
    const dest = join(OUT_DIR, relative(PAGES_DIR, src));
    copyFileSync(src, dest);
    return dest;
  });
}

/** Formats a byte count as "12.3 kB". */
function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** One line: every output (source maps left out) with its size, plus the elapsed time. */
function summary(metafile, copied, ms) {
  const items = Object.entries(metafile.outputs)
    .filter(([path]) => !path.endsWith('.map'))
    .map(([path, info]) => `${relative(OUT_DIR, resolve(ROOT, path))} ${formatSize(info.bytes)}`);
  for (const path of copied) items.push(`${relative(OUT_DIR, path)} ${formatSize(statSync(path).size)}`);
  return `built dist/ in ${ms} ms: ${items.join(', ')}`;
}

/** Every .d.ts under `dir`, recursively. */
function declarationFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarationFiles(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Emits the engine API's declarations into dist/types/ and rewrites their relative './x.ts'
 * specifiers to './x.js', which every consumer's TypeScript resolves to './x.d.ts' (our sources
 * import with .ts extensions, which consumers would need allowImportingTsExtensions for).
 */
function emitTypes() {
  rmSync(TYPES_DIR, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.types.json')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const files = declarationFiles(TYPES_DIR);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2'));
  }
  return files.length;
}

/** Prints esbuild's errors and warnings the way its CLI does. */
async function report(messages, kind) {
  if (messages.length === 0) return;
  const lines = await esbuild.formatMessages(messages, { kind, color: process.stderr.isTTY });
  process.stderr.write(lines.join(''));
}

/** One build; exits non-zero with esbuild's message on failure. */
async function buildOnce(minify) {
  const start = Date.now();
  try {
    await buildWasm();
    const result = await esbuild.build(buildOptions(minify));
    await report(result.warnings, 'warning');
    const copied = copyStatic();
    console.log(`types: ${emitTypes()} declaration files in dist/types/`);
    console.log(summarizeMnist(await prepareMnist(join(OUT_DIR, 'data')), 'dist/data'));
    console.log(summary(result.metafile, copied, Date.now() - start));
  } catch (err) {
    if (err && Array.isArray(err.errors) && err.errors.length > 0) {
      await report(err.errors, 'error');
      await report(err.warnings ?? [], 'warning');
    } else {
      console.error(`build failed: ${err instanceof Error ? err.message : err}`);
    }
    process.exitCode = 1;
  }
}

/** Rebuilds on every change of the sources; new pages need a restart. */
async function watch(minify) {
  await buildWasm();
  let start = Date.now();
  const reporter = {
    name: 'summary',
    setup(build) {
      build.onStart(() => {
        start = Date.now();
      });
      build.onEnd(async (result) => {
        await report(result.errors, 'error');
        await report(result.warnings, 'warning');
        if (result.errors.length > 0) return;
        console.log(summary(result.metafile, copyStatic(), Date.now() - start));
      });
    },
  };
  const ctx = await esbuild.context({ ...buildOptions(minify), plugins: [reporter] });
  await ctx.watch();
  console.log('watching for changes (html/css are copied on each rebuild; restart to pick up new pages)');
}

const args = new Set(process.argv.slice(2));
const minify = args.has('--minify') || (!args.has('--watch') && !args.has('--no-minify'));
if (args.has('--watch')) {
  watch(minify).catch((err) => {
    console.error(`build failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
} else {
  await buildOnce(minify);
}
