import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { decodeHash } from '../../src/config/url.ts';

/**
 * Attributes a blog author can set on <sp-playground>, and the URL-hash key each one stands for.
 * `config` takes a whole hash (as in a shared link); the others override single fields (`drawn`
 * holds a drawing's points, as a link's `drawn=` does, with `dataset="drawn"`).
 */
export const EMBED_ATTRIBUTES: Record<string, string> = {
  task: 'task',
  dataset: 'dataset',
  drawn: 'drawn',
  layers: 'layers',
  activation: 'activation',
  optimizer: 'optimizer',
  'learning-rate': 'lr',
  batch: 'batch',
  epochs: 'epochs',
  seed: 'seed',
  noise: 'noise',
  classes: 'classes',
  features: 'features',
};

/** Every attribute the embed reads besides `config`, `controls` and `autoplay`. */
export const EMBED_ATTRIBUTE_NAMES = Object.keys(EMBED_ATTRIBUTES);

/**
 * The experiment an element's attributes describe: `config` first, then each single-field
 * attribute on top, all through the URL-hash decoder, so attributes are validated field by field
 * like links, and a bad value becomes a message, never markup.
 */
export function configFromAttributes(el: Element): { config: ExperimentConfig; messages: string[] } {
  const base = decodeHash(el.getAttribute('config') ?? '', DEFAULT_EXPERIMENT);
  const params = new URLSearchParams();
  for (const [attribute, key] of Object.entries(EMBED_ATTRIBUTES)) {
    const value = el.getAttribute(attribute);
    if (value !== null) params.set(key, value);
  }
  const fields = decodeHash(params.toString(), base.config);
  return { config: fields.config, messages: [...base.messages, ...fields.messages] };
}

/** Sections `controls` can list; all of them show when the attribute is absent. */
export const CONTROL_SECTIONS = [
  'data',
  'network',
  'hyperparams',
  'remedies',
  'model',
  'runs',
  'status',
  'charts',
  'boundary',
  'diagram',
  'metrics',
  'sweep',
] as const;
/** One section of the playground. */
export type ControlSection = (typeof CONTROL_SECTIONS)[number];

/** What `layout="compact"` shows when `controls` is absent: training, its charts and the boundary. */
export const COMPACT_SECTIONS = 'status,charts,boundary';

/**
 * The sections a `controls` attribute asks for (unknown names are ignored); with `layout`
 * 'compact' and no `controls`, COMPACT_SECTIONS.
 */
export function visibleSections(value: string | null, layout: string | null = null): Set<ControlSection> {
  if (value === null && layout === 'compact') return visibleSections(COMPACT_SECTIONS);
  if (value === null || value.trim() === '') return new Set(CONTROL_SECTIONS);
  const asked = value.split(/[\s,]+/).map((s) => s.trim());
  return new Set(CONTROL_SECTIONS.filter((s) => asked.includes(s)));
}
