import { expect } from '@esm-bundle/chai';
import { ganKerasScript } from '../../src/io/export-gan-keras.ts';
import { ganPytorchScript } from '../../src/io/export-gan-pytorch.ts';
import { ganConfigJson, ganFromSafetensors, ganToSafetensors } from '../../src/io/gan-file.ts';
import { modelToSafetensors } from '../../src/io/model-file.ts';
import { decodeSafetensors, ModelFileError } from '../../src/io/safetensors.ts';
import { initParams } from '../../src/nn/init.ts';
import { ARTICLE_GAN, discriminatorSpec, generatorSpec, initGan, SMALL_GAN, type GanConfig } from '../../src/train/gan-config.ts';

const CONFIG: GanConfig = {
  ...SMALL_GAN,
  latent: 8,
  generator: [12, 10],
  discriminator: [9],
  batch: 16,
  dSteps: 3,
  labelSmoothing: 0.15,
  nonSaturating: false,
  g: { learningRate: 3e-4, beta1: 0.4, beta2: 0.99 },
  seed: 77,
};

const setting = (py: string, name: string): string | undefined => new RegExp(`^${name} = (.*?)(?:  #.*)?$`, 'm').exec(py)?.[1];
const bits = (a: Float32Array): number[] => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

function refusal(fn: () => unknown): ModelFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelFileError) return e;
    throw e;
  }
  throw new Error('expected a ModelFileError');
}

describe('GAN code export', () => {
  it('both scripts carry the GAN as configured: networks, losses, Adam, k, smoothing, seed', () => {
    for (const py of [ganPytorchScript(CONFIG), ganKerasScript(CONFIG)]) {
      expect({
        LATENT: setting(py, 'LATENT'),
        G_HIDDEN: setting(py, 'G_HIDDEN'),
        D_HIDDEN: setting(py, 'D_HIDDEN'),
        ACTIVATION: setting(py, 'ACTIVATION'),
        BATCH: setting(py, 'BATCH'),
        D_STEPS: setting(py, 'D_STEPS'),
        LABEL_SMOOTHING: setting(py, 'LABEL_SMOOTHING'),
        NON_SATURATING: setting(py, 'NON_SATURATING'),
        G: setting(py, 'G_LEARNING_RATE, G_BETA1, G_BETA2'),
        D: setting(py, 'D_LEARNING_RATE, D_BETA1, D_BETA2'),
        SEED: setting(py, 'SEED'),
      }).to.deep.equal({
        LATENT: '8',
        G_HIDDEN: '[12, 10]',
        D_HIDDEN: '[9]',
        ACTIVATION: '"leaky_relu"',
        BATCH: '16',
        D_STEPS: '3',
        LABEL_SMOOTHING: '0.15',
        NON_SATURATING: 'False',
        G: '0.0003, 0.4, 0.99',
        D: '0.001, 0.5, 0.999',
        SEED: '77',
      });
      expect(JSON.parse(JSON.parse(setting(py, 'GAN_JSON')!))).to.deep.equal(JSON.parse(ganConfigJson(CONFIG)));
      expect(py).to.contain('--save-generator').and.contain('--discriminator').and.contain('class LabStreams:');
      expect(py).to.match(/^# LEFT OUT: Adam moments when continuing from saved weights/m);
    }
    const torch = ganPytorchScript(CONFIG);
    expect(torch).to.contain('F.softplus(-logits) if NON_SATURATING else -F.softplus(logits)').and.contain('DistributedDataParallel(net');
    const keras = ganKerasScript(CONFIG);
    expect(keras.split('\n').filter((l) => /^(import|from) tensorflow/.test(l))).to.deep.equal([]);
    expect(setting(keras, 'LEFT_OUT')).to.contain('use the PyTorch script with torchrun');
  });

  it('refuses a GAN config out of bounds', () => {
    expect(() => ganPytorchScript({ ...CONFIG, dSteps: 9 })).to.throw();
    expect(() => ganKerasScript({ ...CONFIG, g: { ...CONFIG.g, learningRate: NaN } })).to.throw();
  });
});

describe("Save G and D files and the lab's loader", () => {
  it('writes both networks with the GAN settings and reads them back in either order, bit for bit', () => {
    const params = initGan(CONFIG);
    const files = ganToSafetensors(CONFIG, params, 1234);
    const meta = decodeSafetensors(files.generator).metadata;
    expect(meta.get('gan_role')).to.equal('generator');
    expect(JSON.parse(meta.get('gan')!)).to.deep.equal(JSON.parse(ganConfigJson(CONFIG)));
    for (const [a, b] of [
      [files.generator, files.discriminator],
      [files.discriminator, files.generator],
    ] as const) {
      const back = ganFromSafetensors(a, b, ARTICLE_GAN);
      expect(back.config).to.deep.equal(CONFIG);
      expect(back.iterations).to.equal(1234);
      expect(back.messages).to.deep.equal([]);
      expect(bits(back.params.g)).to.deep.equal(bits(params.g));
      expect(bits(back.params.d)).to.deep.equal(bits(params.d));
    }
  });

  it("loads files saved before they carried the GAN settings, with the lab's settings and a note", () => {
    const g = modelToSafetensors(generatorSpec(CONFIG), initParams(generatorSpec(CONFIG), 1), null, { epochs: 0, steps: 40 });
    const d = modelToSafetensors(discriminatorSpec(CONFIG), initParams(discriminatorSpec(CONFIG), 2), null, { epochs: 0, steps: 40 });
    const back = ganFromSafetensors(g, d, ARTICLE_GAN);
    expect(back.config).to.deep.equal({ ...ARTICLE_GAN, latent: 8, generator: [12, 10], discriminator: [9], activation: 'leaky_relu' });
    expect(back.iterations).to.equal(40);
    expect(back.messages.join(' ')).to.contain('do not carry the GAN settings');
  });

  it('refuses two generators, a classifier, and mixed activations, saying why', () => {
    const files = ganToSafetensors(CONFIG, initGan(CONFIG), 0);
    expect(refusal(() => ganFromSafetensors(files.generator, files.generator, ARTICLE_GAN)).message).to.contain('a generator');
    const iris = { inputSize: 4, hidden: [{ units: 8, activation: 'relu' as const }], outputSize: 3, loss: 'softmax_ce' as const };
    expect(refusal(() => ganFromSafetensors(files.generator, modelToSafetensors(iris, initParams(iris, 1), null, null), ARTICLE_GAN)).reason).to.equal(
      'architecture',
    );
    const reluD = { ...CONFIG, activation: 'relu' as const };
    const d = ganToSafetensors(reluD, initGan(reluD), 0).discriminator;
    expect(refusal(() => ganFromSafetensors(files.generator, d, ARTICLE_GAN)).message).to.contain('all use relu or all use leaky_relu');
    expect(refusal(() => ganFromSafetensors(files.generator, files.discriminator.slice(0, 40), ARTICLE_GAN)).message)
      .to.be.a('string')
      .and.not.equal('');
  });
});
