// Paints a neuron's map: blue where the unit's value is positive, orange where negative (the
// diagram's weight colours, the same in both themes), white at zero; the stronger the colour, the
// nearer the value to its layer's largest magnitude. Outputs of a classifier (probabilities) are
// centred on one half instead, so "more likely than not" reads blue.
import type { LayerMaps } from '../../src/worker/api.ts';

const POSITIVE: [number, number, number] = [0x1f, 0x6f, 0xeb];
const NEGATIVE: [number, number, number] = [0xe8, 0x59, 0x0c];

/** The value a layer's colours are centred on and the half-width of its scale. */
export function mapScale(layer: LayerMaps, probabilities: boolean): { centre: number; half: number } {
  if (probabilities) return { centre: 0.5, half: 0.5 };
  return { centre: 0, half: Math.max(Math.abs(layer.min), Math.abs(layer.max)) || 1 };
}

/** The colour of `value` on a scale (rgb channels 0..255). */
export function mapColor(value: number, scale: { centre: number; half: number }): [number, number, number] {
  const t = Math.max(-1, Math.min(1, (value - scale.centre) / scale.half));
  const hue = t >= 0 ? POSITIVE : NEGATIVE;
  const a = Math.abs(t);
  return [0, 1, 2].map((i) => Math.round(255 + (hue[i]! - 255) * a)) as [number, number, number];
}

/** Paints unit `unit` of `layer` (a `resolution`² map) onto `canvas`, one canvas pixel per cell. */
export function paintMap(canvas: HTMLCanvasElement, layer: LayerMaps, unit: number, resolution: number, probabilities: boolean): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  if (canvas.width !== resolution || canvas.height !== resolution) [canvas.width, canvas.height] = [resolution, resolution];
  const cells = resolution * resolution;
  const image = ctx.createImageData(resolution, resolution);
  const scale = mapScale(layer, probabilities);
  for (let i = 0; i < cells; i++) {
    const [r, g, b] = mapColor(layer.values[unit * cells + i]!, scale);
    image.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}
