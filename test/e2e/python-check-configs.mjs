// The experiments python-export.test.mjs trains in the engine and checks its exported scripts
// against (--check): each reaches remedies, optimizers and datasets the others do not.
import { REMEDIES_OFF, base } from './python-cases.mjs';

/** A 2-D set with balanced class weights, a step schedule and Nesterov momentum with L1 and L2. */
export const MOONS_WEIGHTS_SCHEDULE = {
  ...base,
  dataset: { name: 'moons', size: 300, noise: 0.2, imbalance: 0.4, classes: 2 },
  hidden: [
    { units: 16, activation: 'tanh' },
    { units: 8, activation: 'leaky_relu' },
  ],
  optimizer: { ...base.optimizer, kind: 'momentum', learningRate: 0.05, nesterov: true, l1: 1e-4, l2: 1e-3 },
  batchSize: 16,
  remedies: { ...REMEDIES_OFF, classWeights: 'balanced', lrSchedule: { kind: 'step', every: 5, factor: 0.5 } },
};

/** Circles through seven input features (x1², x1·x2, sin x1, …). */
export const CIRCLES_FEATURES = {
  ...base,
  dataset: { name: 'circles', size: 300, noise: 0.1, imbalance: 1, classes: 2 },
  features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'],
  hidden: [{ units: 6, activation: 'tanh' }],
  batchSize: 16,
};

/** Every remedy at once on a spiral, with early stopping that restores its best weights. */
export const EVERY_REMEDY = {
  ...base,
  dataset: { name: 'spiral', size: 300, noise: 0.1, imbalance: 0.5, classes: 3 },
  hidden: [
    { units: 24, activation: 'relu' },
    { units: 12, activation: 'sigmoid' },
  ],
  optimizer: { ...base.optimizer, kind: 'adamw', learningRate: 0.01, weightDecay: 0.01, l2: 1e-3 },
  batchSize: 24,
  validationSplit: 0.25,
  remedies: {
    ...REMEDIES_OFF,
    classWeights: [1, 2, 3],
    resample: 'oversample',
    jitter: 0.1,
    dropout: [0.3, 0.2],
    earlyStopping: { monitor: 'validation_accuracy', patience: 2, minDelta: 0, restoreBest: true },
    lrSchedule: { kind: 'cosine', epochs: 15, floor: 0.1 },
  },
};

/** MNIST with shift/rotation/zoom augmentation, dropout and balanced class weights. */
export const MNIST_AUGMENT = {
  ...base,
  dataset: { ...base.dataset, name: 'mnist', size: 300, imbalance: 0.5 },
  hidden: [{ units: 16, activation: 'relu' }],
  epochs: 3,
  seed: 7,
  remedies: { ...REMEDIES_OFF, classWeights: 'balanced', imageAugment: { maxShift: 2, maxAngleDeg: 15, maxZoom: 0.1 }, dropout: [0.2] },
};

/** Every remedy the Keras script's training loop has, on circles. */
export const KERAS_EVERY_REMEDY = {
  ...base,
  dataset: { name: 'circles', size: 240, noise: 0.2, imbalance: 0.6, classes: 2 },
  hidden: [
    { units: 12, activation: 'leaky_relu' },
    { units: 6, activation: 'tanh' },
  ],
  optimizer: { ...base.optimizer, kind: 'momentum', learningRate: 0.05, nesterov: true, l1: 1e-4, l2: 1e-3 },
  batchSize: 20,
  remedies: {
    ...REMEDIES_OFF,
    classWeights: 'balanced',
    resample: 'undersample',
    jitter: 0.2,
    dropout: [0.25, 0.1],
    earlyStopping: { monitor: 'validation_loss', patience: 4, minDelta: 0, restoreBest: true },
    lrSchedule: { kind: 'step', every: 4, factor: 0.7 },
  },
};

/** Four gaussians with undersampling and a cosine schedule, for the Keras module's NumPy sections. */
export const KERAS_MODULE = {
  ...base,
  dataset: { name: 'gaussians', size: 200, noise: 0.3, imbalance: 0.3, classes: 4 },
  hidden: [
    { units: 6, activation: 'relu' },
    { units: 5, activation: 'tanh' },
  ],
  batchSize: 16,
  remedies: { ...REMEDIES_OFF, classWeights: 'balanced', resample: 'undersample', lrSchedule: { kind: 'cosine', epochs: 7, floor: 0.2 } },
};
