import { decodeDrawn } from '../data/drawn.ts';
import type { ExperimentConfig } from './experiment.ts';
import { encodeHash } from './url.ts';

/** One setting that differs between two experiments, in the link's own words. */
export interface ConfigDifference {
  key: string;
  from: string;
  to: string;
}

/**
 * The settings in which `b` differs from `a`, named by their URL-hash keys (the vocabulary a
 * shared link already uses); a setting left at its default reads "default", and a drawing (two
 * thousand characters in a link) its number of points.
 */
export function configDifferences(a: ExperimentConfig, b: ExperimentConfig): ConfigDifference[] {
  const [ea, eb] = [entries(a), entries(b)];
  const keys = [...new Set([...ea.keys(), ...eb.keys()])];
  return keys.filter((k) => ea.get(k) !== eb.get(k)).map((key) => ({ key, from: shown(key, ea.get(key)), to: shown(key, eb.get(key)) }));
}

function shown(key: string, value: string | undefined): string {
  if (value === undefined) return 'default';
  return key === 'drawn' ? `${decodeDrawn(value).length} points` : value;
}

function entries(c: ExperimentConfig): Map<string, string> {
  return new Map(
    encodeHash(c)
      .split('&')
      .filter(Boolean)
      .map((kv) => {
        const at = kv.indexOf('=');
        return [kv.slice(0, at), decodeURIComponent(kv.slice(at + 1))] as [string, string];
      }),
  );
}
