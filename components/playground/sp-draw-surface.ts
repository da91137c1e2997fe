import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Task } from '../../src/config/task.ts';
import { DRAWN_BOUNDS, type DrawnPoint } from '../../src/data/drawn.ts';
import { emit } from '../shared/events.ts';
import { mapColor } from '../charts/neuron-paint.ts';
import { classColor, themeColors } from '../shared/palette.ts';
import { baseStyles } from '../shared/styles.ts';
import type { DrawTool } from './draw-controller.ts';

/** Where a point is drawn or erased, in plot units. */
export interface DrawPointDetail {
  x1: number;
  x2: number;
}

/** Plot units between points added by one drag: about 13 px of a 480-px plot, not one per pointer move. */
export const DRAG_SPACING = 0.08;
/** Plot units one arrow key moves the keyboard cursor (Shift: five times as far). */
const KEY_STEP = 0.05;
const SIZE = 480;
const B = DRAWN_BOUNDS;

/** Colour of a regression value in [-1, 1], on the scale the plot colours a trained model's values with (orange low, blue high). */
export function valueColor(v: number): string {
  return `rgb(${mapColor(v, { centre: 0, half: 1 }).join(', ')})`;
}

/**
 * The drawing plane laid over the data plot in draw mode: it draws the drawing's points and
 * turns presses into events, in plot units. A press or drag adds points with the `add` tool (a
 * drag every DRAG_SPACING) or erases with `erase`; a right-click erases the nearest point, and
 * the context menu is kept away. From the keyboard, the arrow keys move a cursor,
 * Enter or Space adds a point there and Delete or Backspace erases the nearest. Events:
 * `sp-draw-begin` when a stroke starts (the controller saves the drawing for undo), then
 * `sp-draw-add` and `sp-draw-remove` with a DrawPointDetail.
 */
@customElement('sp-draw-surface')
export class SpDrawSurface extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        /* A drag draws instead of scrolling the page on a touch screen (only in draw mode: the surface exists then). */
        touch-action: none;
        cursor: crosshair;
      }
      canvas {
        display: block;
        width: 100%;
        height: 100%;
        border-radius: var(--sp-radius);
      }
    `,
  ];

  /** The drawing's points, drawn over the plot. */
  @property({ attribute: false }) points: readonly DrawnPoint[] = [];
  /** Colours points by class (classification) or by value (regression). */
  @property() task: Task = 'classification';
  /** What a press does. */
  @property() tool: DrawTool = 'add';

  /** The keyboard cursor, in plot units; drawn while the plane has the keyboard's focus (not after a click). */
  @state() private cursor: DrawPointDetail = { x1: 0, x2: 0 };
  @state() private focused = false;
  /** What the last key did, for screen readers. */
  @state() private said = '';
  @query('canvas') private canvas!: HTMLCanvasElement;
  /** The press in progress: its pointer, whether it erases, and where it last added a point. */
  private stroke: { pointer: number; erase: boolean; last: DrawPointDetail | null } | null = null;

  override updated(changed: PropertyValues): void {
    if (changed.has('points') || changed.has('task') || changed.has('cursor') || changed.has('focused')) this.draw();
  }

  private draw(): void {
    const ctx = this.canvas?.getContext('2d');
    if (!ctx) return;
    this.canvas.width = SIZE;
    this.canvas.height = SIZE;
    ctx.clearRect(0, 0, SIZE, SIZE);
    for (const p of this.points) {
      const [x, y] = toPixels(p);
      ctx.beginPath();
      ctx.arc(x, y, 5, 0, Math.PI * 2);
      ctx.fillStyle = this.task === 'regression' ? valueColor(p.y) : classColor(p.y);
      ctx.fill();
      ctx.strokeStyle = 'rgba(0,0,0,0.6)';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    if (this.focused) {
      // Canvas cannot read CSS variables: the theme's colours, resolved.
      const [x, y] = toPixels(this.cursor);
      ctx.strokeStyle = themeColors(this).fg;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, 9, 0, Math.PI * 2);
      ctx.moveTo(x - 15, y);
      ctx.lineTo(x + 15, y);
      ctx.moveTo(x, y - 15);
      ctx.lineTo(x, y + 15);
      ctx.stroke();
    }
  }

  /** The plot point under a pointer event. */
  private at(e: PointerEvent | MouseEvent): DrawPointDetail {
    const r = this.canvas.getBoundingClientRect();
    return {
      x1: B.xMin + ((e.clientX - r.left) / r.width) * (B.xMax - B.xMin),
      x2: B.yMax - ((e.clientY - r.top) / r.height) * (B.yMax - B.yMin),
    };
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0 && e.button !== 2) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.stroke = { pointer: e.pointerId, erase: e.button === 2 || this.tool === 'erase', last: null };
    emit(this, 'sp-draw-begin', null);
    this.apply(this.at(e));
  }

  private onMove(e: PointerEvent): void {
    if (this.stroke?.pointer !== e.pointerId) return;
    const p = this.at(e);
    const last = this.stroke.last;
    if (this.stroke.erase || !last || Math.hypot(p.x1 - last.x1, p.x2 - last.x2) >= DRAG_SPACING) this.apply(p);
  }

  private onUp(e: PointerEvent): void {
    if (this.stroke?.pointer === e.pointerId) this.stroke = null;
  }

  private apply(p: DrawPointDetail): void {
    if (p.x1 < B.xMin || p.x1 > B.xMax || p.x2 < B.yMin || p.x2 > B.yMax) return;
    if (this.stroke?.erase) {
      emit(this, 'sp-draw-remove', p);
    } else {
      if (this.stroke) this.stroke.last = p;
      emit(this, 'sp-draw-add', p);
    }
  }

  private onKey(e: KeyboardEvent): void {
    const step = e.shiftKey ? 5 * KEY_STEP : KEY_STEP;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[e.key];
    const c = this.cursor;
    if (move) {
      const clamp = (v: number) => Math.round(Math.min(B.xMax, Math.max(B.xMin, v)) * 100) / 100;
      this.cursor = { x1: clamp(c.x1 + move[0]), x2: clamp(c.x2 + move[1]) };
      this.said = `cursor at ${this.cursor.x1.toFixed(2)}, ${this.cursor.x2.toFixed(2)}`;
    } else if (e.key === 'Enter' || e.key === ' ' || e.key === 'Delete' || e.key === 'Backspace') {
      const erase = e.key === 'Delete' || e.key === 'Backspace' || this.tool === 'erase';
      emit(this, 'sp-draw-begin', null);
      emit(this, erase ? 'sp-draw-remove' : 'sp-draw-add', { ...c });
      this.said = `${erase ? 'erased the nearest point to' : 'added a point at'} ${c.x1.toFixed(2)}, ${c.x2.toFixed(2)}`;
    } else {
      return;
    }
    this.focused = true;
    e.preventDefault();
  }

  override render() {
    const n = this.points.length;
    return html`<canvas
        data-testid="draw-plane"
        tabindex="0"
        role="application"
        aria-roledescription="drawing plane"
        aria-label=${`Drawing plane, ${n} point${n === 1 ? '' : 's'}. Arrow keys move a cursor, Enter adds a point, Delete erases the nearest.`}
        @pointerdown=${this.onDown}
        @pointermove=${this.onMove}
        @pointerup=${this.onUp}
        @pointercancel=${this.onUp}
        @contextmenu=${(e: Event) => e.preventDefault()}
        @keydown=${this.onKey}
        @focus=${() => (this.focused = this.canvas.matches(':focus-visible'))}
        @blur=${() => (this.focused = false)}
      ></canvas>
      <p class="sr-only" role="status">${this.said}</p>`;
  }
}

/** Canvas pixels of a plot point. */
function toPixels(p: DrawPointDetail): [number, number] {
  return [((p.x1 - B.xMin) / (B.xMax - B.xMin)) * SIZE, ((B.yMax - p.x2) / (B.yMax - B.yMin)) * SIZE];
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-draw-surface': SpDrawSurface;
  }
}
