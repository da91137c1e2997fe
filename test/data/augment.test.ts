import { expect } from '@esm-bundle/chai';
import { augmentImage, IMAGE_PIXELS, jitter2d, randomAugmentParams, type AugmentParams } from '../../src/data/augment.ts';
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

describe('randomAugmentParams', () => {
  const ranges = { maxShift: 2, maxAngleDeg: 15, maxZoom: 0.1 };

  it('stays within the ranges and is deterministic for a seed', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const p = randomAugmentParams(rng, ranges);
      expect(Math.abs(p.dx)).to.be.at.most(2);
      expect(Math.abs(p.dy)).to.be.at.most(2);
      expect(Math.abs(p.angle)).to.be.at.most(15);
      expect(p.scale).to.be.within(0.9, 1.1);
    }
    expect(randomAugmentParams(new Rng(4), ranges)).to.deep.equal(randomAugmentParams(new Rng(4), ranges));
  });

  it('gives identity for zero ranges and validates them', () => {
    const p = randomAugmentParams(new Rng(1), { maxShift: 0, maxAngleDeg: 0, maxZoom: 0 });
    expect(Math.abs(p.dx) + Math.abs(p.dy) + Math.abs(p.angle)).to.equal(0);
    expect(p.scale).to.equal(1);
    expect(() => randomAugmentParams(new Rng(1), { ...ranges, maxZoom: 1 })).to.throw(/maxZoom/);
    expect(() => randomAugmentParams(new Rng(1), { ...ranges, maxShift: -1 })).to.throw(/maxShift/);
  });

  it('changes a batch of images and keeps its labels', () => {
    const labels = Uint32Array.of(3, 1, 4);
    const images = [randomImage(5), randomImage(6), randomImage(7)];
    const rng = new Rng(8);
    const augmented = images.map((img) => augmentImage(img, randomAugmentParams(rng, ranges)));
    augmented.forEach((img, i) => expect([...img]).to.not.deep.equal([...images[i]!]));
    expect([...labels]).to.deep.equal([3, 1, 4]);
  });
});

describe('jitter2d', () => {
  it('adds seeded noise of the stated size to a copy and keeps labels', () => {
    const rows = 2000;
    const features = Float32Array.from({ length: rows * 2 }, (_, i) => i % 7);
    const labels = Uint32Array.from({ length: rows }, (_, i) => i % 3);
    const before = features.slice();
    const out = jitter2d(features, rows, 0.1, new Rng(9));
    expect([...features]).to.deep.equal([...before]);
    expect(out.length).to.equal(features.length);
    let sum = 0;
    let sq = 0;
    out.forEach((v, i) => {
      const d = v - features[i]!;
      sum += d;
      sq += d * d;
    });
    expect(sum / out.length).to.be.closeTo(0, 0.01);
    expect(Math.sqrt(sq / out.length)).to.be.closeTo(0.1, 0.01);
    expect([...labels.slice(0, 4)]).to.deep.equal([0, 1, 2, 0]);
    expect([...jitter2d(features, rows, 0.1, new Rng(9))]).to.deep.equal([...out]);
    expect([...jitter2d(features, rows, 0, new Rng(9))]).to.deep.equal([...features]);
  });

  it('validates its arguments', () => {
    expect(() => jitter2d(new Float32Array(5), 2, 0.1, new Rng(1))).to.throw(/rows/);
    expect(() => jitter2d(new Float32Array(4), 2, -1, new Rng(1))).to.throw(/sigma/);
  });
});
