// Experiments the exported-script tests share: between them they reach every branch of the
// generators (datasets, tasks, optimizers, losses, remedies, CSV column names).

/** Every remedy off. */
export const REMEDIES_OFF = {
  classWeights: 'none',
  resample: 'none',
  earlyStopping: null,
  lrSchedule: { kind: 'constant' },
  jitter: 0,
  imageAugment: null,
  ganOversample: null,
  dropout: [],
};

const adam = { kind: 'adam', learningRate: 1e-3, momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, l1: 0, l2: 0 };

/** The article's Iris experiment. */
export const base = {
  dataset: { name: 'iris', size: 400, noise: 0.1, imbalance: 1, classes: 2 },
  hidden: [
    { units: 64, activation: 'relu' },
    { units: 64, activation: 'relu' },
  ],
  optimizer: adam,
  batchSize: 32,
  epochs: 200,
  validationSplit: 0.2,
  testSplit: 0.2,
  seed: 42,
  backend: 'auto',
};

const twoD = (hidden, outputSize = 2, loss = 'softmax_ce') => ({ inputSize: 2, hidden, outputSize, loss });

/** A regression experiment on the plane: one linear output learns the standardized target with MSE. */
export const regressionBase = {
  ...base,
  task: 'regression',
  dataset: { name: 'plane', size: 200, noise: 0.2, imbalance: 1, classes: 2 },
  hidden: [{ units: 6, activation: 'tanh' }],
  batchSize: 16,
};

/** Gaussmix's bumps with two hidden layers and input features beyond x1, x2. */
export const gaussmixFeatures = {
  ...regressionBase,
  dataset: { ...regressionBase.dataset, name: 'gaussmix', size: 300, noise: 0.1 },
  features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1'],
  hidden: [
    { units: 12, activation: 'relu' },
    { units: 8, activation: 'tanh' },
  ],
  optimizer: { ...adam, learningRate: 0.01 },
};

/**
 * A drawing of 90 points in three clusters of classes 0, 2 and 5 (the gaps are closed up: the
 * network has 3 outputs), on the 0.01 grid the drawing tools snap to, corners included.
 */
export const DRAWN_POINTS = Array.from({ length: 90 }, (_, i) => {
  const k = i % 3;
  const [cx, cy] = [
    [-80, -60],
    [70, -40],
    [0, 90],
  ][k];
  return {
    x1: Math.max(-150, Math.min(150, cx + ((i * 37) % 61) - 30)) / 100,
    x2: Math.max(-150, Math.min(150, cy + ((i * 53) % 57) - 28)) / 100,
    y: [0, 2, 5][k],
  };
});

/** Named experiments with the spec of their network and any export options. */
export const CASES = [
  { name: 'iris-adam', config: base, spec: { inputSize: 4, hidden: base.hidden, outputSize: 3, loss: 'softmax_ce' } },
  {
    name: 'spiral-momentum-l1-l2',
    config: {
      ...base,
      dataset: { ...base.dataset, name: 'spiral', classes: 3, imbalance: 0.5 },
      hidden: [
        { units: 16, activation: 'tanh' },
        { units: 8, activation: 'leaky_relu' },
      ],
      optimizer: { ...adam, kind: 'momentum', nesterov: true, l1: 1e-4, l2: 1e-3 },
      batchSize: 'full',
    },
    spec: twoD(
      [
        { units: 16, activation: 'tanh' },
        { units: 8, activation: 'leaky_relu' },
      ],
      3,
    ),
  },
  ...['circles', 'xor', 'gaussians', 'moons'].map((name, i) => ({
    name: `${name}-${['sgd', 'adamw', 'adam', 'momentum'][i]}`,
    config: {
      ...base,
      dataset: { ...base.dataset, name },
      hidden: [{ units: 8, activation: 'sigmoid' }],
      optimizer: { ...adam, kind: ['sgd', 'adamw', 'adam', 'momentum'][i], weightDecay: 0.01, l2: 0.001 },
    },
    spec: twoD([{ units: 8, activation: 'sigmoid' }]),
  })),
  {
    name: 'xor-bce-no-hidden',
    config: { ...base, dataset: { ...base.dataset, name: 'xor' }, hidden: [], testSplit: 0, validationSplit: 0 },
    spec: twoD([], 1, 'sigmoid_bce'),
  },
  {
    name: 'moons-mse',
    config: { ...base, dataset: { ...base.dataset, name: 'moons' }, hidden: [{ units: 4, activation: 'linear' }] },
    spec: twoD([{ units: 4, activation: 'linear' }], 2, 'mse'),
  },
  {
    name: 'moons-every-remedy',
    config: {
      ...base,
      dataset: { ...base.dataset, name: 'moons' },
      hidden: [{ units: 4, activation: 'relu' }],
      remedies: {
        classWeights: [1, 3],
        resample: 'oversample',
        earlyStopping: { monitor: 'validation_loss', patience: 5, minDelta: 0.001, restoreBest: true },
        lrSchedule: { kind: 'step', every: 10, factor: 0.5 },
        jitter: 0.2,
        imageAugment: null,
        ganOversample: null,
        dropout: [0.25],
      },
    },
    spec: twoD([{ units: 4, activation: 'relu' }]),
  },
  {
    name: 'mnist-augment-gan',
    config: {
      ...base,
      dataset: { ...base.dataset, name: 'mnist', size: 1000, imbalance: 0.5 },
      hidden: [{ units: 32, activation: 'relu' }],
      remedies: { ...REMEDIES_OFF, imageAugment: { maxShift: 2, maxAngleDeg: 10, maxZoom: 0.1 }, ganOversample: { iterations: 300 }, dropout: [0.1] },
    },
    spec: { inputSize: 784, hidden: [{ units: 32, activation: 'relu' }], outputSize: 10, loss: 'softmax_ce' },
  },
  {
    name: 'drawn-three-classes',
    config: {
      ...base,
      dataset: { ...base.dataset, name: 'drawn', imbalance: 0.5, drawn: DRAWN_POINTS },
      hidden: [{ units: 8, activation: 'tanh' }],
      batchSize: 16,
    },
    spec: twoD([{ units: 8, activation: 'tanh' }], 3),
  },
  {
    name: 'csv-hostile-columns',
    config: { ...base, dataset: { ...base.dataset, name: 'csv' } },
    spec: { inputSize: 3, hidden: base.hidden, outputSize: 2, loss: 'softmax_ce' },
    options: { csvColumns: { label: 'y"""\n__import__("os").system("echo pwned")#', features: ["a'b", 'c\\', 'é\u2028😀\u0000'] } },
  },
  { name: 'plane-regression', config: regressionBase, spec: twoD(regressionBase.hidden, 1, 'mse') },
  {
    name: 'gaussmix-regression-features',
    config: gaussmixFeatures,
    spec: { inputSize: gaussmixFeatures.features.length, hidden: gaussmixFeatures.hidden, outputSize: 1, loss: 'mse' },
  },
  {
    name: 'csv-regression',
    config: { ...regressionBase, dataset: { ...regressionBase.dataset, name: 'csv' } },
    spec: { inputSize: 3, hidden: regressionBase.hidden, outputSize: 1, loss: 'mse' },
    options: { csvColumns: { label: 'price', features: ['area', 'rooms', 'floor'] } },
  },
];
