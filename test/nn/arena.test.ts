import { expect } from '@esm-bundle/chai';
import { ARENA_ALIGN_BYTES, arenaLayout, layerTensors, parameterCount } from '../../src/nn/arena.ts';
import { initParams } from '../../src/nn/init.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';

const IRIS: ModelSpec = {
  inputSize: 4,
  hidden: [
    { units: 64, activation: 'relu' },
    { units: 64, activation: 'relu' },
  ],
  outputSize: 3,
  loss: 'softmax_ce',
};

describe('parameter arena layout', () => {
  it('puts all weights first, then all biases, each at a 256-byte-aligned offset', () => {
    const layout = arenaLayout(IRIS);
    expect(layout.tensors.map((t) => [t.name, t.offset, t.size])).to.deep.equal([
      ['layers.0.weight', 0, 256],
      ['layers.1.weight', 256, 4096],
      ['layers.2.weight', 4352, 192],
      ['layers.0.bias', 4544, 64],
      ['layers.1.bias', 4608, 64],
      ['layers.2.bias', 4672, 3],
    ]);
    expect(layout.weightsEnd).to.equal(4544);
    expect(layout.totalFloats).to.equal(4736);
    for (const t of layout.tensors) expect((t.offset * 4) % ARENA_ALIGN_BYTES).to.equal(0);
  });

  it('keeps tensors disjoint and inside the arena for awkward sizes', () => {
    const spec: ModelSpec = {
      inputSize: 7,
      hidden: [
        { units: 1, activation: 'tanh' },
        { units: 13, activation: 'sigmoid' },
      ],
      outputSize: 1,
      loss: 'sigmoid_bce',
    };
    const layout = arenaLayout(spec);
    const sorted = [...layout.tensors].sort((a, b) => a.offset - b.offset);
    sorted.forEach((t, i) => {
      const next = sorted[i + 1];
      expect(t.offset + t.size).to.be.at.most(next ? next.offset : layout.totalFloats);
    });
    expect(layerTensors(layout, 1).weight.shape).to.deep.equal([1, 13]);
    expect(parameterCount(layout)).to.equal(7 * 1 + 1 + 1 * 13 + 13 + 13 * 1 + 1);
  });

  it('initializes weights from the seed (He for relu, Glorot otherwise) and biases and padding to zero', () => {
    const a = initParams(IRIS, 1);
    expect(initParams(IRIS, 1)).to.deep.equal(a);
    expect(initParams(IRIS, 2)).to.not.deep.equal(a);
    const layout = arenaLayout(IRIS);
    const w0 = a.subarray(0, 256);
    const heLimit = Math.sqrt(6 / 4);
    expect(Math.max(...w0.map(Math.abs)))
      .to.be.at.most(heLimit)
      .and.greaterThan(heLimit * 0.9);
    const out = layerTensors(layout, 2).weight;
    const glorot = Math.sqrt(6 / (64 + 3));
    expect(Math.max(...a.subarray(out.offset, out.offset + out.size).map(Math.abs))).to.be.at.most(glorot);
    expect([...a.subarray(layout.weightsEnd)].every((v) => v === 0)).to.equal(true);
    expect([...a.subarray(out.offset + out.size, layout.weightsEnd)].every((v) => v === 0)).to.equal(true);
  });
});
