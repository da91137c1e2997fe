// MNIST's assets over the network: one request with a timeout per wait, a gzip body streamed
// through DecompressionStream with its sizes checked three ways, and the sha-256 of the result.
// Every failure is an MnistError naming the asset; loadMnist (mnist.ts) strings them together.
import { MnistError } from './idx.ts';
import type { MnistAsset } from './mnist.ts';

/** How loadMnist fetches: the fetch to use and the limit on any one wait. */
export interface LoadContext {
  fetchImpl: typeof fetch;
  timeoutMs: number;
}

/** Races p against a timer that rejects with an MnistError and calls onTimeout (to cancel work). */
function withTimeout<T>(p: Promise<T>, ms: number, message: () => string, onTimeout?: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new MnistError(message()));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;

/** Sends the request and checks the status; the abort signal lets a timeout stop the download. */
async function request(url: URL, name: string, ctx: LoadContext, abort: AbortController): Promise<Response> {
  let response: Response;
  try {
    response = await withTimeout(
      ctx.fetchImpl(url, { signal: abort.signal }),
      ctx.timeoutMs,
      () => `${name}: no response within ${seconds(ctx.timeoutMs)}`,
      () => abort.abort(),
    );
  } catch (e) {
    if (e instanceof MnistError) throw e;
    throw new MnistError(`${name}: request failed (${errorText(e)})`);
  }
  if (!response.ok) {
    const hint = response.status === 404 ? ' (the MNIST assets are written by `npm run build`)' : '';
    throw new MnistError(`${name}: HTTP ${response.status} ${response.statusText} for ${url.pathname}${hint}`);
  }
  return response;
}

export async function fetchText(url: URL, name: string, ctx: LoadContext): Promise<string> {
  const abort = new AbortController();
  const response = await request(url, name, ctx, abort);
  try {
    return await withTimeout(
      response.text(),
      ctx.timeoutMs,
      () => `${name}: stalled`,
      () => abort.abort(),
    );
  } catch (e) {
    if (e instanceof MnistError) throw e;
    throw new MnistError(`${name}: download failed (${errorText(e)})`);
  }
}

/**
 * Downloads one gzip asset and returns its inflated bytes, reporting compressed bytes as they
 * arrive. The size is checked three ways (Content-Length, compressed bytes, inflated bytes)
 * so a stale or cut-off file fails here with a message that says which.
 */
export async function fetchGzip(url: URL, asset: Inflating, ctx: LoadContext, progress: (n: number) => void) {
  const { name, size } = asset;
  const abort = new AbortController();
  const response = await request(url, name, ctx, abort);
  const length = response.headers.get('Content-Length');
  // With a Content-Encoding the header counts encoded bytes, not the body we read.
  if (length !== null && !response.headers.has('Content-Encoding') && Number(length) !== size) {
    throw new MnistError(`${name}: server sends ${length} bytes, mnist.json lists ${size} (truncated or stale asset)`);
  }
  if (!response.body) throw new MnistError(`${name}: empty response`);
  return inflate(response.body, asset, ctx, abort, progress);
}

/** An asset being inflated; `preview` sees the bytes so far after each chunk until it returns true. */
export type Inflating = MnistAsset & { preview?: ((out: Uint8Array, at: number, received: number) => boolean) | undefined };

/** Streams a gzip body through DecompressionStream into a buffer of the manifest's raw size. */
async function inflate(
  body: ReadableStream<Uint8Array<ArrayBuffer>>,
  { name, size, rawSize, preview }: Inflating,
  ctx: LoadContext,
  abort: AbortController,
  progress: (n: number) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const seen = { received: 0, sourceDone: false };
  // Output typed as BufferSource because that is what DecompressionStream's writable side takes.
  const counter = new TransformStream<Uint8Array<ArrayBuffer>, BufferSource>({
    transform(chunk, controller) {
      seen.received += chunk.byteLength;
      progress(Math.min(seen.received, size));
      controller.enqueue(chunk);
    },
    flush: () => void (seen.sourceDone = true),
  });
  const reader = body.pipeThrough(counter).pipeThrough(new DecompressionStream('gzip')).getReader();
  const out = new Uint8Array(rawSize);
  let at = 0;
  const stalled = () => `${name}: stalled: no data for ${seconds(ctx.timeoutMs)} after ${seen.received} of ${size} bytes`;
  try {
    for (;;) {
      const { done, value } = await withTimeout(reader.read(), ctx.timeoutMs, stalled, () => abort.abort());
      if (done) break;
      if (at + value.byteLength > rawSize) {
        throw new MnistError(`${name}: inflates to more than the ${rawSize} bytes mnist.json lists`);
      }
      out.set(value, at);
      at += value.byteLength;
      if (preview?.(out, at, seen.received)) preview = undefined;
    }
  } catch (e) {
    abort.abort();
    reader.cancel().catch(() => {});
    throw streamError(e, name, size, seen);
  }
  if (seen.received !== size) throw new MnistError(`${name}: received ${seen.received} bytes, mnist.json lists ${size}`);
  if (at !== rawSize) throw new MnistError(`${name}: truncated: inflates to ${at} bytes, expected ${rawSize}`);
  return out;
}

/** Names what broke a stream: the timeout's own error, a cut-off file, bad gzip, or the network. */
function streamError(e: unknown, name: string, size: number, seen: { received: number; sourceDone: boolean }): MnistError {
  if (e instanceof MnistError) return e;
  if (seen.sourceDone && seen.received < size) {
    return new MnistError(`${name}: truncated: received ${seen.received} of ${size} bytes, gzip stream ends early`);
  }
  // Every byte arrived, so the stream itself is bad (the gzip CRC-32 or a deflate block).
  const complete = seen.sourceDone || seen.received >= size;
  const where = complete ? 'corrupt gzip data' : `download or gzip data failed after ${seen.received} of ${size} bytes`;
  return new MnistError(`${name}: ${where} (${errorText(e)})`);
}

/**
 * Compares the inflated bytes with the manifest's sha-256. crypto.subtle exists only in secure
 * contexts (https, localhost); elsewhere the gzip CRC-32 and the exact sizes still guard the data.
 */
export async function checkSha256(bytes: Uint8Array<ArrayBuffer>, asset: MnistAsset, ctx: LoadContext): Promise<void> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return;
  const digest = await withTimeout(subtle.digest('SHA-256', bytes), ctx.timeoutMs, () => `${asset.name}: checksum timed out`);
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== asset.sha256) {
    throw new MnistError(`${asset.name}: checksum mismatch: sha-256 ${hex}, mnist.json lists ${asset.sha256}`);
  }
}

/** An error's message, or its name when the message is empty. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}
