import { expect } from '@esm-bundle/chai';
import { ACTIVATIONS, activationId } from '../../src/nn/activation.ts';
import { dropoutScale } from '../../src/nn/dropout.ts';
import { hashUniform } from '../../src/nn/hash.ts';
import { Rng } from '../../src/nn/rng.ts';
import { activate, activationGradFromOutput } from '../../src/reference/dense.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';
import { testHeap } from './heap.ts';

describe('CPU kernels: dense epilogues, bias gradient and dropout against the reference', () => {
  for (const act of ACTIVATIONS) {
    for (const [rows, units] of [
      [1, 1],
      [3, 7],
      [5, 4],
      [17, 13],
    ] as const) {
      it(`${act}: bias + activation and act' over ${rows}×${units}`, async () => {
        const heap = await testHeap();
        const rng = new Rng(rows * 31 + units);
        const z = randomArray(rng, rows * units, -3, 3);
        z[0] = 0;
        const bias = randomArray(rng, units);
        const y = heap.put(z);
        heap.k.biasActivation(y, rows, units, heap.put(bias), activationId(act));
        const want = Array.from(z, (v, i) => activate(Math.fround(v + bias[i % units]!), act));
        // tanh and sigmoid in float32: |Δ| ≤ 1e-6 + 1e-6·|want|; the others are exact.
        expectClose(heap.get(y, rows * units), want, 1e-6, 1e-6, 'y');
        const outputs = heap.get(y, rows * units);
        const g = randomArray(rng, rows * units);
        const dz = heap.put(g);
        heap.k.activationGrad(dz, y, rows * units, activationId(act));
        expectClose(
          heap.get(dz, rows * units),
          Array.from(g, (v, i) => v * activationGradFromOutput(outputs[i]!, act)),
          1e-6,
          1e-6,
          'dz',
        );
      });
    }
  }

  it('ReLU of NaN is 0, as in the reference (z > 0 ? z : 0)', async () => {
    const heap = await testHeap();
    const y = heap.put([NaN, -0, 0, -2, 2, NaN, 1, -1]);
    heap.k.biasActivation(y, 2, 4, heap.put([0, 0, 0, 0]), activationId('relu'));
    expect([...heap.get(y, 8)]).to.deep.equal([0, 0, 0, 0, 2, 0, 1, 0]);
  });

  for (const [rows, units] of [
    [1, 1],
    [7, 3],
    [32, 64],
    [129, 10],
  ] as const) {
    it(`bias gradient: column sums of ${rows}×${units}`, async () => {
      const heap = await testHeap();
      const dz = randomArray(new Rng(rows + units), rows * units);
      const db = heap.alloc(units);
      heap.k.biasGrad(db, heap.put(dz), rows, units);
      const want = Array.from({ length: units }, (_, j) => Array.from({ length: rows }, (_, r) => dz[r * units + j]!).reduce((s, v) => s + v, 0));
      expectClose(heap.get(db, units), want, 1e-6 * rows, 1e-6, 'db');
    });
  }

  it('hashUniform equals src/nn/hash.ts, seeds past 2³¹ included', async () => {
    const heap = await testHeap();
    for (const [seed, stream, step, i] of [
      [0, 0, 0, 0],
      [42, 1, 7, 123],
      [0xffffffff, 0xa0000005, 2 ** 31 + 5, 99999],
      [7, 3, 0, 2 ** 32 - 1],
    ]) {
      expect(heap.k.hashUniform(seed!, stream!, step!, i!), `(${seed}, ${stream}, ${step}, ${i})`).to.equal(hashUniform(seed!, stream!, step!, i!));
    }
  });

  for (const rate of [0.1, 0.5, 0.9]) {
    it(`dropout ${rate}: the reference's mask, scaled by 1 / (1 − rate), in place and out of place`, async () => {
      const heap = await testHeap();
      const n = 1009;
      const x = randomArray(new Rng(5), n);
      const src = heap.put(x);
      const out = heap.alloc(n);
      const [seed, layer, step] = [0xdeadbeef, 2, 17];
      const f = Math.fround(rate);
      heap.k.dropout(out, src, n, seed, layer, step, f, 1 / (1 - f));
      const want = Array.from(x, (v, i) => v * dropoutScale(seed, layer, step, i, rate));
      expectClose(heap.get(out, n), want, 0, 1e-6, 'dropped');
      const dropped = want.filter((v) => v === 0).length;
      expect(dropped / n).to.be.closeTo(rate, 0.06);
      heap.k.dropout(src, src, n, seed, layer, step, f, 1 / (1 - f));
      expect([...heap.get(src, n)]).to.deep.equal([...heap.get(out, n)]);
    });
  }
});
