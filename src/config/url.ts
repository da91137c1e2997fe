import { ACTIVATIONS, isActivation } from '../nn/activation.ts';
import { isDefaultFeatures } from '../data/features.ts';
import { encodeDrawn } from '../data/drawn.ts';
import { validateOptimizer, type OptimizerConfig } from '../nn/optimizer.ts';
import { validateModelSpec, type LayerSpec } from '../nn/spec.ts';
import { ConfigError, configErrorText } from './errors.ts';
import { validateRegressionRemedies } from './task.ts';
import { parseDatasetName, parseDrawn, parseFeatures, parseTask, withDataset } from './url-data.ts';
import type { LrSchedule } from '../train/lr-schedule.ts';
import {
  DEFAULT_EXPERIMENT,
  DEFAULT_REMEDIES,
  remediesOf,
  taskOf,
  validateExperiment,
  validateRemedies,
  type EarlyStoppingConfig,
  type ExperimentConfig,
  type RemediesConfig,
} from './experiment.ts';

/** A decoded hash: the config it describes, and one message per field that fell back. */
export interface DecodedHash {
  config: ExperimentConfig;
  messages: string[];
  /** The raw values of the page keys (PAGE_KEYS) the hash has, for the page to decode itself. */
  page: Partial<Record<PageKey, string>>;
}

type Setter = (cfg: ExperimentConfig, raw: string) => ExperimentConfig;

const num = (raw: string): number => (raw.trim() === '' ? NaN : Number(raw));
const withOptimizer = (cfg: ExperimentConfig, patch: Partial<OptimizerConfig>): ExperimentConfig => ({
  ...cfg,
  optimizer: validateOptimizer({ ...cfg.optimizer, ...patch }),
});
const bool = (raw: string): boolean => {
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError('value', `must be true or false, got "${raw}"`);
};

function withHidden(cfg: ExperimentConfig, hidden: LayerSpec[]): ExperimentConfig {
  validateModelSpec({ inputSize: 1, hidden, outputSize: 2, loss: 'softmax_ce' });
  return { ...cfg, hidden };
}

function parseLayers(cfg: ExperimentConfig, raw: string): ExperimentConfig {
  const units = raw.trim() === '' ? [] : raw.split(',').map(num);
  const activation = cfg.hidden[0]?.activation ?? 'relu';
  return withHidden(
    cfg,
    units.map((u) => ({ units: u, activation })),
  );
}

function parseActivation(cfg: ExperimentConfig, raw: string): ExperimentConfig {
  const names = raw.split(',');
  if (!names.every(isActivation)) throw new ConfigError('activation', `unknown activation in "${raw}"; expected ${ACTIVATIONS.join(', ')}`);
  if (names.length !== 1 && names.length !== cfg.hidden.length) {
    throw new ConfigError('activation', `gives ${names.length} activations for ${cfg.hidden.length} layers`);
  }
  return withHidden(
    cfg,
    cfg.hidden.map((l, i) => ({ ...l, activation: names.length === 1 ? names[0]! : names[i]! })),
  );
}

function withSchedule(cfg: ExperimentConfig, patch: Partial<ExperimentConfig>): ExperimentConfig {
  return validateExperiment({ ...cfg, ...patch });
}

/** `cpuworkers=auto` (one per core) or a count. */
function parseCpuWorkers(cfg: ExperimentConfig, raw: string): ExperimentConfig {
  if (raw === 'auto') {
    const rest = { ...cfg };
    delete rest.cpuWorkers;
    return rest;
  }
  return withSchedule(cfg, { cpuWorkers: num(raw) });
}

function withRemedies(cfg: ExperimentConfig, patch: Partial<RemediesConfig>): ExperimentConfig {
  const remedies = validateRemedies({ ...remediesOf(cfg), ...patch }, cfg.hidden.length);
  if (taskOf(cfg) === 'regression') validateRegressionRemedies(remedies);
  return { ...cfg, remedies };
}

const list = (raw: string): number[] => raw.split(',').map(num);

function parseClassWeights(raw: string): RemediesConfig['classWeights'] {
  return raw === 'none' || raw === 'balanced' ? raw : list(raw);
}

const MONITORS: Record<string, EarlyStoppingConfig['monitor']> = { loss: 'validation_loss', accuracy: 'validation_accuracy' };

/** `es=off` or `es=loss,5,0.001` / `es=accuracy,10` (monitor, patience, optional min delta). */
function parseEarlyStopping(raw: string): EarlyStoppingConfig | null {
  if (raw === 'off') return null;
  const [monitor, patience, minDelta, ...rest] = raw.split(',');
  const m = MONITORS[monitor ?? ''];
  if (!m || patience === undefined || rest.length > 0) throw new ConfigError('es', 'must be off or monitor,patience[,minDelta] with monitor loss or accuracy');
  return { monitor: m, patience: num(patience), minDelta: minDelta === undefined ? 0 : num(minDelta), restoreBest: true };
}

/** `aug=off` or `aug=shift,degrees,zoom`, e.g. `aug=2,10,0.1`. */
function parseImageAugment(raw: string): RemediesConfig['imageAugment'] {
  if (raw === 'off') return null;
  const parts = list(raw);
  if (parts.length !== 3) throw new ConfigError('aug', 'must be off or shift,degrees,zoom');
  const [maxShift, maxAngleDeg, maxZoom] = parts as [number, number, number];
  return { maxShift, maxAngleDeg, maxZoom };
}

/** `lrs=constant`, `lrs=step,every,factor` or `lrs=cosine,epochs,floor`. */
function parseLrSchedule(raw: string): LrSchedule {
  const [kind, a, b, ...rest] = raw.split(',');
  if (kind === 'constant' && a === undefined) return { kind };
  if (a === undefined || b === undefined || rest.length > 0) throw new ConfigError('lrs', 'must be constant, step,every,factor or cosine,epochs,floor');
  if (kind === 'step') return { kind, every: num(a), factor: num(b) };
  if (kind === 'cosine') return { kind, epochs: num(a), floor: num(b) };
  throw new ConfigError('lrs', `unknown schedule "${String(kind)}"; expected constant, step or cosine`);
}

function encodeEarlyStopping(es: EarlyStoppingConfig | null): string {
  if (!es) return 'off';
  return `${es.monitor === 'validation_loss' ? 'loss' : 'accuracy'},${es.patience},${es.minDelta}`;
}

function encodeLrSchedule(s: LrSchedule): string {
  if (s.kind === 'step') return `step,${s.every},${s.factor}`;
  if (s.kind === 'cosine') return `cosine,${s.epochs},${s.floor}`;
  return 'constant';
}

/**
 * The hash keys, in the order they are applied and written. `layers` comes before `activation`
 * so that an activation list can be matched against the layers it names, and `dataset` before
 * `drawn`, which only a drawing has.
 */
const KEYS: [string, Setter][] = [
  ['task', parseTask],
  ['dataset', parseDatasetName],
  ['drawn', parseDrawn],
  ['size', (c, r) => withDataset(c, { size: num(r) })],
  ['noise', (c, r) => withDataset(c, { noise: num(r) })],
  ['classes', (c, r) => withDataset(c, { classes: num(r) })],
  ['imbalance', (c, r) => withDataset(c, { imbalance: num(r) })],
  ['features', parseFeatures],
  ['layers', parseLayers],
  ['activation', parseActivation],
  ['optimizer', (c, r) => withOptimizer(c, { kind: r as OptimizerConfig['kind'] })],
  ['lr', (c, r) => withOptimizer(c, { learningRate: num(r) })],
  ['momentum', (c, r) => withOptimizer(c, { momentum: num(r) })],
  ['nesterov', (c, r) => withOptimizer(c, { nesterov: bool(r) })],
  ['beta1', (c, r) => withOptimizer(c, { beta1: num(r) })],
  ['beta2', (c, r) => withOptimizer(c, { beta2: num(r) })],
  ['l1', (c, r) => withOptimizer(c, { l1: num(r) })],
  ['l2', (c, r) => withOptimizer(c, { l2: num(r) })],
  ['wd', (c, r) => withOptimizer(c, { weightDecay: num(r) })],
  ['batch', (c, r) => withSchedule(c, { batchSize: r === 'full' ? 'full' : num(r) })],
  ['epochs', (c, r) => withSchedule(c, { epochs: num(r) })],
  ['val', (c, r) => withSchedule(c, { validationSplit: num(r) })],
  ['test', (c, r) => withSchedule(c, { testSplit: num(r) })],
  ['seed', (c, r) => withSchedule(c, { seed: num(r) })],
  ['backend', (c, r) => withSchedule(c, { backend: r as ExperimentConfig['backend'] })],
  ['cpuworkers', parseCpuWorkers],
  ['cw', (c, r) => withRemedies(c, { classWeights: parseClassWeights(r) })],
  ['rs', (c, r) => withRemedies(c, { resample: r as RemediesConfig['resample'] })],
  ['es', (c, r) => withRemedies(c, { earlyStopping: parseEarlyStopping(r) })],
  ['lrs', (c, r) => withRemedies(c, { lrSchedule: parseLrSchedule(r) })],
  ['jit', (c, r) => withRemedies(c, { jitter: num(r) })],
  ['aug', (c, r) => withRemedies(c, { imageAugment: parseImageAugment(r) })],
  ['gan', (c, r) => withRemedies(c, { ganOversample: r === 'off' ? null : { iterations: num(r) } })],
  ['drop', (c, r) => withRemedies(c, { dropout: r.trim() === '' ? [] : list(r) })],
];

/** Longest hash accepted; longer input is ignored as a whole. */
export const MAX_HASH_LENGTH = 4096;

/** Keys a page keeps beside the experiment in its hash (the playground's sweep, boosting and stacking): not settings, not unknown. */
export const PAGE_KEYS = ['sweep', 'boost', 'stack'] as const;
/** A key of PAGE_KEYS. */
export type PageKey = (typeof PAGE_KEYS)[number];

/**
 * Reads an experiment from a URL hash such as
 * `#dataset=iris&layers=64,64&activation=relu&optimizer=adam&lr=0.001&batch=32&epochs=200&seed=1`.
 * Each field is validated on its own: a bad or unknown one produces a message and keeps the
 * default, the rest still apply. Values are only ever assigned to known fields (no merging of
 * parsed objects), so keys like `__proto__` cannot reach anything.
 */
export function decodeHash(hash: string, defaults: ExperimentConfig = DEFAULT_EXPERIMENT): DecodedHash {
  const messages: string[] = [];
  let config = defaults;
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > MAX_HASH_LENGTH) {
    return { config, messages: [`The link's settings are longer than ${MAX_HASH_LENGTH} characters and were ignored.`], page: {} };
  }
  const params = new URLSearchParams(text);
  const known = new Set([...KEYS.map(([k]) => k), ...PAGE_KEYS]);
  for (const key of new Set(params.keys())) {
    if (!known.has(key)) messages.push(`Unknown setting "${key.slice(0, 40)}" was ignored.`);
  }
  for (const [key, set] of KEYS) {
    const raw = params.get(key);
    if (raw === null) continue;
    try {
      config = set(config, raw);
    } catch (e) {
      const reason = configErrorText(e);
      messages.push(`"${key}=${raw.slice(0, 40)}" was not used (${reason}); keeping the default.`);
    }
  }
  if (config.dataset.name === 'drawn' && !config.dataset.drawn?.length) {
    // A drawn data set without its points has nothing to train on: the default data instead.
    messages.push('"dataset=drawn" came without its points (drawn=); keeping the default data set.');
    const fallback = defaults.dataset.name !== 'drawn' || defaults.dataset.drawn?.length ? defaults.dataset : DEFAULT_EXPERIMENT.dataset;
    config = { ...config, dataset: fallback };
  }
  const page: Partial<Record<PageKey, string>> = {};
  for (const key of PAGE_KEYS) {
    const raw = params.get(key);
    if (raw !== null) page[key] = raw;
  }
  return { config, messages, page };
}

/** Writes an experiment as a URL hash (without '#'); decodeHash(encodeHash(c)) gives c back. */
export function encodeHash(c: ExperimentConfig): string {
  const d = DEFAULT_EXPERIMENT;
  const acts = c.hidden.map((l) => l.activation);
  const sameAct = acts.every((a) => a === acts[0]);
  const o = c.optimizer;
  const entries: [string, string | number | boolean, boolean][] = [
    ['task', taskOf(c), taskOf(c) !== 'classification'],
    ['dataset', c.dataset.name, true],
    ['drawn', c.dataset.name === 'drawn' ? encodeDrawn(c.dataset.drawn ?? []) : '', c.dataset.name === 'drawn'],
    ['size', c.dataset.size, c.dataset.size !== d.dataset.size],
    ['noise', c.dataset.noise, c.dataset.noise !== d.dataset.noise],
    ['classes', c.dataset.classes, c.dataset.classes !== d.dataset.classes],
    ['imbalance', c.dataset.imbalance, c.dataset.imbalance !== d.dataset.imbalance],
    ['features', (c.features ?? []).join(','), !isDefaultFeatures(c.features)],
    ['layers', c.hidden.map((l) => l.units).join(','), true],
    ['activation', sameAct ? (acts[0] ?? 'relu') : acts.join(','), true],
    ['optimizer', o.kind, true],
    ['lr', o.learningRate, true],
    ['momentum', o.momentum, o.momentum !== d.optimizer.momentum],
    ['nesterov', o.nesterov, o.nesterov !== d.optimizer.nesterov],
    ['beta1', o.beta1, o.beta1 !== d.optimizer.beta1],
    ['beta2', o.beta2, o.beta2 !== d.optimizer.beta2],
    ['l1', o.l1, o.l1 !== d.optimizer.l1],
    ['l2', o.l2, o.l2 !== d.optimizer.l2],
    ['wd', o.weightDecay, o.weightDecay !== d.optimizer.weightDecay],
    ['batch', c.batchSize, true],
    ['epochs', c.epochs, true],
    ['val', c.validationSplit, c.validationSplit !== d.validationSplit],
    ['test', c.testSplit, c.testSplit !== d.testSplit],
    ['seed', c.seed, true],
    ['backend', c.backend, c.backend !== d.backend],
    ['cpuworkers', c.cpuWorkers ?? 'auto', c.cpuWorkers !== undefined],
    ...remedyEntries(remediesOf(c)),
  ];
  return entries
    .filter(([, , keep]) => keep)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2C/g, ',')}`)
    .join('&');
}

/** Hash entries of the remedies; only those that differ from "off" are written. */
function remedyEntries(r: RemediesConfig): [string, string | number, boolean][] {
  const d = DEFAULT_REMEDIES;
  const cw = Array.isArray(r.classWeights) ? r.classWeights.join(',') : r.classWeights;
  return [
    ['cw', cw, cw !== d.classWeights],
    ['rs', r.resample, r.resample !== d.resample],
    ['es', encodeEarlyStopping(r.earlyStopping), r.earlyStopping !== null],
    ['lrs', encodeLrSchedule(r.lrSchedule), r.lrSchedule.kind !== 'constant'],
    ['jit', r.jitter, r.jitter !== d.jitter],
    ['gan', r.ganOversample?.iterations ?? 'off', r.ganOversample !== null],
    ['aug', r.imageAugment ? `${r.imageAugment.maxShift},${r.imageAugment.maxAngleDeg},${r.imageAugment.maxZoom}` : 'off', r.imageAugment !== null],
    ['drop', r.dropout.join(','), r.dropout.length > 0],
  ];
}
