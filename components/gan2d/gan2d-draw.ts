// Draws one frame of the 2-D lab on a canvas: D's heatmap behind, G's manifold, the real and
// fake points, and the generator's push at the fakes. Pure functions of a frame and a theme, so
// the plane element only decides when to draw.
import type { Point2 } from '../../src/gan2d/datasets.ts';
import type { Gan2dFrame } from '../../src/worker/api.ts';
import { PALETTE, type ThemeColors } from '../shared/palette.ts';

/** The colours of one theme: Okabe–Ito blue for real and orange for fake, lighter on a dark background. */
export interface PlaneColors {
  real: string;
  fake: string;
  /** The heatmap's ends, as RGB: D says "fake" (0) and "real" (1). */
  fakeTint: [number, number, number];
  realTint: [number, number, number];
  background: [number, number, number];
  fg: string;
}

function rgb(colour: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour.trim());
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }
  const m = /rgba?\(([^)]+)\)/.exec(colour);
  const parts = m ? m[1]!.split(/[ ,]+/).map(Number) : [255, 255, 255];
  return [parts[0] ?? 255, parts[1] ?? 255, parts[2] ?? 255];
}

/** Picks the point colours for the theme's background: the blue/orange pair stays apart for every common colour-vision deficiency. */
export function planeColors(theme: ThemeColors): PlaneColors {
  const background = rgb(theme.panel);
  const dark = 0.299 * background[0] + 0.587 * background[1] + 0.114 * background[2] < 128;
  const [blue, orange, skyBlue] = [PALETTE[0]!, PALETTE[1]!, PALETTE[5]!];
  const real = dark ? skyBlue : blue;
  return { real, fake: orange, realTint: rgb(real), fakeTint: rgb(orange), background, fg: theme.fg };
}

/** Canvas pixel of a point of the plane [−1, 1]² (y up). */
export function toCanvas(x: number, y: number, size: number): [number, number] {
  return [((x + 1) / 2) * size, ((1 - y) / 2) * size];
}

/** Point of the plane under a canvas pixel. */
export function toPlane(px: number, py: number, size: number): Point2 {
  return [(2 * px) / size - 1, 1 - (2 * py) / size];
}

/** How strongly the heatmap tints the background at its ends: the points must stay readable on it. */
const TINT = 0.45;

function drawField(ctx: CanvasRenderingContext2D, frame: Gan2dFrame, c: PlaneColors, size: number): void {
  const side = frame.fieldSide;
  const image = new ImageData(side, side);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const v = Math.min(1, Math.max(0, frame.field[j * side + i]!));
      // 0.5 (D cannot tell) is the background; towards 1 the real tint, towards 0 the fake tint.
      const tint = v >= 0.5 ? c.realTint : c.fakeTint;
      const w = Math.abs(v - 0.5) * 2 * TINT;
      const o = 4 * ((side - 1 - j) * side + i);
      for (let k = 0; k < 3; k++) image.data[o + k] = c.background[k]! * (1 - w) + tint[k]! * w;
      image.data[o + 3] = 255;
    }
  }
  const cell = new OffscreenCanvas(side, side);
  cell.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cell, 0, 0, size, size);
}

function drawManifold(ctx: CanvasRenderingContext2D, frame: Gan2dFrame, c: PlaneColors, size: number): void {
  const m = frame.manifold;
  const steps = frame.manifoldSteps;
  const line = (indices: number[]) => {
    ctx.beginPath();
    indices.forEach((k, n) => {
      const [x, y] = toCanvas(m[2 * k]!, m[2 * k + 1]!, size);
      if (n === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  };
  ctx.strokeStyle = c.fg;
  ctx.globalAlpha = 0.35;
  ctx.lineWidth = 1;
  const range = Array.from({ length: steps }, (_, k) => k);
  if (frame.latent === 1) line(range);
  else {
    for (let r = 0; r < steps; r++) line(range.map((k) => r * steps + k));
    for (let col = 0; col < steps; col++) line(range.map((k) => k * steps + col));
  }
  ctx.globalAlpha = 1;
}

function drawPoints(ctx: CanvasRenderingContext2D, points: Float32Array, colour: string, size: number, square: boolean): void {
  ctx.fillStyle = colour;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const [x, y] = toCanvas(points[i]!, points[i + 1]!, size);
    if (square) ctx.fillRect(x - 2, y - 2, 4, 4);
    else {
      ctx.beginPath();
      ctx.arc(x, y, 2.2, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

/** Longest arrow, in plane units: arrows are scaled by the longest of the frame, so their lengths compare within it. */
const ARROW_LENGTH = 0.12;

function drawArrows(ctx: CanvasRenderingContext2D, frame: Gan2dFrame, c: PlaneColors, size: number): void {
  const { push, fake } = frame;
  let longest = 0;
  for (let i = 0; i + 1 < push.length; i += 2) longest = Math.max(longest, Math.hypot(push[i]!, push[i + 1]!));
  if (!(longest > 0)) return;
  const scale = ARROW_LENGTH / longest;
  ctx.strokeStyle = c.fg;
  ctx.globalAlpha = 0.6;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i + 1 < push.length; i += 2) {
    const [x0, y0] = toCanvas(fake[i]!, fake[i + 1]!, size);
    const [x1, y1] = toCanvas(fake[i]! + push[i]! * scale, fake[i + 1]! + push[i + 1]! * scale, size);
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    // A short head, 30° either side of the shaft.
    const angle = Math.atan2(y1 - y0, x1 - x0);
    const head = Math.min(4, Math.hypot(x1 - x0, y1 - y0) / 2);
    for (const side of [-1, 1]) {
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * Math.cos(angle + (side * Math.PI) / 6), y1 - head * Math.sin(angle + (side * Math.PI) / 6));
    }
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

/** The reader's drawing: crosses in the foreground colour, over everything. */
function drawDrawing(ctx: CanvasRenderingContext2D, drawing: readonly Point2[], c: PlaneColors, size: number): void {
  ctx.strokeStyle = c.fg;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (const [px, py] of drawing) {
    const [x, y] = toCanvas(px, py, size);
    ctx.moveTo(x - 3, y - 3);
    ctx.lineTo(x + 3, y + 3);
    ctx.moveTo(x + 3, y - 3);
    ctx.lineTo(x - 3, y + 3);
  }
  ctx.stroke();
}

/** Draws the whole plane: a frame (or only the background before the first one) and, in draw mode, the drawing and the keyboard's cursor. */
export function drawPlane(
  ctx: CanvasRenderingContext2D,
  size: number,
  frame: Gan2dFrame | null,
  c: PlaneColors,
  drawing: readonly Point2[] | null,
  cursor: Point2 | null = null,
): void {
  const [r, g, b] = c.background;
  ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
  ctx.fillRect(0, 0, size, size);
  if (frame) {
    drawField(ctx, frame, c, size);
    drawManifold(ctx, frame, c, size);
    drawPoints(ctx, frame.real, c.real, size, false);
    drawPoints(ctx, frame.fake, c.fake, size, true);
    drawArrows(ctx, frame, c, size);
  }
  if (drawing) drawDrawing(ctx, drawing, c, size);
  if (cursor) {
    const [x, y] = toCanvas(cursor[0], cursor[1], size);
    ctx.strokeStyle = c.fg;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(x, y, 7, 0, 2 * Math.PI);
    ctx.stroke();
  }
}
