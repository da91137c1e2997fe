// The settings of boosting and stacking as the page holds them, their link values (`boost=`,
// `stack=`) and how they become the drivers' options. Each field is read and checked on its own:
// a bad one gives a message and keeps the previous value, like every other link key.
import { ACTIVATIONS, type Activation } from '../nn/activation.ts';
import { OPTIMIZERS, type OptimizerKind } from '../nn/optimizer.ts';
import type { BaseLearner, StackingOptions } from '../train/stacking.ts';
import type { BoostingOptions } from '../train/boosting.ts';
import { fitDropout, type ExperimentConfig } from './experiment.ts';
import { ConfigError } from './errors.ts';

/** Boosting as the page sets it: rounds, the weak learner's network, its epochs per round, the shrinkage on α. */
export interface BoostSettings {
  rounds: number;
  /** Units of each hidden layer of the weak learner. */
  layers: number[];
  activation: Activation;
  epochs: number;
  shrinkage: number;
}

/** One base learner of a stack: its network and optimizer setting. */
export interface LearnerSettings {
  layers: number[];
  activation: Activation;
  optimizer: OptimizerKind;
  lr: number;
}

/** Stacking as the page sets it. */
export interface StackSettings {
  k: number;
  learners: LearnerSettings[];
  /** Units of the meta-learner's one hidden layer; 0: none (multinomial logistic regression). */
  meta: number;
  /** Pass the original features to the meta-learner beside the probabilities. */
  pass: boolean;
}

/** Bounds of the settings' fields. */
export const ENSEMBLE_LIMITS = { maxRounds: 50, maxLearners: 8, maxLayers: 4, maxUnits: 256, maxEpochs: 2000, minK: 2, maxK: 20 } as const;

/** Ten rounds of a one-hidden-layer network of 8 tanh units, 100 epochs each (fewer leave it at chance on spiral with Adam at 1e-3), no shrinkage. */
export const DEFAULT_BOOST: BoostSettings = { rounds: 10, layers: [8], activation: 'tanh', epochs: 100, shrinkage: 1 };

/** Three base learners that differ in width, depth, activation and optimizer; 5 folds; no hidden meta layer. */
export const DEFAULT_STACK: StackSettings = {
  k: 5,
  learners: [
    { layers: [16], activation: 'relu', optimizer: 'adam', lr: 0.01 },
    { layers: [8, 8], activation: 'tanh', optimizer: 'adam', lr: 0.03 },
    { layers: [32], activation: 'sigmoid', optimizer: 'momentum', lr: 0.1 },
  ],
  meta: 0,
  pass: false,
};

const int = (field: string, raw: string, lo: number, hi: number): number => {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < lo || v > hi) throw new ConfigError(field, `must be a whole number from ${lo} to ${hi}`);
  return v;
};
const positive = (field: string, raw: string, hi: number): number => {
  const v = Number(raw);
  if (raw.trim() === '' || !(v > 0) || v > hi) throw new ConfigError(field, `must be a number above 0 and at most ${hi}`);
  return v;
};

/** Parses layer units like `16` or `8,8`. */
export function parseLayers(field: string, raw: string): number[] {
  const parts = raw.split(',');
  if (raw.trim() === '' || parts.length > ENSEMBLE_LIMITS.maxLayers) throw new ConfigError(field, `must list 1 to ${ENSEMBLE_LIMITS.maxLayers} layer sizes`);
  return parts.map((p) => int(field, p, 1, ENSEMBLE_LIMITS.maxUnits));
}
const activation = (field: string, raw: string): Activation => {
  if (!(ACTIVATIONS as readonly string[]).includes(raw)) throw new ConfigError(field, `must be one of ${ACTIVATIONS.join(', ')}`);
  return raw as Activation;
};
const optimizer = (field: string, raw: string): OptimizerKind => {
  if (!(OPTIMIZERS as readonly string[]).includes(raw)) throw new ConfigError(field, `must be one of ${OPTIMIZERS.join(', ')}`);
  return raw as OptimizerKind;
};

/** Each boosting field's reader, by its key in `boost=`. */
export const BOOST_FIELDS: { [K in keyof BoostSettings]: { key: string; read: (raw: string) => BoostSettings[K]; write: (v: BoostSettings[K]) => string } } = {
  rounds: { key: 'rounds', read: (r) => int('rounds', r, 1, ENSEMBLE_LIMITS.maxRounds), write: String },
  layers: { key: 'layers', read: (r) => parseLayers('layers', r), write: (v) => v.join(',') },
  activation: { key: 'act', read: (r) => activation('act', r), write: String },
  epochs: { key: 'epochs', read: (r) => int('epochs', r, 1, ENSEMBLE_LIMITS.maxEpochs), write: String },
  shrinkage: { key: 'shrink', read: (r) => positive('shrink', r, 10), write: String },
};

/** Reads a learner row `16,16/relu/adam/0.01`. */
export function parseLearner(raw: string): LearnerSettings {
  const [layers = '', act = '', opt = '', lr = '', ...rest] = raw.split('/');
  if (rest.length) throw new ConfigError('l', 'a learner is layers/activation/optimizer/learning rate');
  return {
    layers: parseLayers('layers', layers),
    activation: activation('activation', act),
    optimizer: optimizer('optimizer', opt),
    lr: positive('lr', lr, 10),
  };
}

/** Writes a learner row as parseLearner reads it. */
export const encodeLearner = (l: LearnerSettings): string => `${l.layers.join(',')}/${l.activation}/${l.optimizer}/${l.lr}`;

/** Splits `a:1;b:2` into [key, value] pairs (a value may hold ':' or ','). */
function fields(raw: string): [string, string][] {
  return raw
    .split(';')
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const at = p.indexOf(':');
      return at < 0 ? [p.trim(), ''] : [p.slice(0, at).trim(), p.slice(at + 1).trim()];
    });
}

const said = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A field's complaint without its field name ("must be a whole number from 1 to 50"), to put after the field's label. */
export function reasonOf(e: unknown): string {
  return e instanceof ConfigError ? e.message.slice(e.field.length + 2) : said(e);
}

/** Writes boosting's settings as a `boost=` value, e.g. `rounds:10;layers:8;act:tanh;epochs:20;shrink:1`. */
export function encodeBoost(s: BoostSettings): string {
  return (Object.keys(BOOST_FIELDS) as (keyof BoostSettings)[])
    .map((k) => `${BOOST_FIELDS[k].key}:${(BOOST_FIELDS[k].write as (v: unknown) => string)(s[k])}`)
    .join(';');
}

/** Reads a `boost=` value over `previous`: a bad or unknown field gives a message and the previous value stays. */
export function decodeBoost(raw: string, previous: BoostSettings = DEFAULT_BOOST): { settings: BoostSettings; messages: string[] } {
  const settings: BoostSettings = { ...previous, layers: [...previous.layers] };
  const messages: string[] = [];
  const byKey = new Map((Object.keys(BOOST_FIELDS) as (keyof BoostSettings)[]).map((k) => [BOOST_FIELDS[k].key, k]));
  for (const [key, value] of fields(raw)) {
    const field = byKey.get(key);
    if (!field) {
      messages.push(`Boosting: unknown setting "${key.slice(0, 20)}" was ignored.`);
      continue;
    }
    try {
      (settings as unknown as Record<string, unknown>)[field] = BOOST_FIELDS[field].read(value);
    } catch (e) {
      messages.push(`Boosting: "${key}:${value.slice(0, 30)}" was not used (${said(e)}); keeping the previous value.`);
    }
  }
  return { settings, messages };
}

/** Writes stacking's settings as a `stack=` value, e.g. `k:5;meta:0;pass:0;l:16/relu/adam/0.01;l:8,8/tanh/adam/0.03`. */
export function encodeStack(s: StackSettings): string {
  return [`k:${s.k}`, `meta:${s.meta}`, `pass:${s.pass ? 1 : 0}`, ...s.learners.map((l) => `l:${encodeLearner(l)}`)].join(';');
}

/**
 * Reads a `stack=` value over `previous`, field by field. Learner rows (`l:`) replace the previous
 * rows when at least one is good; a bad row is left out with a message, and rows past 8 too.
 */
export function decodeStack(raw: string, previous: StackSettings = DEFAULT_STACK): { settings: StackSettings; messages: string[] } {
  const settings: StackSettings = { ...previous };
  const messages: string[] = [];
  const learners: LearnerSettings[] = [];
  const bad = (key: string, value: string, e: unknown) =>
    messages.push(`Stacking: "${key}:${value.slice(0, 40)}" was not used (${said(e)}); keeping the previous value.`);
  for (const [key, value] of fields(raw)) {
    try {
      if (key === 'k') settings.k = int('k', value, ENSEMBLE_LIMITS.minK, ENSEMBLE_LIMITS.maxK);
      else if (key === 'meta') settings.meta = int('meta', value, 0, ENSEMBLE_LIMITS.maxUnits);
      else if (key === 'pass') {
        if (value !== '0' && value !== '1') throw new ConfigError('pass', 'must be 0 or 1');
        settings.pass = value === '1';
      } else if (key === 'l') {
        if (learners.length >= ENSEMBLE_LIMITS.maxLearners) throw new ConfigError('l', `at most ${ENSEMBLE_LIMITS.maxLearners} base learners`);
        learners.push(parseLearner(value));
      } else messages.push(`Stacking: unknown setting "${key.slice(0, 20)}" was ignored.`);
    } catch (e) {
      bad(key, value, e);
    }
  }
  if (learners.length) settings.learners = learners;
  return { settings, messages };
}

/** The first problem of boosting's settings, by field, or null. */
export function boostProblem(s: BoostSettings): { field: keyof BoostSettings; message: string } | null {
  for (const field of Object.keys(BOOST_FIELDS) as (keyof BoostSettings)[]) {
    try {
      BOOST_FIELDS[field].read((BOOST_FIELDS[field].write as (v: unknown) => string)(s[field]));
    } catch (e) {
      return { field, message: reasonOf(e) };
    }
  }
  return null;
}

/** The first problem of stacking's settings (`learner` is the row's index), or null. */
export function stackProblem(s: StackSettings): { field: string; learner?: number; message: string } | null {
  const check = (field: string, run: () => unknown, learner?: number) => {
    try {
      run();
      return null;
    } catch (e) {
      return { field, message: reasonOf(e), ...(learner === undefined ? {} : { learner }) };
    }
  };
  const n = s.learners.length;
  if (n < 1 || n > ENSEMBLE_LIMITS.maxLearners) return { field: 'learners', message: `stacking needs 1 to ${ENSEMBLE_LIMITS.maxLearners} base learners` };
  return (
    check('k', () => int('k', String(s.k), ENSEMBLE_LIMITS.minK, ENSEMBLE_LIMITS.maxK)) ??
    check('meta', () => int('meta', String(s.meta), 0, ENSEMBLE_LIMITS.maxUnits)) ??
    s.learners.map((l, i) => check('learner', () => parseLearner(encodeLearner(l)), i)).find((p) => p !== null) ??
    null
  );
}

/** The weak learner's experiment and boosting's options: the experiment with its network and epochs replaced. */
export function boostingRun(config: ExperimentConfig, s: BoostSettings): { config: ExperimentConfig; options: BoostingOptions } {
  const hidden = s.layers.map((units) => ({ units, activation: s.activation }));
  const remedies = config.remedies ? { ...config.remedies, dropout: fitDropout(config.remedies.dropout, hidden.length) } : undefined;
  return { config: { ...config, hidden, epochs: s.epochs, ...(remedies ? { remedies } : {}) }, options: { rounds: s.rounds, shrinkage: s.shrinkage } };
}

/** Stacking's experiment and options: each row a network and optimizer on the experiment (dropout off, as rows differ in depth). */
export function stackingRun(config: ExperimentConfig, s: StackSettings): { config: ExperimentConfig; options: StackingOptions } {
  const learners: BaseLearner[] = s.learners.map((l) => ({
    hidden: l.layers.map((units) => ({ units, activation: l.activation })),
    optimizer: { ...config.optimizer, kind: l.optimizer, learningRate: l.lr },
  }));
  const base = config.remedies ? { ...config, remedies: { ...config.remedies, dropout: [] } } : config;
  const options: StackingOptions = { learners, k: s.k, passFeatures: s.pass };
  if (s.meta > 0) options.metaHidden = [{ units: s.meta, activation: 'relu' }];
  return { config: base, options };
}
