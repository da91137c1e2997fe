import { ACTIVATIONS, isActivation, type Activation } from './activation.ts';
import { ConfigError } from '../config/errors.ts';

/** The loss a model's output layer is trained with; it also fixes the output activation. */
export type LossKind = 'softmax_ce' | 'sigmoid_bce' | 'mse';

/**
 * A head the loss kernels compute: a model's loss, or `least_squares`, a least-squares GAN
 * discriminator's (one raw score x against a 0/1 target y, loss (x − y)²), which only the GAN
 * backends use and no model spec names.
 */
export type LossHead = LossKind | 'least_squares';

/** One dense layer: `units` outputs followed by `activation`. */
export interface LayerSpec {
  units: number;
  activation: Activation;
}

/**
 * A dense network: input width, hidden layers, and an output head. The output layer is linear
 * (logits); the loss applies softmax or sigmoid, which is both cheaper and numerically safer.
 */
export interface ModelSpec {
  inputSize: number;
  hidden: LayerSpec[];
  outputSize: number;
  loss: LossKind;
  /**
   * Activation of the output layer; linear (logits) unless set. A GAN's generator ends in tanh:
   * its gradient arrives from the discriminator, not from this spec's loss.
   */
  outputActivation?: Activation;
}

/** Documented bounds on model specs; also shown in the UI. */
export const MODEL_LIMITS = {
  maxInputSize: 4096,
  maxUnits: 4096,
  maxHiddenLayers: 16,
  maxOutputSize: 256,
} as const;

/** Deprecated here: ConfigError lives in src/config/errors.ts; this re-export keeps old imports working. */
export { ConfigError };

function checkCount(field: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ConfigError(field, `must be a whole number, got ${String(value)}`);
  }
  if (value < 1) throw new ConfigError(field, `must be at least 1, got ${value}`);
  if (value > max) throw new ConfigError(field, `must be at most ${max} (the documented limit), got ${value}`);
}

/** Throws a ConfigError naming the first invalid field of `spec`; returns it typed otherwise. */
export function validateModelSpec(spec: ModelSpec): ModelSpec {
  checkCount('model.inputSize', spec.inputSize, MODEL_LIMITS.maxInputSize);
  if (!Array.isArray(spec.hidden)) throw new ConfigError('model.hidden', 'must be a list of layers');
  if (spec.hidden.length > MODEL_LIMITS.maxHiddenLayers) {
    throw new ConfigError('model.hidden', `has ${spec.hidden.length} layers; at most ${MODEL_LIMITS.maxHiddenLayers} are allowed`);
  }
  spec.hidden.forEach((layer, i) => {
    checkCount(`model.hidden[${i}].units`, layer.units, MODEL_LIMITS.maxUnits);
    if (!isActivation(layer.activation)) {
      throw new ConfigError(`model.hidden[${i}].activation`, `unknown activation "${String(layer.activation)}"; expected one of ${ACTIVATIONS.join(', ')}`);
    }
  });
  // Classes are bounded by the loss kernel's row loop; value outputs (a generator's pixels) by the units limit.
  checkCount('model.outputSize', spec.outputSize, spec.loss === 'softmax_ce' ? MODEL_LIMITS.maxOutputSize : MODEL_LIMITS.maxUnits);
  if (spec.outputActivation !== undefined && !isActivation(spec.outputActivation)) {
    throw new ConfigError('model.outputActivation', `unknown activation "${String(spec.outputActivation)}"`);
  }
  if (!['softmax_ce', 'sigmoid_bce', 'mse'].includes(spec.loss)) {
    throw new ConfigError('model.loss', `unknown loss "${String(spec.loss)}"`);
  }
  if (spec.loss === 'softmax_ce' && spec.outputSize < 2) {
    throw new ConfigError('model.outputSize', 'softmax cross-entropy needs at least 2 classes');
  }
  if (spec.loss === 'sigmoid_bce' && spec.outputSize !== 1) {
    throw new ConfigError('model.outputSize', 'binary cross-entropy uses exactly 1 output');
  }
  return spec;
}

/** Dense layers in order, hidden ones then the linear output layer, with their fan-in. */
export function denseLayers(spec: ModelSpec): { inputs: number; units: number; activation: Activation }[] {
  const layers: { inputs: number; units: number; activation: Activation }[] = [];
  let inputs = spec.inputSize;
  for (const layer of spec.hidden) {
    layers.push({ inputs, units: layer.units, activation: layer.activation });
    inputs = layer.units;
  }
  layers.push({ inputs, units: spec.outputSize, activation: spec.outputActivation ?? 'linear' });
  return layers;
}
