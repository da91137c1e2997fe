import type { ExperimentConfig } from '../config/experiment.ts';
import { decodeHash, encodeHash } from '../config/url.ts';
import { arenaLayout, type ArenaLayout, type ArenaTensor } from '../nn/arena.ts';
import { MODEL_LIMITS, validateModelSpec, type LayerSpec, type ModelSpec } from '../nn/spec.ts';
import { ConfigError } from '../config/errors.ts';
import { decodeSafetensors, encodeSafetensors, ModelFileError, type DecodedSafetensors, type NamedTensor, type SafetensorsLimits } from './safetensors.ts';
import { parseJsonValue } from './strict-json.ts';

/** The `format` metadata value that marks a file written by shaderprop. */
export const MODEL_FILE_FORMAT = 'shaderprop';

/** How far a saved model was trained, stored as JSON in the file's metadata. */
export interface TrainingSummary {
  epochs: number;
  steps: number;
  trainLoss?: number;
  validationAccuracy?: number | null;
}

/** A model read back from a file: the network, its arena, and the experiment if one was saved. */
export interface LoadedModel {
  spec: ModelSpec;
  /** The parameter arena laid out by `arenaLayout(spec)`, ready for `loadParams`. */
  params: Float32Array;
  config: ExperimentConfig | null;
  training: TrainingSummary | null;
  /** Notes for the person loading the file (settings that fell back, mismatches resolved). */
  messages: string[];
}

/**
 * The arena tensor in PyTorch's orientation: nn.Linear keeps its weight as [out, in] while the
 * arena stores [in, out] (Y = X·W), so weights are transposed; biases are copied.
 */
function toPytorch(t: ArenaTensor, params: Float32Array): NamedTensor {
  if (t.kind === 'bias') return { name: t.name, shape: [t.size], data: params.slice(t.offset, t.offset + t.size) };
  const [inputs, units] = t.shape as [number, number];
  const data = new Float32Array(t.size);
  for (let k = 0; k < inputs; k++) {
    for (let u = 0; u < units; u++) data[u * inputs + k] = params[t.offset + k * units + u]!;
  }
  return { name: t.name, shape: [units, inputs], data };
}

/** Writes a PyTorch-oriented tensor back into the arena (the inverse of `toPytorch`). */
function fromPytorch(t: ArenaTensor, data: Float32Array, params: Float32Array): void {
  if (t.kind === 'bias') {
    params.set(data, t.offset);
    return;
  }
  const [inputs, units] = t.shape as [number, number];
  for (let u = 0; u < units; u++) {
    for (let k = 0; k < inputs; k++) params[t.offset + k * units + u] = data[u * inputs + k]!;
  }
}

/** State-dict order: layers.0.weight, layers.0.bias, layers.1.weight, … */
function stateDictOrder(layout: ArenaLayout): ArenaTensor[] {
  return [...layout.tensors].sort((a, b) => a.layer - b.layer || (a.kind === 'weight' ? -1 : 1));
}

/** The spec as plain JSON with exactly its known fields. */
function specJson(spec: ModelSpec): string {
  return JSON.stringify({
    inputSize: spec.inputSize,
    hidden: spec.hidden.map((l) => ({ units: l.units, activation: l.activation })),
    outputSize: spec.outputSize,
    loss: spec.loss,
  });
}

function trainingJson(t: TrainingSummary): string {
  const finite = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return JSON.stringify({ epochs: t.epochs, steps: t.steps, trainLoss: finite(t.trainLoss), validationAccuracy: finite(t.validationAccuracy) });
}

/**
 * A trained model as a `.safetensors` file: `layers.N.weight` ([out, in]) and `layers.N.bias`
 * in PyTorch's convention, so `safetensors.torch.load_file` + `load_state_dict` works on the
 * exported PyTorch module. The metadata holds the spec (JSON), the experiment as a URL hash,
 * and the training summary. Non-finite parameters (a diverged run) are refused ('not-finite').
 */
export function modelToSafetensors(spec: ModelSpec, params: Float32Array, config: ExperimentConfig | null, training: TrainingSummary | null): Uint8Array {
  validateModelSpec(spec);
  const layout = arenaLayout(spec);
  if (params.length !== layout.totalFloats) {
    throw new RangeError(`the parameters have ${params.length} floats; this network's arena has ${layout.totalFloats}`);
  }
  const tensors = stateDictOrder(layout).map((t) => {
    for (let i = t.offset; i < t.offset + t.size; i++) {
      if (!Number.isFinite(params[i]!)) {
        throw new ModelFileError(
          'not-finite',
          `${t.name} holds ${params[i]} (the training diverged); lower the learning rate, reset, and train again before saving`,
        );
      }
    }
    return toPytorch(t, params);
  });
  const metadata: Record<string, string> = {
    format: MODEL_FILE_FORMAT,
    framework_orientation: 'pytorch',
    spec: specJson(spec),
  };
  if (config) metadata.config = encodeHash(config);
  if (training) metadata.training = trainingJson(training);
  return encodeSafetensors(tensors, metadata);
}

/** Copies the file's tensors into a fresh arena for `spec`, checking names, shapes and extras. */
function arenaFromTensors(file: DecodedSafetensors, spec: ModelSpec): Float32Array {
  const layout = arenaLayout(spec);
  const expected = stateDictOrder(layout);
  for (const t of expected) {
    const found = file.tensors.get(t.name);
    if (!found) throw new ModelFileError('missing-tensor', `the file has no tensor "${t.name}", which this network needs`);
    const want = t.kind === 'weight' ? [t.shape[1]!, t.shape[0]!] : [t.size];
    if (found.shape.length !== want.length || found.shape.some((d, i) => d !== want[i])) {
      throw new ModelFileError('architecture', `tensor "${t.name}" has shape [${found.shape.join(', ')}] but this network needs [${want.join(', ')}]`);
    }
  }
  const names = new Set(expected.map((t) => t.name));
  for (const name of file.tensors.keys()) {
    if (!names.has(name)) throw new ModelFileError('architecture', `the file has a tensor "${name.slice(0, 80)}" that this network does not have`);
  }
  const params = new Float32Array(layout.totalFloats);
  for (const t of expected) fromPytorch(t, file.tensors.get(t.name)!.data, params);
  return params;
}

/** A field that must be a number or a string: objects never reach messages that would print them (engines word those differently). */
function scalar(o: Record<string, unknown>, key: string, field: string): unknown {
  const v = Object.hasOwn(o, key) ? o[key] : undefined;
  if (typeof v === 'object' && v !== null) throw new ConfigError(field, 'must be a number or a string, not a list or an object');
  return v;
}

function readLayer(value: unknown, i: number): LayerSpec {
  if (typeof value !== 'object' || value === null) throw new ConfigError('model.hidden', 'each layer must be an object');
  const layer = value as Record<string, unknown>;
  return {
    units: scalar(layer, 'units', `model.hidden[${i}].units`) as number,
    activation: scalar(layer, 'activation', `model.hidden[${i}].activation`) as LayerSpec['activation'],
  };
}

/** A file without a shaderprop network description: it can only fill a network of the same shape. */
export class MissingSpecError extends ModelFileError {
  constructor() {
    super('architecture', 'the file does not describe its network (no shaderprop "spec" in its metadata); load it into a network of the same shape instead');
  }
}

/** Rebuilds the spec from the file's metadata, picking known fields only; 'architecture' if bad. */
function specFromMetadata(metadata: Map<string, string>): ModelSpec {
  const text = metadata.get('spec');
  if (metadata.get('format') !== MODEL_FILE_FORMAT || text === undefined) {
    throw new MissingSpecError();
  }
  try {
    // Strict first: a broken or hostile description gets a message no engine has worded.
    const raw = parseJsonValue(text);
    if (typeof raw !== 'object' || raw === null) throw new ConfigError('model', 'must be an object');
    const o = raw as Record<string, unknown>;
    if (!Array.isArray(o.hidden)) throw new ConfigError('model.hidden', 'must be a list of layers');
    if (o.hidden.length > MODEL_LIMITS.maxHiddenLayers) throw new ConfigError('model.hidden', `has more than ${MODEL_LIMITS.maxHiddenLayers} layers`);
    const hidden = o.hidden.map(readLayer);
    const spec = {
      inputSize: scalar(o, 'inputSize', 'model.inputSize'),
      hidden,
      outputSize: scalar(o, 'outputSize', 'model.outputSize'),
      loss: scalar(o, 'loss', 'model.loss'),
    } as ModelSpec;
    return validateModelSpec(spec);
  } catch (e) {
    throw new ModelFileError('architecture', `the network described in the file is not valid: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function configFromMetadata(metadata: Map<string, string>, spec: ModelSpec, messages: string[]): ExperimentConfig | null {
  const hash = metadata.get('config');
  if (hash === undefined) return null;
  const decoded = decodeHash(hash);
  messages.push(...decoded.messages.map((m) => `Saved settings: ${m}`));
  const same =
    decoded.config.hidden.length === spec.hidden.length &&
    decoded.config.hidden.every((l, i) => l.units === spec.hidden[i]!.units && l.activation === spec.hidden[i]!.activation);
  if (!same) messages.push('The saved settings described other layers than the weights; the layers of the weights are used.');
  return { ...decoded.config, hidden: spec.hidden.map((l) => ({ ...l })) };
}

function trainingFromMetadata(metadata: Map<string, string>): TrainingSummary | null {
  const text = metadata.get('training');
  if (text === undefined) return null;
  try {
    const o = parseJsonValue(text);
    if (typeof o !== 'object' || o === null) return null;
    const r = o as Record<string, unknown>;
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return { epochs: num(r.epochs) ?? 0, steps: num(r.steps) ?? 0, trainLoss: num(r.trainLoss) ?? undefined, validationAccuracy: num(r.validationAccuracy) };
  } catch {
    return null;
  }
}

/**
 * Reads an untrusted `.safetensors` file written by `modelToSafetensors` (or by the exported
 * scripts): rebuilds the network from the metadata, checks that every tensor exists with the
 * shape that network needs and that there are no others, and transposes back into the arena.
 */
export function modelFromSafetensors(bytes: Uint8Array, limits: Partial<SafetensorsLimits> = {}): LoadedModel {
  const file = decodeSafetensors(bytes, limits);
  const spec = specFromMetadata(file.metadata);
  const params = arenaFromTensors(file, spec);
  const messages: string[] = [];
  const config = configFromMetadata(file.metadata, spec, messages);
  return { spec, params, config, training: trainingFromMetadata(file.metadata), messages };
}

/**
 * Loads a file's weights into the current network when the shapes match, whatever its metadata
 * says (files from other tools have none). Notes when the file was saved with other activations.
 */
export function paramsForSpec(bytes: Uint8Array, spec: ModelSpec, limits: Partial<SafetensorsLimits> = {}): { params: Float32Array; messages: string[] } {
  validateModelSpec(spec);
  const file = decodeSafetensors(bytes, limits);
  const params = arenaFromTensors(file, spec);
  const messages: string[] = [];
  try {
    const saved = specFromMetadata(file.metadata);
    const acts = (s: ModelSpec) => s.hidden.map((l) => l.activation).join(',') + `|${s.loss}`;
    if (acts(saved) !== acts(spec)) messages.push('The file was trained with other activations or another loss; its weights were loaded as they are.');
  } catch {
    // No or unreadable metadata: shapes matched, which is all loading into this network needs.
  }
  return { params, messages };
}
