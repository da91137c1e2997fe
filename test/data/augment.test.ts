import { expect } from '@esm-bundle/chai';
import { AUGMENT_STREAMS, augmentBatch, augmentImage, augmentParamsAt, IMAGE_PIXELS, jitterNoiseAt, type AugmentParams } from '../../src/data/augment.ts';
import { hashUniform } from '../../src/nn/hash.ts';
import { Rng } from '../../src/nn/rng.ts';

const identity: AugmentParams = { dx: 0, dy: 0, angle: 0, scale: 1 };

function lit(x: number, y: number): Float32Array {
  const img = new Float32Array(IMAGE_PIXELS);
  img[y * 28 + x] = 1;
  return img;
}

function randomImage(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: IMAGE_PIXELS }, () => rng.uniform());
}

describe('augmentImage', () => {
  it('returns the input exactly for identity parameters', () => {
    const img = randomImage(1);
    const out = augmentImage(img, identity);
    expect(out).to.not.equal(img);
    expect([...out]).to.deep.equal([...img]);
  });

  it('moves a lit pixel one column right for a shift of (1, 0) and one row down for (0, 1)', () => {
    expect([...augmentImage(lit(10, 7), { ...identity, dx: 1 })]).to.deep.equal([...lit(11, 7)]);
    expect([...augmentImage(lit(10, 7), { ...identity, dy: 1 })]).to.deep.equal([...lit(10, 8)]);
  });

  it('rotates 90° clockwise about (13.5, 13.5)', () => {
    // (20, 5) − c = (6.5, −8.5) → R(90°) → (8.5, 6.5) → (22, 20).
    const out = augmentImage(lit(20, 5), { ...identity, angle: 90 });
    out.forEach((v, i) => expect(v).to.be.closeTo(i === 20 * 28 + 22 ? 1 : 0, 1e-6));
  });

  it('scales about the centre', () => {
    // (18, 18) − c = (4.5, 4.5); at scale 1/3 it lands at c + (1.5, 1.5) = (15, 15).
    const out = augmentImage(lit(18, 18), { ...identity, scale: 1 / 3 });
    out.forEach((v, i) => expect(v).to.be.closeTo(i === 15 * 28 + 15 ? 1 : 0, 1e-6));
    // At scale 2, output (17, 13) pulls back from (15.25, 13.25): weight 0.75 · 0.75 on (15, 13).
    expect(augmentImage(lit(15, 13), { ...identity, scale: 2 })[13 * 28 + 17]).to.be.closeTo(0.5625, 1e-6);
  });

  it('samples bilinearly and fills with zeros from outside', () => {
    const half = augmentImage(lit(10, 7), { ...identity, dx: 0.5 });
    expect(half[7 * 28 + 10]).to.be.closeTo(0.5, 1e-7);
    expect(half[7 * 28 + 11]).to.be.closeTo(0.5, 1e-7);
    const gone = augmentImage(randomImage(2), { ...identity, dx: 28 });
    expect(gone.every((v) => v === 0)).to.equal(true);
  });

  it('validates its input', () => {
    expect(() => augmentImage(new Float32Array(10), identity)).to.throw(/784/);
    expect(() => augmentImage(randomImage(1), { ...identity, scale: 0 })).to.throw(/scale/);
    expect(() => augmentImage(randomImage(1), { ...identity, angle: NaN })).to.throw(/angle/);
  });
});

describe('augmentParamsAt', () => {
  const ranges = { maxShift: 2, maxAngleDeg: 15, maxZoom: 0.1 };

  it('stays within the ranges, fills them, and is a function of (seed, step, row)', () => {
    const draws = Array.from({ length: 400 }, (_, i) => augmentParamsAt(3, i >> 4, i & 15, ranges));
    for (const p of draws) {
      expect(Math.abs(p.dx)).to.be.at.most(2);
      expect(Math.abs(p.dy)).to.be.at.most(2);
      expect(Math.abs(p.angle)).to.be.at.most(15);
      expect(p.scale).to.be.within(0.9, 1.1);
    }
    expect(Math.max(...draws.map((p) => p.dx))).to.be.above(1.8);
    expect(Math.min(...draws.map((p) => p.angle))).to.be.below(-13);
    expect(augmentParamsAt(4, 7, 2, ranges)).to.deep.equal(augmentParamsAt(4, 7, 2, ranges));
    expect(augmentParamsAt(4, 8, 2, ranges)).to.not.deep.equal(augmentParamsAt(4, 7, 2, ranges));
    expect(augmentParamsAt(5, 7, 2, ranges)).to.not.deep.equal(augmentParamsAt(4, 7, 2, ranges));
  });

  it('gives identity for zero ranges and validates them', () => {
    const p = augmentParamsAt(1, 0, 0, { maxShift: 0, maxAngleDeg: 0, maxZoom: 0 });
    expect(Math.abs(p.dx) + Math.abs(p.dy) + Math.abs(p.angle)).to.equal(0);
    expect(p.scale).to.equal(1);
    expect(() => augmentParamsAt(1, 0, 0, { ...ranges, maxZoom: 1 })).to.throw(/maxZoom/);
    expect(() => augmentParamsAt(1, 0, 0, { ...ranges, maxShift: -1 })).to.throw(/maxShift/);
  });
});

describe('hashUniform and jitterNoiseAt', () => {
  it('hashUniform is uniform in [0, 1) with 24-bit values', () => {
    const u = Array.from({ length: 20000 }, (_, i) => hashUniform(9, AUGMENT_STREAMS.dx, 3, i));
    expect(Math.min(...u)).to.be.at.least(0);
    expect(Math.max(...u)).to.be.below(1);
    expect(u.every((v) => Number.isInteger(v * 16777216))).to.equal(true);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(mean).to.be.closeTo(0.5, 0.01);
  });

  it('jitter noise is standard normal, fresh per step, and repeats for the same (seed, step)', () => {
    const n = 20000;
    const z = Array.from({ length: n }, (_, i) => jitterNoiseAt(9, 5, i));
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(mean).to.be.closeTo(0, 0.03);
    expect(sd).to.be.closeTo(1, 0.03);
    expect(jitterNoiseAt(9, 5, 17)).to.equal(z[17]);
    expect(jitterNoiseAt(9, 6, 17)).to.not.equal(z[17]);
  });
});

describe('augmentBatch', () => {
  const ranges = { maxShift: 2, maxAngleDeg: 15, maxZoom: 0.1 };

  it('changes every image of a batch, keeps the labels, and draws anew at the next step', () => {
    const labels = Uint32Array.of(3, 1, 4);
    const images = [randomImage(5), randomImage(6), randomImage(7)];
    const x = new Float64Array(3 * IMAGE_PIXELS);
    images.forEach((img, r) => x.set(img, r * IMAGE_PIXELS));
    const a = { kind: 'image', ranges, seed: 8 } as const;
    const out = augmentBatch(x, 3, IMAGE_PIXELS, a, 0);
    for (let r = 0; r < 3; r++) {
      const row = out.subarray(r * IMAGE_PIXELS, (r + 1) * IMAGE_PIXELS);
      expect([...row]).to.not.deep.equal([...images[r]!]);
      expect([...row]).to.deep.equal([...augmentImage(images[r]!, augmentParamsAt(8, 0, r, ranges))]);
    }
    expect([...labels]).to.deep.equal([3, 1, 4]);
    expect([...augmentBatch(x, 3, IMAGE_PIXELS, a, 1)]).to.not.deep.equal([...out]);
    expect(() => augmentBatch(new Float64Array(8), 4, 2, a, 0)).to.throw(/28×28/);
  });

  it('jitters every feature by sigma-scaled noise and nothing else', () => {
    const x = Float64Array.from({ length: 4000 }, (_, i) => i % 7);
    const out = augmentBatch(x, 2000, 2, { kind: 'jitter', sigma: 0.1, seed: 2 }, 4);
    out.forEach((v, i) => expect(v - x[i]!).to.be.closeTo(0.1 * jitterNoiseAt(2, 4, i), 1e-12));
    expect([...augmentBatch(x, 2000, 2, { kind: 'jitter', sigma: 0, seed: 2 }, 4)]).to.deep.equal([...x]);
  });
});
