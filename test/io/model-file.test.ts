import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { encodeHash } from '../../src/config/url.ts';
import { MissingSpecError, modelFromSafetensors, modelToSafetensors, paramsForSpec } from '../../src/io/model-file.ts';
import { decodeSafetensors, encodeSafetensors, ModelFileError, type ModelFileReason, type NamedTensor } from '../../src/io/safetensors.ts';
import { arenaLayout } from '../../src/nn/arena.ts';
import { initParams } from '../../src/nn/init.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';

const SPEC: ModelSpec = {
  inputSize: 3,
  hidden: [
    { units: 5, activation: 'tanh' },
    { units: 4, activation: 'leaky_relu' },
  ],
  outputSize: 2,
  loss: 'softmax_ce',
};
const CONFIG: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'moons' },
  hidden: SPEC.hidden,
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, kind: 'momentum', learningRate: 0.05, nesterov: true },
  seed: 9,
};

/** A trained-looking arena: init values plus awkward bit patterns, padding left at zero. */
function params(spec = SPEC): Float32Array {
  const p = initParams(spec, 3);
  const b = arenaLayout(spec).tensors.find((t) => t.name === 'layers.0.bias')!;
  p.set([-0, 1e-45, 3.4028235e38, -1.5].slice(0, b.size), b.offset);
  return p;
}

const bits = (a: Float32Array): number[] => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

function reasonOf(fn: () => unknown): { reason: ModelFileReason; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(ModelFileError);
    return { reason: (e as ModelFileError).reason, message: (e as Error).message };
  }
  throw new Error('expected a ModelFileError');
}

/** The tensors of a saved model, to rebuild broken variants of it. */
function savedTensors(): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  const file = decodeSafetensors(modelToSafetensors(SPEC, params(), CONFIG, null));
  return {
    tensors: [...file.tensors].map(([name, t]) => ({ name, ...t })),
    metadata: Object.fromEntries(file.metadata),
  };
}

describe('model files', () => {
  it('save → load round-trips spec, config and every parameter bit for bit', () => {
    const p = params();
    const bytes = modelToSafetensors(SPEC, p, CONFIG, { epochs: 12, steps: 96, trainLoss: 0.25, validationAccuracy: 0.9 });
    const m = modelFromSafetensors(bytes);
    expect(m.spec).to.deep.equal(SPEC);
    expect(bits(m.params)).to.deep.equal(bits(p));
    expect(encodeHash(m.config!)).to.equal(encodeHash(CONFIG));
    expect(m.training).to.deep.equal({ epochs: 12, steps: 96, trainLoss: 0.25, validationAccuracy: 0.9 });
    expect(m.messages).to.deep.equal([]);
  });

  it('keeps a full drawing in the saved settings', () => {
    const drawn = Array.from({ length: 500 }, (_, i) => ({ x1: ((i % 301) - 150) / 100, x2: (((i * 7) % 301) - 150) / 100, y: ((i % 201) - 100) / 100 }));
    const config: ExperimentConfig = { ...CONFIG, dataset: { ...CONFIG.dataset, name: 'drawn', drawn } };
    const m = modelFromSafetensors(modelToSafetensors(SPEC, params(), config, null));
    expect(m.messages).to.deep.equal([]);
    expect(m.config!.dataset).to.deep.equal(config.dataset);
  });

  it('stores PyTorch names, [out, in] weights and the documented metadata', () => {
    const p = params();
    const file = decodeSafetensors(modelToSafetensors(SPEC, p, CONFIG, null));
    expect([...file.tensors.keys()]).to.deep.equal([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'layers.2.weight',
      'layers.2.bias',
    ]);
    const w = file.tensors.get('layers.0.weight')!;
    expect(w.shape).to.deep.equal([5, 3]);
    const arenaW = arenaLayout(SPEC).tensors.find((t) => t.name === 'layers.0.weight')!;
    // Arena [in=2][out=4] is PyTorch [out=4][in=2].
    expect(w.data[4 * 3 + 2]).to.equal(p[arenaW.offset + 2 * 5 + 4]);
    expect(file.metadata.get('format')).to.equal('shaderprop');
    expect(file.metadata.get('framework_orientation')).to.equal('pytorch');
    expect(JSON.parse(file.metadata.get('spec')!)).to.deep.equal(SPEC);
    expect(file.metadata.get('config')).to.equal(encodeHash(CONFIG));
    expect(file.metadata.has('training')).to.equal(false);
  });

  it('refuses to save a diverged model', () => {
    const p = params();
    p[arenaLayout(SPEC).tensors.find((t) => t.name === 'layers.1.weight')!.offset + 3] = NaN;
    const r = reasonOf(() => modelToSafetensors(SPEC, p, CONFIG, null));
    expect(r.reason).to.equal('not-finite');
    expect(r.message).to.contain('layers.1.weight');
  });

  it('refuses a missing tensor, naming it', () => {
    const { tensors, metadata } = savedTensors();
    const r = reasonOf(() =>
      modelFromSafetensors(
        encodeSafetensors(
          tensors.filter((t) => t.name !== 'layers.1.bias'),
          metadata,
        ),
      ),
    );
    expect(r).to.deep.include({ reason: 'missing-tensor' });
    expect(r.message).to.contain('layers.1.bias');
  });

  it('refuses an extra tensor', () => {
    const { tensors, metadata } = savedTensors();
    const extra = [...tensors, { name: 'layers.3.weight', shape: [1], data: new Float32Array([1]) }];
    const r = reasonOf(() => modelFromSafetensors(encodeSafetensors(extra, metadata)));
    expect(r.reason).to.equal('architecture');
    expect(r.message).to.contain('layers.3.weight');
  });

  it('refuses a tensor whose shape does not fit the described network, naming both shapes', () => {
    const { tensors, metadata } = savedTensors();
    const spec = { ...SPEC, hidden: [{ units: 6, activation: 'tanh' }, SPEC.hidden[1]] };
    const r = reasonOf(() => modelFromSafetensors(encodeSafetensors(tensors, { ...metadata, spec: JSON.stringify(spec) })));
    expect(r.reason).to.equal('architecture');
    expect(r.message).to.contain('layers.0.weight').and.contain('[5, 3]').and.contain('[6, 3]');
  });

  it('refuses invalid or hostile network descriptions as architecture errors', () => {
    const { tensors, metadata } = savedTensors();
    const bad = [
      'not json',
      '{"inputSize":3,"hidden":[{"units":-5,"activation":"tanh"}],"outputSize":2,"loss":"softmax_ce"}',
      '{"inputSize":3,"hidden":[{"units":5,"activation":"gelu"}],"outputSize":2,"loss":"softmax_ce"}',
      JSON.stringify({ ...SPEC, hidden: Array.from({ length: 10_000 }, () => ({ units: 1, activation: 'relu' })) }),
      '{"__proto__":{"inputSize":3},"hidden":[],"outputSize":2,"loss":"softmax_ce"}',
    ];
    for (const spec of bad) {
      expect(reasonOf(() => modelFromSafetensors(encodeSafetensors(tensors, { ...metadata, spec }))).reason, spec.slice(0, 40)).to.equal('architecture');
    }
    expect(() => modelFromSafetensors(encodeSafetensors(tensors, {}))).to.throw(MissingSpecError);
  });

  it('words every refused network description itself: objects where values belong, nesting, lone surrogates', () => {
    const { tensors, metadata } = savedTensors();
    const cases: [string, string][] = [
      ['{"inputSize":3,"hidden":[{"units":5,"activation":{"toString":1}}],"outputSize":2,"loss":"softmax_ce"}', 'model.hidden[0].activation'],
      ['{"inputSize":{"valueOf":1},"hidden":[],"outputSize":2,"loss":"softmax_ce"}', 'model.inputSize'],
      ['{"inputSize":3,"hidden":[],"outputSize":2,"loss":[{"toString":1}]}', 'model.loss'],
      [`{"inputSize":${'['.repeat(5000)}`, 'nest 128 levels deep'],
      ['{"inputSize":3,"hidden":[],"outputSize":2,"loss":"\\uDC00"}', 'lone trailing surrogate'],
      ['not json', 'expected a value but found "n" (at byte 0)'],
    ];
    for (const [spec, named] of cases) {
      const r = reasonOf(() => modelFromSafetensors(encodeSafetensors(tensors, { ...metadata, spec })));
      expect(r.reason).to.equal('architecture');
      expect(r.message, spec.slice(0, 60)).to.contain(named);
      expect(r.message).not.to.match(/TypeError|RangeError|primitive|JSON\.parse|Unexpected token|in JSON at position/);
    }
  });

  it('keeps what a saved config can use and reports what fell back', () => {
    const { tensors, metadata } = savedTensors();
    const m = modelFromSafetensors(encodeSafetensors(tensors, { ...metadata, config: `${metadata.config!.replace('lr=0.05', 'lr=-1')}&__proto__=1` }));
    expect(m.config!.optimizer.learningRate).to.equal(DEFAULT_EXPERIMENT.optimizer.learningRate);
    expect(m.config!.dataset.name).to.equal('moons');
    expect(m.messages.join(' ')).to.contain('lr=-1').and.contain('__proto__');
    expect(m.config!.hidden).to.deep.equal(SPEC.hidden);
  });

  it('paramsForSpec loads into a network of the same shape, even without metadata', () => {
    const p = params();
    const { tensors } = savedTensors();
    const loaded = paramsForSpec(encodeSafetensors(tensors, {}), SPEC);
    expect(bits(loaded.params)).to.deep.equal(bits(p));
    expect(loaded.messages).to.deep.equal([]);
    const relu = { ...SPEC, hidden: SPEC.hidden.map((l) => ({ ...l, activation: 'relu' as const })) };
    const other = paramsForSpec(modelToSafetensors(SPEC, p, null, null), relu);
    expect(bits(other.params)).to.deep.equal(bits(p));
    expect(other.messages.join(' ')).to.contain('other activations');
    const wider = { ...SPEC, outputSize: 3 };
    expect(reasonOf(() => paramsForSpec(modelToSafetensors(SPEC, p, null, null), wider)).reason).to.equal('architecture');
  });

  it('round-trips a network without hidden layers and a sigmoid head', () => {
    const spec: ModelSpec = { inputSize: 2, hidden: [], outputSize: 1, loss: 'sigmoid_bce' };
    const p = params(spec);
    const m = modelFromSafetensors(modelToSafetensors(spec, p, null, null));
    expect(m.spec).to.deep.equal(spec);
    expect(m.config).to.equal(null);
    expect(bits(m.params)).to.deep.equal(bits(p));
  });
});
