// The reader's drawing on the data plot: draw mode, the points drawn so far, the tool and target
// they are drawn with, and an undo stack. It lives on the playground, not in an element, so the
// drawing survives the plot being rebuilt (every session change re-creates it).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { taskOf, type DatasetConfig, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { Task } from '../../src/config/task.ts';
import { DRAWN_LIMITS, drawingProblem, isDrawnClass, snapDrawnPoint, type DrawnPoint } from '../../src/data/drawn.ts';
import type { SessionInfo } from '../../src/worker/api.ts';

/** What a press does on the plot: add points of the chosen target, or erase the nearest. */
export type DrawTool = 'add' | 'erase';

/** How near (in plot units, a 3-wide plane) a point must be to be erased: about 20 px of a 480-px plot. */
export const ERASE_RADIUS = 0.12;
/** Snapshots kept for undo; older ones are dropped. */
const MAX_UNDO = 100;

/** What the controller reads from its playground, and how it applies a finished drawing. */
export interface DrawState {
  config(): ExperimentConfig;
  /** The current session, whose 2-D points "start from the data" copies. */
  info(): SessionInfo | null;
  /** Sets the data set, as the data picker does (the playground rebuilds its session). */
  apply(dataset: DatasetConfig): void;
}

/**
 * Draw mode of a playground. Points appear on the plot as they are drawn, without retraining;
 * leaving draw mode applies the drawing as the data set `drawn` (one rebuild), unless it cannot
 * be trained on: then draw mode stays on with a message above the plot, the session and the
 * drawing as they were. Leaving with nothing drawn just leaves. Choosing another data set ends
 * draw mode; the drawing is kept for the next time.
 */
export class DrawController implements ReactiveController {
  /** True while the plot takes points. */
  active = false;
  /** The drawing, snapped to the 0.01 grid; replaced (never mutated) on every edit. */
  points: DrawnPoint[] = [];
  tool: DrawTool = 'add';
  /** The class new points get (classification). */
  drawClass = 0;
  /** The value new points get (regression), in [-1, 1]. */
  value = 0.5;
  /** Why the drawing was not applied, or that it is full; shown above the plot. */
  message: string | null = null;
  private undoStack: DrawnPoint[][] = [];
  /** False from the start of a stroke until its first change has saved the drawing for undo. */
  private strokeSaved = true;
  /** The data set in use when draw mode began: when another one replaces it, draw mode ends. */
  private startedOn: DatasetConfig | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly state: DrawState,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    if (this.active && this.state.config().dataset !== this.startedOn) this.stop();
  }

  /** The task new points are drawn for. */
  get task(): Task {
    return taskOf(this.state.config());
  }

  /** True when "start from the data" can copy the session's points: 2-D classification data that is not the drawing itself. */
  get canUseData(): boolean {
    return !!this.state.info()?.points && this.task === 'classification' && this.state.config().dataset.name !== 'drawn';
  }

  /** True when there is an edit to undo. */
  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /**
   * Starts draw mode on the config's own drawing when it uses one, else on the drawing kept from
   * before (empty at first, and emptied when it was drawn for the other task).
   */
  start(): void {
    const d = this.state.config().dataset;
    if (d.name === 'drawn' && d.drawn && d.drawn !== this.points) {
      this.points = d.drawn;
      this.undoStack = [];
    }
    // A drawing kept from the other task (classes, values) starts over; Undo brings it back.
    const fits = (p: DrawnPoint) => (this.task === 'regression' ? Math.abs(p.y) <= DRAWN_LIMITS.maxValue : isDrawnClass(p.y));
    if (!this.points.every(fits)) {
      this.begin();
      this.change([]);
    }
    this.active = true;
    this.message = null;
    this.startedOn = d;
    this.host.requestUpdate();
  }

  /**
   * The data picker chose `dataset`: true when it is a drawing that cannot be trained on yet
   * (the picker's "Draw your own" has no points), which starts draw mode instead.
   */
  intercept(dataset: DatasetConfig): boolean {
    if (dataset.name !== 'drawn' || (dataset.drawn && !drawingProblem(dataset.drawn, this.task))) return false;
    this.start();
    return true;
  }

  /** Leaves draw mode, applying the drawing; keeps drawing with a message when it cannot be trained on. */
  finish(): void {
    if (this.points.length === 0) return this.stop();
    const problem = drawingProblem(this.points, this.task);
    if (problem) {
      this.message = problem;
      this.host.requestUpdate();
      return;
    }
    const d = this.state.config().dataset;
    this.stop();
    if (d.name !== 'drawn' || d.drawn !== this.points) this.state.apply({ ...d, name: 'drawn', drawn: this.points });
  }

  /** The draw-data toggle. */
  toggle(): void {
    if (this.active) this.finish();
    else this.start();
  }

  private stop(): void {
    this.active = false;
    this.message = null;
    this.startedOn = null;
    this.host.requestUpdate();
  }

  /** A stroke begins (a press, a key): all it changes is undone at once. */
  begin(): void {
    this.strokeSaved = false;
  }

  /** Adds a point of the chosen class or value at (x1, x2), unless the drawing is full. */
  add(x1: number, x2: number): void {
    if (this.points.length >= DRAWN_LIMITS.maxPoints) {
      this.message = `A drawing holds at most ${DRAWN_LIMITS.maxPoints} points: erase some to add others.`;
      this.host.requestUpdate();
      return;
    }
    const target = this.task === 'regression' ? this.value : this.drawClass;
    this.change([...this.points, snapDrawnPoint(x1, x2, target, this.task)]);
  }

  /** Removes the point nearest (x1, x2) within ERASE_RADIUS; false when there is none. */
  remove(x1: number, x2: number): boolean {
    let best = -1;
    let bestDistance = ERASE_RADIUS * ERASE_RADIUS;
    this.points.forEach((p, i) => {
      const d = (p.x1 - x1) ** 2 + (p.x2 - x2) ** 2;
      if (d <= bestDistance) [best, bestDistance] = [i, d];
    });
    if (best < 0) return false;
    this.change(this.points.filter((_, i) => i !== best));
    return true;
  }

  /** Removes every point (undoable). */
  clear(): void {
    this.begin();
    if (this.points.length) this.change([]);
  }

  /** Replaces the drawing with the session's own 2-D points (up to 500, classes 0 to 7), undoably. */
  fromData(): void {
    const points = this.state.info()?.points;
    if (!points) return;
    const n = points.labels.length;
    const count = Math.min(n, DRAWN_LIMITS.maxPoints);
    const next: DrawnPoint[] = [];
    // Every (n / 500)-th point when there are more: spread over the rows, which are in no order.
    for (let k = 0; k < count; k++) {
      const i = Math.floor((k * n) / count);
      const y = points.labels[i]!;
      if (isDrawnClass(y)) next.push(snapDrawnPoint(points.features[2 * i]!, points.features[2 * i + 1]!, y, 'classification'));
    }
    this.begin();
    this.change(next);
  }

  /** Goes back one edit (a stroke, a clear, a copy of the data). */
  undo(): void {
    const previous = this.undoStack.at(-1);
    if (!previous) return;
    this.undoStack = this.undoStack.slice(0, -1);
    this.setPoints(previous);
  }

  /** Sets the tool, class or value new points get. */
  set(patch: Partial<Pick<DrawController, 'tool' | 'drawClass' | 'value'>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }

  private change(next: DrawnPoint[]): void {
    if (!this.strokeSaved) {
      this.undoStack = [...this.undoStack.slice(1 - MAX_UNDO), this.points];
      this.strokeSaved = true;
    }
    this.setPoints(next);
  }

  /** A message about the drawing follows it: "(7 so far)" counts on, and goes once the drawing is fine. */
  private setPoints(next: DrawnPoint[]): void {
    this.points = next;
    if (this.message) this.message = drawingProblem(next, this.task);
    this.host.requestUpdate();
  }
}
