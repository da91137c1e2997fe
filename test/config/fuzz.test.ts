import { expect } from '@esm-bundle/chai';
import { validateExperiment } from '../../src/config/experiment.ts';
import { decodeHash, encodeHash } from '../../src/config/url.ts';
import { CsvError, parseCsv, tableFromCsv, suggestColumns } from '../../src/data/csv.ts';
import { Rng } from '../../src/nn/rng.ts';

const ALPHABET = '=&,#%.-_0123456789abcdefghijklmnopqrstuvwxyz;"\n\r\t \u0000\u00e9😀';

/** Random edits of `text`: replace, insert, delete, duplicate a slice. */
function mutate(text: string, rng: Rng): string {
  let s = text;
  const edits = 1 + rng.int(6);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(s.length + 1);
    const ch = ALPHABET[rng.int(ALPHABET.length)]!;
    switch (rng.int(4)) {
      case 0:
        s = s.slice(0, at) + ch + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + ch + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + rng.int(4));
        break;
      default:
        s = s.slice(0, at) + s.slice(at, at + rng.int(20)) + s.slice(at);
    }
  }
  return s;
}

describe('fuzzing untrusted input', () => {
  it('10,000 mutated URL hashes give a valid config, with a message for each field not used', () => {
    const rng = new Rng(2026);
    const seeds = [
      '#dataset=iris&layers=64,64&activation=relu&optimizer=adam&lr=0.001&batch=32&epochs=200&seed=1',
      `#${encodeHash({ ...decodeHash('').config, dataset: { name: 'spiral', size: 500, noise: 0.3, imbalance: 0.4, classes: 4 }, batchSize: 'full' })}`,
    ];
    for (let i = 0; i < 10000; i++) {
      const hash = mutate(seeds[i % 2]!, rng);
      const { config, messages } = decodeHash(hash);
      expect(() => validateExperiment(config), hash).to.not.throw();
      for (const m of messages) expect(m, hash).to.be.a('string').and.have.length.greaterThan(10);
    }
  });

  it('10,000 mutated CSV files are either read within bounds or rejected with a CsvError message', () => {
    const rng = new Rng(7);
    const lines = ['sepal,petal,"kind, quoted"'];
    for (let i = 0; i < 12; i++) lines.push(`${(i * 0.37).toFixed(2)},${i % 3},${['a', 'b', '"c ""d"""'][i % 3]}`);
    const valid = lines.join('\r\n');
    let accepted = 0;
    for (let i = 0; i < 10000; i++) {
      const text = mutate(valid, rng);
      try {
        const csv = parseCsv(text);
        const table = tableFromCsv(csv, suggestColumns(csv));
        const rows = table.labels.length;
        expect(table.features.length, text).to.equal(rows * table.inputSize);
        expect(table.features.every(Number.isFinite), text).to.equal(true);
        expect(
          [...table.labels].every((l) => l < table.classNames.length),
          text,
        ).to.equal(true);
        expect(table.classNames.length).to.be.within(2, 256);
        accepted++;
      } catch (e) {
        if (!(e instanceof CsvError)) throw new Error(`unexpected ${String(e)} for ${JSON.stringify(text)}`, { cause: e });
        expect(e.message.length, text).to.be.greaterThan(10);
      }
    }
    // Both outcomes occur: the mutations are neither all fatal nor all harmless.
    expect(accepted).to.be.within(100, 9900);
  });
});
