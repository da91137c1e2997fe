// Shaded table cells whose text stays readable: WCAG 2.2's 4.5:1 contrast for every shade, in any
// theme. Mixing the accent into the background from 0 to 100% passes through a band of shades
// where neither the page's text colour nor the accent's reaches 4.5:1 (for the light theme's blue,
// white text measured 3.11 and 2.46 there); such a shade is moved to the nearest one that passes.

/** An sRGB colour, channels 0..255. */
export type Rgb = [number, number, number];

/** WCAG's minimum contrast for normal text. */
export const MIN_CONTRAST = 4.5;

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `share` (0..1) of `a` over `b`, as CSS `color-mix(in srgb, a share, b)` makes it. */
export function mix(a: Rgb, b: Rgb, share: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i]! * share + b[i]! * (1 - share))) as Rgb;
}

/** The colours a cell is drawn in. */
export interface CellColors {
  background: Rgb;
  text: Rgb;
  /** The accent's share of the background actually used (`level`, or the nearest share that reads). */
  share: number;
}

/**
 * Background and text of a cell shaded `level` (0..1) of the way from `bg` to `accent`: the text
 * colour (`fg` or `accentFg`) with the better contrast, and where that falls short of 4.5:1, the
 * share nearest `level` (searched in steps of 1%) at which one of them reaches it. Themes whose
 * colours cannot reach it anywhere keep the best pair there is.
 */
export function cellColors(level: number, theme: { bg: Rgb; fg: Rgb; accent: Rgb; accentFg: Rgb }): CellColors {
  const at = (share: number): CellColors & { ratio: number } => {
    const background = mix(theme.accent, theme.bg, share);
    const [cf, ca] = [contrast(theme.fg, background), contrast(theme.accentFg, background)];
    return cf >= ca ? { background, text: theme.fg, share, ratio: cf } : { background, text: theme.accentFg, share, ratio: ca };
  };
  const wanted = Math.min(1, Math.max(0, level));
  let best = at(wanted);
  for (let step = 1; best.ratio < MIN_CONTRAST && step <= 100; step++) {
    for (const share of [wanted - step / 100, wanted + step / 100].map((x) => Math.round(x * 1e6) / 1e6)) {
      if (share < 0 || share > 1) continue;
      const c = at(share);
      if (c.ratio >= MIN_CONTRAST || c.ratio > best.ratio + 1e-9) best = c;
      if (c.ratio >= MIN_CONTRAST) break;
    }
  }
  return { background: best.background, text: best.text, share: best.share };
}

/**
 * A CSS colour (as a custom property resolves it: hex, rgb(), a name…) in sRGB channels, through a
 * canvas's colour parser; null for one it cannot say in sRGB (then the caller keeps CSS's own mix).
 */
export function parseColor(css: string): Rgb | null {
  const ctx = parser();
  if (!ctx || !css) return null;
  ctx.fillStyle = '#010203';
  ctx.fillStyle = css;
  const v = String(ctx.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(v);
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  const rgba = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(v);
  return rgba ? [Number(rgba[1]), Number(rgba[2]), Number(rgba[3])] : null;
}

let context: CanvasRenderingContext2D | null | undefined;
function parser(): CanvasRenderingContext2D | null {
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  return context;
}

/** `rgb(r g b)` for a style. */
export function cssRgb([r, g, b]: Rgb): string {
  return `rgb(${r} ${g} ${b})`;
}
