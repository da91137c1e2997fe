// Where the network diagram puts each neuron's map: a small tile over every shown hidden and
// output node, and how a tile names its unit.
import { html } from 'lit';
import type { ModelSpec } from '../../src/nn/spec.ts';
import type { NeuronMaps } from '../../src/worker/api.ts';

/** A tile: which map (layer index into `maps.layers`, the last the output; unit) and its centre and side in CSS px. */
export interface Tile {
  layer: number;
  unit: number;
  x: number;
  y: number;
  side: number;
}

/** The diagram's columns as tiles need them: the units shown and their heights, at x. */
interface ColumnPlace {
  units: number[];
  ys: number[];
  x: number;
}

/**
 * Tiles over every shown hidden and output node (`columns[0]` is the inputs), or none when the
 * maps belong to another network (a rebuild's first drawing, before its own maps came).
 */
export function placeTiles(spec: ModelSpec | null, maps: NeuronMaps | null, columns: ColumnPlace[]): Tile[] {
  const sizes = spec ? [...spec.hidden.map((l) => l.units), spec.outputSize] : [];
  const fits = maps && maps.layers.length === sizes.length && maps.layers.every((l, i) => l.units === sizes[i]);
  if (!fits) return [];
  return columns.slice(1).flatMap((col, l) => {
    const step = col.ys.length > 1 ? col.ys[1]! - col.ys[0]! : 28;
    const side = Math.max(12, Math.min(26, step - 2));
    return col.units.map((unit, k) => ({ layer: l, unit, x: col.x, y: col.ys[k]!, side }));
  });
}

/** A string that changes when any tile moves, so the diagram re-renders only then. */
export function tileKey(tiles: Tile[]): string {
  return tiles.map((t) => `${t.layer}:${t.unit}:${t.x.toFixed(1)}:${t.y.toFixed(1)}:${t.side}`).join(',');
}

/** True for a classifier's output layer, whose maps are probabilities. */
export function isProbability(spec: ModelSpec | null, maps: NeuronMaps | null, layer: number): boolean {
  return !!maps && !!spec && layer === maps.layers.length - 1 && spec.loss !== 'mse';
}

/** "hidden layer 1, unit 3 (tanh)" or "output 2 (probability)". */
export function unitName(spec: ModelSpec, layer: number, unit: number): string {
  if (layer < spec.hidden.length) return `hidden layer ${layer + 1}, unit ${unit + 1} (${spec.hidden[layer]!.activation})`;
  return `output ${unit + 1} (${spec.loss === 'mse' ? 'value' : 'probability'})`;
}

/** The tiles as buttons over the diagram, each with the canvas its map is painted into; `selected` is pressed. */
export function tileButtons(tiles: Tile[], spec: ModelSpec, selected: { layer: number; unit: number } | null, onPick: (t: Tile) => void) {
  return tiles.map(
    (t) =>
      html`<button
        class="tile"
        data-testid="neuron-heatmap"
        data-layer=${t.layer}
        data-unit=${t.unit}
        style="left: ${t.x - t.side / 2}px; top: ${t.y - t.side / 2}px; width: ${t.side}px; height: ${t.side}px"
        aria-label=${`Map of ${unitName(spec, t.layer, t.unit)}`}
        aria-pressed=${selected?.layer === t.layer && selected.unit === t.unit ? 'true' : 'false'}
        @click=${() => onPick(t)}
      >
        <canvas data-layer=${t.layer} data-unit=${t.unit}></canvas>
      </button>`,
  );
}
