import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { GAN2D_LIMITS } from '../../src/gan2d/config.ts';
import type { Point2 } from '../../src/gan2d/datasets.ts';
import type { Gan2dFrame } from '../../src/worker/api.ts';
import { themeColors } from '../shared/palette.ts';
import { emit } from '../shared/events.ts';
import { drawPlane, planeColors, toPlane } from './gan2d-draw.ts';

/** Canvas pixels per side; CSS scales it to the column. */
export const PLANE_PIXELS = 480;
/** Closest two painted points may lie, in plane units: a drag paints a trail, not a blot. */
const PAINT_SPACING = 0.04;

/** What `sp-gan2d-draw` carries: the whole drawing after a stroke. */
export interface Gan2dDrawDetail {
  points: Point2[];
}

/**
 * The plane of the 2-D lab: draws the latest frame on the next animation frame (never more than
 * one draw per display frame, whatever the rate frames arrive at), and in draw mode turns a click
 * or drag into points, emitting `sp-gan2d-draw` with the whole drawing after each stroke.
 */
@customElement('sp-gan-2d-plane')
export class SpGan2dPlane extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 480px;
    }
    canvas {
      display: block;
      box-sizing: border-box;
      width: 100%;
      aspect-ratio: 1;
      border: 1px solid var(--sp-border);
      border-radius: 6px;
      touch-action: none;
    }
    canvas.drawing {
      cursor: crosshair;
      outline: 2px dashed var(--sp-accent);
    }
  `;

  /** Click and drag paint points instead of nothing. */
  @property({ type: Boolean }) drawMode = false;
  /** The reader's points (shown in draw mode). */
  @property({ attribute: false }) drawing: readonly Point2[] = [];
  /** Frames drawn so far (tests and the frame-rate figure read it). */
  framesDrawn = 0;
  private frame: Gan2dFrame | null = null;
  private raf: number | null = null;
  private stroke: Point2[] | null = null;
  /** The keyboard's cursor in draw mode (arrow keys move it, Enter adds a point there). */
  private cursor: Point2 = [0, 0];

  /** Shows `frame` on the next animation frame; frames arriving before it replace it. */
  show(frame: Gan2dFrame | null): void {
    this.frame = frame;
    this.scheduleDraw();
  }

  private scheduleDraw(): void {
    if (this.raf !== null) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = null;
      this.draw();
    });
  }

  private draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    if (!ctx) return;
    const drawing = this.drawMode ? (this.stroke ?? this.drawing) : null;
    drawPlane(ctx, PLANE_PIXELS, this.frame, planeColors(themeColors(this)), drawing, this.drawMode ? this.cursor : null);
    this.framesDrawn++;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.raf !== null) cancelAnimationFrame(this.raf);
    this.raf = null;
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('drawMode') || changed.has('drawing')) this.scheduleDraw();
  }

  private pointAt(e: PointerEvent): Point2 {
    const box = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const [x, y] = toPlane(((e.clientX - box.left) / box.width) * PLANE_PIXELS, ((e.clientY - box.top) / box.height) * PLANE_PIXELS, PLANE_PIXELS);
    const clamp = (v: number) => Math.min(1, Math.max(-1, v));
    return [clamp(x), clamp(y)];
  }

  private paint(e: PointerEvent): void {
    if (!this.stroke || this.stroke.length >= GAN2D_LIMITS.maxDrawnPoints) return;
    const p = this.pointAt(e);
    const last = this.stroke.at(-1);
    if (last && this.stroke.length > this.drawing.length && Math.hypot(p[0] - last[0], p[1] - last[1]) < PAINT_SPACING) return;
    this.stroke.push(p);
    this.scheduleDraw();
  }

  private down(e: PointerEvent): void {
    if (!this.drawMode) return;
    try {
      (e.currentTarget as HTMLCanvasElement).setPointerCapture(e.pointerId);
    } catch {
      // A pointer the browser does not track (a synthetic event) cannot be captured; the stroke still works.
    }
    this.stroke = [...this.drawing];
    this.paint(e);
  }

  private up(): void {
    if (!this.stroke) return;
    const points = this.stroke;
    this.stroke = null;
    emit(this, 'sp-gan2d-draw', { points } satisfies Gan2dDrawDetail);
  }

  /** Draw mode from the keyboard: arrows move the cursor (Shift: farther), Enter or Space adds a point, Backspace or Delete removes the last. */
  private key(e: KeyboardEvent): void {
    if (!this.drawMode) return;
    const step = e.shiftKey ? 0.2 : 0.05;
    const moves: Record<string, Point2> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const clamp = (v: number) => Math.min(1, Math.max(-1, v));
    let points: Point2[] | null = null;
    if (moves[e.key]) this.cursor = [clamp(this.cursor[0] + moves[e.key]![0]), clamp(this.cursor[1] + moves[e.key]![1])];
    else if ((e.key === 'Enter' || e.key === ' ') && this.drawing.length < GAN2D_LIMITS.maxDrawnPoints) points = [...this.drawing, this.cursor];
    else if (e.key === 'Backspace' || e.key === 'Delete') points = this.drawing.slice(0, -1);
    else return;
    e.preventDefault();
    this.scheduleDraw();
    if (points) emit(this, 'sp-gan2d-draw', { points } satisfies Gan2dDrawDetail);
  }

  override render() {
    return html`<canvas
      data-testid="gan2d-canvas"
      class=${this.drawMode ? 'drawing' : ''}
      width=${PLANE_PIXELS}
      height=${PLANE_PIXELS}
      role=${this.drawMode ? 'application' : 'img'}
      aria-roledescription=${this.drawMode ? 'drawing plane' : nothing}
      tabindex=${this.drawMode ? '0' : '-1'}
      aria-label=${
        this.drawMode
          ? `The plane in draw mode: click or drag to add points, or move the cursor with the arrow keys and press Enter; Delete removes the last (${this.drawing.length} so far)`
          : "The plane: D's opinion as the background (blue: real, orange: fake), real points as blue dots, fakes as orange squares, G's manifold as grey lines, the generator's push as arrows"
      }
      @keydown=${(e: KeyboardEvent) => this.key(e)}
      @pointerdown=${(e: PointerEvent) => this.down(e)}
      @pointermove=${(e: PointerEvent) => this.paint(e)}
      @pointerup=${() => this.up()}
      @pointercancel=${() => this.up()}
    ></canvas>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan-2d-plane': SpGan2dPlane;
  }
}
