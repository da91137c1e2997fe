// The 2-D GAN in a link: its own hash keys (the 2-D mode of gan.html, and `<sp-gan-2d>` links),
// decoded field by field like src/config/url.ts does for the playground — a bad value produces
// a message and keeps the default, the others still apply, and values are only ever assigned to
// known fields.
import { ConfigError, configErrorText } from '../config/errors.ts';
import { DEFAULT_GAN2D, validateGan2dConfig, type Gan2dConfig } from './config.ts';
import type { Point2 } from './datasets.ts';

/** A decoded 2-D GAN hash: the config, and one message per value that was not used. */
export interface DecodedGan2dHash {
  config: Gan2dConfig;
  messages: string[];
}

/** Longest hash accepted (a drawing of 300 points at 3 decimals fits); longer input is ignored. */
export const MAX_GAN2D_HASH_LENGTH = 8192;
/** Decimals a drawn coordinate keeps in a link (a thousandth of the plane's half-width). */
export const DRAWN_DECIMALS = 3;

const num = (raw: string): number => (raw.trim() === '' ? NaN : Number(raw));
const list = (raw: string): number[] => (raw.trim() === '' ? [] : raw.split(',').map(num));

function points(raw: string): Point2[] {
  const v = list(raw);
  if (v.length % 2 !== 0) throw new ConfigError('gan2d.drawn', `needs x,y pairs, got ${v.length} numbers`);
  return Array.from({ length: v.length / 2 }, (_, i): Point2 => [v[2 * i]!, v[2 * i + 1]!]);
}

type Setter = (c: Gan2dConfig, raw: string) => Gan2dConfig;

/**
 * The keys, in the order they are applied: `drawn` before `data`, so `data=drawn` finds its points.
 * data: a data set; drawn: x,y,x,y,...; latent: 1 or 2; z: uniform | gaussian; g, d: hidden
 * widths (comma-separated, empty for none); act: hidden activation; gopt, dopt: sgd | adam; glr,
 * dlr: learning rates; batch; dsteps: D steps per G step; loss; seed.
 */
const KEYS: [string, Setter][] = [
  ['drawn', (c, r) => ({ ...c, drawn: points(r) })],
  ['data', (c, r) => ({ ...c, dataset: r as Gan2dConfig['dataset'] })],
  ['latent', (c, r) => ({ ...c, latent: num(r) })],
  ['z', (c, r) => ({ ...c, latentDistribution: r as Gan2dConfig['latentDistribution'] })],
  ['g', (c, r) => ({ ...c, generator: list(r) })],
  ['d', (c, r) => ({ ...c, discriminator: list(r) })],
  ['act', (c, r) => ({ ...c, activation: r as Gan2dConfig['activation'] })],
  ['gopt', (c, r) => ({ ...c, g: { ...c.g, kind: r as Gan2dConfig['g']['kind'] } })],
  ['glr', (c, r) => ({ ...c, g: { ...c.g, learningRate: num(r) } })],
  ['dopt', (c, r) => ({ ...c, d: { ...c.d, kind: r as Gan2dConfig['d']['kind'] } })],
  ['dlr', (c, r) => ({ ...c, d: { ...c.d, learningRate: num(r) } })],
  ['batch', (c, r) => ({ ...c, batch: num(r) })],
  ['dsteps', (c, r) => ({ ...c, dSteps: num(r) })],
  ['loss', (c, r) => ({ ...c, loss: r as Gan2dConfig['loss'] })],
  ['seed', (c, r) => ({ ...c, seed: num(r) })],
];

/** The hash keys of the 2-D GAN, for a page that shares its hash with other keys. */
export const GAN2D_HASH_KEYS: readonly string[] = KEYS.map(([k]) => k);

/**
 * Reads a 2-D GAN from a URL hash such as `#data=ring&g=32,32&d=32,32&glr=0.001&loss=minimax&seed=3`.
 * Each value is applied on its own and the whole config validated after it: a value that fails
 * (or that is refused in combination, e.g. `data=drawn` with fewer than 8 drawn points) yields a
 * message and leaves the config as it was. Keys not of this lab yield a message too, unless
 * listed in `otherKeys` (the page's own, such as gan.html's mode switch).
 */
export function decodeGan2dHash(hash: string, defaults: Gan2dConfig = DEFAULT_GAN2D, otherKeys: readonly string[] = []): DecodedGan2dHash {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > MAX_GAN2D_HASH_LENGTH) {
    return { config: defaults, messages: [`The link's settings are longer than ${MAX_GAN2D_HASH_LENGTH} characters and were ignored.`] };
  }
  const params = new URLSearchParams(text);
  const messages: string[] = [];
  const known = new Set([...GAN2D_HASH_KEYS, ...otherKeys]);
  for (const key of new Set(params.keys())) if (!known.has(key)) messages.push(`Unknown setting "${key.slice(0, 40)}" was ignored.`);
  let config = defaults;
  for (const [key, set] of KEYS) {
    const raw = params.get(key);
    if (raw === null) continue;
    try {
      config = validateGan2dConfig(set(config, raw));
    } catch (e) {
      const reason = configErrorText(e);
      messages.push(`"${key}=${raw.slice(0, 40)}" was not used (${reason}); keeping ${key === 'drawn' ? 'the drawing' : 'the default'}.`);
    }
  }
  return { config, messages };
}

/**
 * Writes a 2-D GAN as a URL hash (without '#'): `data` and `seed` always, the other keys when
 * they differ from DEFAULT_GAN2D. Drawn coordinates are rounded to DRAWN_DECIMALS, so
 * decodeGan2dHash(encodeGan2dHash(c)) gives c back whenever its points already are.
 */
export function encodeGan2dHash(c: Gan2dConfig): string {
  const d = DEFAULT_GAN2D;
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const drawn = c.drawn.map(([x, y]) => `${+x.toFixed(DRAWN_DECIMALS)},${+y.toFixed(DRAWN_DECIMALS)}`).join(',');
  const entries: [string, string | number, boolean][] = [
    ['data', c.dataset, true],
    ['drawn', drawn, c.drawn.length > 0],
    ['latent', c.latent, c.latent !== d.latent],
    ['z', c.latentDistribution, c.latentDistribution !== d.latentDistribution],
    ['g', c.generator.join(','), !same(c.generator, d.generator)],
    ['d', c.discriminator.join(','), !same(c.discriminator, d.discriminator)],
    ['act', c.activation, c.activation !== d.activation],
    ['gopt', c.g.kind, c.g.kind !== d.g.kind],
    ['glr', c.g.learningRate, c.g.learningRate !== d.g.learningRate],
    ['dopt', c.d.kind, c.d.kind !== d.d.kind],
    ['dlr', c.d.learningRate, c.d.learningRate !== d.d.learningRate],
    ['batch', c.batch, c.batch !== d.batch],
    ['dsteps', c.dSteps, c.dSteps !== d.dSteps],
    ['loss', c.loss, c.loss !== d.loss],
    ['seed', c.seed, true],
  ];
  return entries
    .filter(([, , keep]) => keep)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2C/g, ',')}`)
    .join('&');
}
