import { expect } from '@esm-bundle/chai';
import { MnistError, parseIdx } from '../../src/data/idx.ts';

/** An IDX file: big-endian magic and dimensions, then the payload bytes. */
function idx(magic: number, dims: number[], payload: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(Array.from(payload), header);
  return bytes;
}

/** Runs f, expects an MnistError, and returns its message. */
function mnistError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(MnistError);
    return (e as Error).message;
  }
  throw new Error('expected an MnistError');
}

const pixels = Array.from({ length: 3 * 2 * 4 }, (_, i) => i * 10);
const images = idx(2051, [3, 2, 4], pixels);

describe('parseIdx', () => {
  it('reads an image file header and returns the payload as a view', () => {
    const parsed = parseIdx(images, { magic: 2051, count: 3, rows: 2, cols: 4 }, 'imgs.gz');
    expect(parsed).to.include({ count: 3, rows: 2, cols: 4 });
    expect(Array.from(parsed.data)).to.deep.equal(pixels);
    expect(parsed.data.buffer).to.equal(images.buffer);
    expect(parsed.data.byteOffset).to.equal(16);
  });

  it('reads a label file as rows = cols = 1, and leaves unchecked fields unchecked', () => {
    const parsed = parseIdx(idx(2049, [5], [0, 9, 3, 3, 1]), { magic: 2049 }, 'labels.gz');
    expect(parsed).to.include({ count: 5, rows: 1, cols: 1 });
    expect(Array.from(parsed.data)).to.deep.equal([0, 9, 3, 3, 1]);
  });

  it('works on a view that does not start at the beginning of its buffer', () => {
    const padded = new Uint8Array(images.length + 7);
    padded.set(images, 7);
    const parsed = parseIdx(padded.subarray(7), { magic: 2051 }, 'imgs.gz');
    expect(parsed.count).to.equal(3);
    expect(parsed.data[1]).to.equal(10);
  });

  it('rejects bytes too short for the header, naming the asset', () => {
    expect(mnistError(() => parseIdx(images.subarray(0, 10), { magic: 2051 }, 'imgs.gz'))).to.equal('imgs.gz: too short for an IDX header (10 bytes, need 16)');
    expect(mnistError(() => parseIdx(new Uint8Array(0), { magic: 2049 }, 'labels.gz'))).to.match(/^labels\.gz: too short/);
  });

  it('rejects a wrong magic number (labels read as images and vice versa)', () => {
    expect(mnistError(() => parseIdx(images, { magic: 2049 }, 'labels.gz'))).to.equal('labels.gz: bad magic number 2051, expected 2049');
    const labels = idx(2049, [4], [1, 2, 3, 4]);
    expect(mnistError(() => parseIdx(labels, { magic: 2051 }, 'imgs.gz'))).to.match(/^imgs\.gz: (bad magic|too short)/);
    expect(mnistError(() => parseIdx(idx(0x00000d03, [1, 1, 1], [0]), { magic: 2051 }, 'x'))).to.contain('bad magic number 3331');
  });

  it('rejects a count or image size that differs from the expected one', () => {
    expect(mnistError(() => parseIdx(images, { magic: 2051, count: 4 }, 'imgs.gz'))).to.equal('imgs.gz: bad item count 3, expected 4');
    expect(mnistError(() => parseIdx(images, { magic: 2051, rows: 28 }, 'imgs.gz'))).to.equal('imgs.gz: bad rows 2, expected 28');
    expect(mnistError(() => parseIdx(images, { magic: 2051, cols: 28 }, 'imgs.gz'))).to.equal('imgs.gz: bad columns 4, expected 28');
  });

  it('rejects a truncated payload and trailing bytes', () => {
    expect(mnistError(() => parseIdx(images.subarray(0, images.length - 1), { magic: 2051 }, 'imgs.gz'))).to.equal(
      'imgs.gz: truncated: 39 bytes, expected 40 (header 16 + 3 × 2 × 4)',
    );
    const long = new Uint8Array(images.length + 2);
    long.set(images);
    expect(mnistError(() => parseIdx(long, { magic: 2051 }, 'imgs.gz'))).to.match(/^imgs\.gz: too long: 42 bytes, expected 40/);
    // A header that claims far more items than there are bytes must fail, not allocate or wrap.
    expect(mnistError(() => parseIdx(idx(2049, [0xffffffff], [1]), { magic: 2049 }, 'labels.gz'))).to.match(/truncated/);
  });
});
