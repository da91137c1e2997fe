// How the network diagram paints its canvas: columns of nodes, the edges between them and the
// labels. Pure drawing on a 2-D context, so <sp-network-diagram> keeps only its state and events.
import { arenaLayout, layerTensors } from '../../src/nn/arena.ts';
import { denseLayers, type ModelSpec } from '../../src/nn/spec.ts';

/** Most nodes drawn per column; wider layers show their first and last units around an ellipsis. */
const MAX_SHOWN = 12;
/** Weight-sign colours stay the same in light and dark themes so the legend means one thing. */
export const POSITIVE = '#1f6feb';
export const NEGATIVE = '#e8590c';
const UNKNOWN = 'rgba(128, 128, 128, 0.35)';
const PAD = 24;
const LABEL_SPACE = 20;

/** Unit indices drawn for a layer of `n` units, and where the ellipsis goes (-1 for none). */
function shownUnits(n: number): { units: number[]; gapAfter: number } {
  if (n <= MAX_SHOWN) return { units: Array.from({ length: n }, (_, i) => i), gapAfter: -1 };
  const half = MAX_SHOWN / 2;
  const head = Array.from({ length: half }, (_, i) => i);
  const tail = Array.from({ length: half }, (_, i) => n - half + i);
  return { units: [...head, ...tail], gapAfter: half - 1 };
}

/** One drawn column: its label, the units shown, and each shown unit's position. */
export interface Column {
  label: string;
  units: number[];
  ys: number[];
  ellipsisY: number | null;
  x: number;
  radius: number;
}

/** Lays out one column of `n` units at `x`, its nodes spaced to fit `height`. */
function layoutColumn(label: string, n: number, x: number, height: number): Column {
  const { units, gapAfter } = shownUnits(n);
  const slots = units.length + (gapAfter >= 0 ? 1 : 0);
  const avail = height - 2 * PAD - LABEL_SPACE;
  const step = Math.min(28, avail / Math.max(slots, 1));
  const top = PAD + (avail - step * (slots - 1)) / 2;
  const ys = units.map((_, k) => top + step * (gapAfter >= 0 && k > gapAfter ? k + 1 : k));
  const ellipsisY = gapAfter >= 0 ? top + step * (gapAfter + 1) : null;
  return { label, units, ys, ellipsisY, x, radius: Math.max(2, Math.min(7, step * 0.35)) };
}

/** The diagram's columns (input, hidden layers, output) laid out over a canvas of width × height CSS px. */
export function diagramColumns(spec: ModelSpec, width: number, height: number): Column[] {
  const sizes = [spec.inputSize, ...spec.hidden.map((l) => l.units), spec.outputSize];
  const labels = [`${spec.inputSize} in`, ...spec.hidden.map((l) => `${l.units} ${l.activation}`), `${spec.outputSize} out`];
  const gap = sizes.length > 1 ? (width - 2 * PAD) / (sizes.length - 1) : 0;
  return sizes.map((n, c) => layoutColumn(labels[c]!, n, sizes.length > 1 ? PAD + gap * c : width / 2, height));
}

/**
 * Draws the edges between neighbouring columns: colour is the weight's sign, width and opacity
 * |w| relative to the largest |w| of that layer; grey when `params` is null (no weights yet).
 */
export function paintEdges(ctx: CanvasRenderingContext2D, spec: ModelSpec, params: Float32Array | null, columns: Column[]): void {
  const layout = arenaLayout(spec);
  denseLayers(spec).forEach((layer, l) => {
    const from = columns[l]!;
    const to = columns[l + 1]!;
    const { weight } = layerTensors(layout, l);
    let maxAbs = 0;
    if (params) for (let k = 0; k < weight.size; k++) maxAbs = Math.max(maxAbs, Math.abs(params[weight.offset + k]!));
    from.units.forEach((i, a) => {
      to.units.forEach((j, b) => {
        const w = params ? params[weight.offset + i * layer.units + j]! : 0;
        const r = params && maxAbs > 0 ? Math.abs(w) / maxAbs : 0;
        ctx.strokeStyle = params ? (w >= 0 ? POSITIVE : NEGATIVE) : UNKNOWN;
        ctx.globalAlpha = params ? 0.15 + 0.85 * r : 1;
        ctx.lineWidth = params ? 0.5 + 2.5 * r : 0.75;
        ctx.beginPath();
        ctx.moveTo(from.x, from.ys[a]!);
        ctx.lineTo(to.x, to.ys[b]!);
        ctx.stroke();
      });
    });
  });
  ctx.globalAlpha = 1;
}

/** Theme colours of the nodes and labels (read from the element's CSS custom properties). */
export interface NodeColours {
  fg: string;
  muted: string;
  fill: string;
}

/** Draws each column's nodes, its ellipsis and its label along the bottom. */
export function paintNodes(ctx: CanvasRenderingContext2D, columns: Column[], height: number, { fg, muted, fill }: NodeColours): void {
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const col of columns) {
    ctx.fillStyle = fill;
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1.25;
    for (const y of col.ys) {
      ctx.beginPath();
      ctx.arc(col.x, y, col.radius, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.fillStyle = muted;
    ctx.textAlign = 'center';
    if (col.ellipsisY !== null) ctx.fillText('⋮', col.x, col.ellipsisY);
    // The outer labels hug the edge so that a long width like "4096 in" is not clipped.
    const c = columns.indexOf(col);
    ctx.textAlign = columns.length > 1 && c === 0 ? 'left' : columns.length > 1 && c === columns.length - 1 ? 'right' : 'center';
    const x = ctx.textAlign === 'left' ? col.x - col.radius : ctx.textAlign === 'right' ? col.x + col.radius : col.x;
    ctx.fillText(col.label, x, height - LABEL_SPACE);
  }
}
