import { expect } from '@esm-bundle/chai';
import { ganImages, loadMnist, MNIST_PIXELS, MNIST_PREVIEW, MnistError, mnistTable, type MnistManifest, type MnistPart } from '../../src/data/mnist.ts';

// A tiny MNIST (12 train / 5 test images) built, gzipped and served here, so every failure mode
// of the loader can be staged without the 11 MB of real assets. The fake fetch stands in for the
// network only; decompression, hashing and parsing are the browser's real ones.

const KEYS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
type Key = (typeof KEYS)[number];
const NAMES: Record<Key, string> = {
  trainImages: 'mnist-train-images.gz',
  trainLabels: 'mnist-train-labels.gz',
  testImages: 'mnist-test-images.gz',
  testLabels: 'mnist-test-labels.gz',
};
const BASE = new URL('/fake-mnist/', location.href);

function idx(magic: number, dims: number[], payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(payload, header);
  return bytes;
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const pixelsOf = (n: number, salt: number) => Uint8Array.from({ length: n * MNIST_PIXELS }, (_, i) => (i * 37 + salt) % 256);
const labelsOf = (n: number, salt: number) => Uint8Array.from({ length: n }, (_, i) => (i * 3 + salt) % 10);
const RAW = {
  train: { images: pixelsOf(12, 1), labels: labelsOf(12, 0) },
  test: { images: pixelsOf(5, 7), labels: labelsOf(5, 4) },
};

/** The served files (gzip bytes by name) and the manifest, freshly built so tests can tamper. */
async function fixture(): Promise<{ files: Map<string, Uint8Array<ArrayBuffer>>; manifest: MnistManifest }> {
  const raws: Record<Key, Uint8Array<ArrayBuffer>> = {
    trainImages: idx(2051, [12, 28, 28], RAW.train.images),
    trainLabels: idx(2049, [12], RAW.train.labels),
    testImages: idx(2051, [5, 28, 28], RAW.test.images),
    testLabels: idx(2049, [5], RAW.test.labels),
  };
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  const entries = {} as MnistManifest['files'];
  for (const key of KEYS) {
    const raw = raws[key];
    const gz = await gzip(raw);
    files.set(NAMES[key], gz);
    const images = key.endsWith('Images');
    entries[key] = {
      name: NAMES[key],
      size: gz.length,
      rawSize: raw.length,
      sha256: await sha256(raw),
      magic: images ? 2051 : 2049,
      count: key.startsWith('train') ? 12 : 5,
      rows: images ? 28 : 1,
      cols: images ? 28 : 1,
    };
  }
  return { files, manifest: { format: 'idx-gzip', files: entries } };
}

/** A body that delivers bytes in 100-byte chunks, so progress has steps to report. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += 100)));
    },
  });
}

/** A fake fetch serving the fixture from BASE; `body` overrides what one file's response streams. */
function server(
  fx: { files: Map<string, Uint8Array>; manifest: MnistManifest },
  override: { name?: string; body?: () => ReadableStream<Uint8Array>; contentLength?: boolean } = {},
): typeof fetch {
  return async (input) => {
    const url = new URL(String(input));
    const name = url.pathname.slice(BASE.pathname.length);
    if (url.origin !== BASE.origin || !url.pathname.startsWith(BASE.pathname)) throw new TypeError('unexpected URL');
    if (name === 'mnist.json') return new Response(JSON.stringify(fx.manifest));
    const bytes = fx.files.get(name);
    if (!bytes) return new Response('not found', { status: 404, statusText: 'Not Found' });
    const headers: Record<string, string> = { 'Content-Type': 'application/gzip' };
    if (override.contentLength !== false) headers['Content-Length'] = String(bytes.length);
    const body = name === override.name && override.body ? override.body() : chunked(bytes);
    return new Response(body, { headers });
  };
}

/** Awaits p, expects an MnistError, and returns its message. */
async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(MnistError);
    return (e as Error).message;
  }
  throw new Error('expected an MnistError');
}

describe('loadMnist', () => {
  it('round-trips pixels and labels and reports progress up to the total', async () => {
    const fx = await fixture();
    const calls: [number, number, string][] = [];
    const mnist = await loadMnist(BASE, (l, t, s) => calls.push([l, t, s]), server(fx));
    expect(mnist.train.count).to.equal(12);
    expect(mnist.test.count).to.equal(5);
    expect(Array.from(mnist.train.images)).to.deep.equal(Array.from(RAW.train.images));
    expect(Array.from(mnist.train.labels)).to.deep.equal(Array.from(RAW.train.labels));
    expect(Array.from(mnist.test.images)).to.deep.equal(Array.from(RAW.test.images));
    expect(Array.from(mnist.test.labels)).to.deep.equal(Array.from(RAW.test.labels));
    const total = KEYS.reduce((s, k) => s + fx.manifest.files[k].size, 0);
    expect(calls.every(([, t]) => t === total)).to.equal(true);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).to.be.at.least(calls[i - 1]![0]);
    expect(calls.at(-1)).to.deep.equal([total, total, 'done']);
    expect(new Set(calls.map(([, , s]) => s))).to.include.all.keys('train images', 'train labels', 'test images', 'test labels');
    expect(calls.length).to.be.greaterThan(10);
  });

  it('shows the first training digits once, as soon as they are inflated, before the other files load', async () => {
    const fx = await fixture();
    const previews: { stage: string; preview: Uint8Array }[] = [];
    const stages: string[] = [];
    await loadMnist(
      BASE,
      (_l, _t, stage, preview) => {
        stages.push(stage);
        if (preview) previews.push({ stage, preview });
      },
      server(fx),
    );
    expect(previews).to.have.length(1);
    expect(previews[0]!.stage).to.equal('train images');
    // The fixture has 12 training images, fewer than MNIST_PREVIEW: all of them.
    expect(MNIST_PREVIEW).to.be.greaterThan(12);
    expect(Array.from(previews[0]!.preview)).to.deep.equal(Array.from(RAW.train.images));
    expect(stages.indexOf('train labels'), 'before the labels').to.be.greaterThan(stages.indexOf('train images'));
  });

  it('accepts a base URL without the trailing slash', async () => {
    const mnist = await loadMnist(new URL(BASE.href.slice(0, -1)), undefined, server(await fixture()));
    expect(mnist.test.count).to.equal(5);
  });

  it('rejects a missing asset (404) and a missing manifest, naming the file', async () => {
    const fx = await fixture();
    fx.files.delete('mnist-test-labels.gz');
    expect(await rejection(loadMnist(BASE, undefined, server(fx)))).to.match(/^mnist-test-labels\.gz: HTTP 404 Not Found/);
    const none: typeof fetch = async () => new Response('', { status: 404, statusText: 'Not Found' });
    expect(await rejection(loadMnist(BASE, undefined, none))).to.match(/^mnist\.json: HTTP 404 .*npm run build/);
  });

  it('rejects a truncated gzip file', async () => {
    const fx = await fixture();
    const gz = fx.files.get('mnist-train-images.gz')!;
    const cut = () => chunked(gz.subarray(0, gz.length - 20));
    const msg = await rejection(loadMnist(BASE, undefined, server(fx, { name: 'mnist-train-images.gz', body: cut, contentLength: false })));
    expect(msg).to.match(/^mnist-train-images\.gz: truncated: received \d+ of \d+ bytes/);
    // With an honest Content-Length the short file is caught before reading it.
    fx.files.set('mnist-train-images.gz', gz.slice(0, gz.length - 20));
    expect(await rejection(loadMnist(BASE, undefined, server(fx)))).to.match(/^mnist-train-images\.gz: server sends \d+ bytes.*truncated or stale/);
  });

  it('rejects a corrupted byte in the compressed stream (gzip CRC-32)', async () => {
    const fx = await fixture();
    const gz = fx.files.get('mnist-test-images.gz')!;
    gz[gz.length >> 1]! ^= 0x5a;
    expect(await rejection(loadMnist(BASE, undefined, server(fx)))).to.match(/^mnist-test-images\.gz: corrupt gzip data \(.+\)$/);
  });

  it('rejects inflated bytes whose sha-256 differs from the manifest', async () => {
    const fx = await fixture();
    // A valid gzip of one changed pixel: only the checksum can tell.
    const raw = idx(
      2051,
      [12, 28, 28],
      RAW.train.images.map((v, i) => (i === 4000 ? v ^ 1 : v)),
    );
    const gz = await gzip(raw);
    fx.files.set('mnist-train-images.gz', gz);
    fx.manifest.files.trainImages.size = gz.length;
    expect(await rejection(loadMnist(BASE, undefined, server(fx)))).to.match(
      /^mnist-train-images\.gz: checksum mismatch: sha-256 [0-9a-f]{64}, mnist\.json lists [0-9a-f]{64}$/,
    );
  });

  it('rejects a stalled body and an unanswered request within the timeout, not hanging', async () => {
    const fx = await fixture();
    const gz = fx.files.get('mnist-train-labels.gz')!;
    let cancelled = false;
    const stall = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(gz.slice(0, 10));
        },
        cancel() {
          cancelled = true;
        },
      });
    const started = performance.now();
    const msg = await rejection(loadMnist(BASE, undefined, server(fx, { name: 'mnist-train-labels.gz', body: stall }), 150));
    expect(msg).to.match(/^mnist-train-labels\.gz: stalled: no data for 0\.15 s after 10 of \d+ bytes$/);
    expect(performance.now() - started).to.be.below(5000);
    expect(cancelled).to.equal(true);
    let aborted = false;
    const silent: typeof fetch = (_input, init) => {
      init?.signal?.addEventListener('abort', () => (aborted = true));
      return new Promise<Response>(() => {});
    };
    expect(await rejection(loadMnist(BASE, undefined, silent, 100))).to.equal('mnist.json: no response within 0.1 s');
    expect(aborted).to.equal(true);
  });

  it('rejects a malformed manifest and a base on another origin', async () => {
    const fx = await fixture();
    (fx.manifest.files.testImages as { name: string }).name = '../../elsewhere.gz';
    expect(await rejection(loadMnist(BASE, undefined, server(fx)))).to.equal('mnist.json: files.testImages.name is missing or invalid');
    const text: typeof fetch = async () => new Response('<html>');
    expect(await rejection(loadMnist(BASE, undefined, text))).to.match(/^mnist\.json: not valid JSON/);
    expect(await rejection(loadMnist(new URL('https://example.com/data/'), undefined, server(fx)))).to.match(/not this page's origin/);
  });
});

/** 100 images whose pixel k is k mod 256, labels skewed so classes have different sizes. */
function part(): MnistPart {
  const count = 100;
  const labels = Uint8Array.from({ length: count }, (_, i) => (i < 40 ? 0 : i % 10));
  return { images: Uint8Array.from({ length: count * MNIST_PIXELS }, (_, i) => i % 256), labels, count };
}

describe('mnistTable and ganImages', () => {
  it('scales pixels to [0, 1] and names classes and pixels', () => {
    const t = mnistTable(part(), { seed: 1 });
    expect(t.inputSize).to.equal(784);
    expect(t.labels.length).to.equal(100);
    expect(t.features.length).to.equal(100 * 784);
    expect(t.features[0]).to.equal(0);
    expect(t.features[255]).to.equal(1);
    expect(t.features[51]).to.be.closeTo(0.2, 1e-7);
    expect(t.classNames).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(t.featureNames).to.have.length(784);
    expect([t.featureNames[0], t.featureNames[783]]).to.deep.equal(['px0', 'px783']);
  });

  it('subsamples with each class keeping its share, reproducibly per seed', () => {
    const p = part();
    const a = mnistTable(p, { limit: 50, seed: 7 });
    expect(a.labels.length).to.equal(50);
    const counts = new Array(10).fill(0);
    for (const l of a.labels) counts[l]++;
    // Class 0 holds 46 of 100 rows, classes 1..9 six each: 23 and 3 of 50.
    expect(counts).to.deep.equal([23, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    const b = mnistTable(p, { limit: 50, seed: 7 });
    expect(Array.from(b.features)).to.deep.equal(Array.from(a.features));
    const c = mnistTable(p, { limit: 50, seed: 8 });
    expect(Array.from(c.features)).to.not.deep.equal(Array.from(a.features));
    expect(mnistTable(p, { limit: 7, seed: 1 }).labels.length).to.equal(7);
    expect(() => mnistTable(p, { limit: 0, seed: 1 })).to.throw(RangeError, /limit/);
  });

  it('scales GAN images to [-1, 1]', () => {
    const g = ganImages(part());
    expect(g.length).to.equal(100 * 784);
    expect([g[0], g[255]]).to.deep.equal([-1, 1]);
    expect(g[128]).to.be.closeTo(128 / 127.5 - 1, 1e-7);
    expect(Math.min(...g.subarray(0, 784))).to.equal(-1);
  });
});
