import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, MnistError, parseIdx } from './idx.ts';
import { checkSha256, errorText, fetchGzip, fetchText, type LoadContext } from './mnist-fetch.ts';

export { MnistError } from './idx.ts';

/** Image side in pixels. */
export const MNIST_SIDE = 28;
/** Pixels per image: the input size of an MNIST model. */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** Digit classes 0..9. */
export const MNIST_CLASSES = 10;
/** Default limit on any one wait (a response, a chunk, a checksum) while loading. */
export const MNIST_TIMEOUT_MS = 60_000;

/** One split of MNIST as stored: raw 0..255 pixels, row-major count × 784, and one label per image. */
export interface MnistPart {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Both published splits (60,000 train, 10,000 test). */
export interface Mnist {
  train: MnistPart;
  test: MnistPart;
}

/** Training images in the preview a loading page can show (the first ones of the train file, fewer if it has fewer). */
export const MNIST_PREVIEW = 16;

/**
 * Progress callback: compressed bytes loaded so far, their total, and what is loading now; once,
 * as soon as they are inflated, `preview` holds the first MNIST_PREVIEW training images (raw
 * 0..255 pixels, not yet checked against the manifest's hash: for the eye only).
 */
export type MnistProgress = (loaded: number, total: number, stage: string, preview?: Uint8Array) => void;

/** One asset as `scripts/prepare-mnist.mjs` lists it in mnist.json. */
export interface MnistAsset {
  name: string; // file name beside mnist.json
  size: number; // bytes of the gzip file
  rawSize: number; // bytes of the inflated IDX file, header included
  sha256: string; // lowercase hex, of the inflated bytes
  magic: 2049 | 2051;
  count: number;
  rows: number;
  cols: number;
}

/** The four assets in load order, with the manifest key, the progress label and the IDX magic. */
const ASSETS = [
  { key: 'trainImages', stage: 'train images', magic: IDX_IMAGES_MAGIC },
  { key: 'trainLabels', stage: 'train labels', magic: IDX_LABELS_MAGIC },
  { key: 'testImages', stage: 'test images', magic: IDX_IMAGES_MAGIC },
  { key: 'testLabels', stage: 'test labels', magic: IDX_LABELS_MAGIC },
] as const;

type AssetKey = (typeof ASSETS)[number]['key'];

/** The contents of mnist.json. */
export interface MnistManifest {
  format: 'idx-gzip';
  files: Record<AssetKey, MnistAsset>;
}

/**
 * Loads MNIST from the folder `baseUrl` (mnist.json and the four .gz assets the build writes).
 * Each asset is streamed through `DecompressionStream('gzip')` so progress can be reported per
 * chunk, its inflated bytes are checked against the manifest's sha-256, and its IDX header is
 * validated again. Every failure rejects with an `MnistError` naming the asset. `timeoutMs`
 * bounds each single wait rather than a whole download, so a slow link that keeps delivering
 * still finishes while a stalled one fails. Needs no DOM, so it runs in the training worker.
 */
export async function loadMnist(
  baseUrl: URL,
  onProgress?: MnistProgress,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  timeoutMs: number = MNIST_TIMEOUT_MS,
): Promise<Mnist> {
  const base = folderUrl(baseUrl);
  const ctx: LoadContext = { fetchImpl, timeoutMs };
  const manifest = parseManifest(await fetchText(new URL('mnist.json', base), 'mnist.json', ctx));
  const total = ASSETS.reduce((sum, a) => sum + manifest.files[a.key].size, 0);
  let done = 0;
  const parts = {} as Record<AssetKey, Uint8Array>;
  for (const { key, stage, magic } of ASSETS) {
    const asset = manifest.files[key];
    onProgress?.(done, total, stage);
    const previewEnd = 16 + Math.min(MNIST_PREVIEW, asset.count) * MNIST_PIXELS;
    const preview = (out: Uint8Array, at: number, n: number): boolean => {
      if (at < previewEnd) return false;
      onProgress?.(done + n, total, stage, out.slice(16, previewEnd));
      return true;
    };
    const bytes = await fetchGzip(new URL(asset.name, base), { ...asset, preview: key === 'trainImages' ? preview : undefined }, ctx, (n) =>
      onProgress?.(done + n, total, stage),
    );
    await checkSha256(bytes, asset, ctx);
    const side = magic === IDX_IMAGES_MAGIC ? MNIST_SIDE : 1;
    parts[key] = parseIdx(bytes, { magic, count: asset.count, rows: side, cols: side }, asset.name).data;
    done += asset.size;
  }
  onProgress?.(total, total, 'done');
  return {
    train: makePart(parts.trainImages, parts.trainLabels, manifest.files.trainLabels.name),
    test: makePart(parts.testImages, parts.testLabels, manifest.files.testLabels.name),
  };
}

/** Resolves names against the folder even when the caller left off the trailing slash. */
function folderUrl(baseUrl: URL): URL {
  const url = new URL(baseUrl.href);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  // The project downloads nothing but from the page's origin and the origin its own script came
  // from (a CDN's, when the widgets load from one; import.meta.url is that script, bundled); a
  // misconfigured base must not either.
  const here = typeof location === 'undefined' ? undefined : location.origin;
  const script = new URL(import.meta.url).origin;
  if (here !== undefined && here !== 'null' && url.origin !== here && url.origin !== script) {
    throw new MnistError(`mnist.json: ${url.origin} is not this page's origin ${here}${script !== here ? ` nor the script's ${script}` : ''}`);
  }
  return url;
}

/** Validates mnist.json's shape; asset names must be plain file names beside it. */
function parseManifest(text: string): MnistManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MnistError(`mnist.json: not valid JSON (${errorText(e)})`);
  }
  if ((json as { format?: unknown } | null)?.format !== 'idx-gzip') {
    throw new MnistError('mnist.json: "format" is not "idx-gzip" (rebuild the assets with `npm run build`)');
  }
  const files = (json as { files?: Record<string, unknown> }).files;
  if (typeof files !== 'object' || files === null) throw new MnistError('mnist.json: no "files" object');
  for (const { key, magic } of ASSETS) {
    const a = files[key] as Partial<MnistAsset> | undefined;
    const bad = (field: string) => new MnistError(`mnist.json: files.${key}.${field} is missing or invalid`);
    if (!a || typeof a !== 'object') throw bad('');
    if (typeof a.name !== 'string' || !/^[\w.-]+$/.test(a.name)) throw bad('name');
    for (const field of ['size', 'rawSize', 'count', 'rows', 'cols'] as const) {
      if (!Number.isSafeInteger(a[field]) || a[field]! < 0) throw bad(field);
    }
    if (typeof a.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(a.sha256)) throw bad('sha256');
    if (a.magic !== magic) throw bad('magic');
  }
  const m = json as MnistManifest;
  for (const split of ['train', 'test'] as const) {
    const [images, labels] = [m.files[`${split}Images`].count, m.files[`${split}Labels`].count];
    if (images !== labels) throw new MnistError(`mnist.json: ${images} ${split} images but ${labels} labels`);
  }
  return m;
}

/** Checks the labels' range, which IDX itself cannot express. */
function makePart(images: Uint8Array, labels: Uint8Array, labelsName: string): MnistPart {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= MNIST_CLASSES) throw new MnistError(`${labelsName}: label ${labels[i]} at item ${i} is outside 0..9`);
  }
  return { images, labels, count: labels.length };
}

export { mnistTable, ganImages } from './mnist-table.ts';
