// What the page draws of a boosting run on 2-D data: each round's network's decision boundary,
// the ensemble's after it (SAMME's weighted vote over the grid), and the training points' weights.
import type { LoadedData } from '../data/load.ts';
import { predictedClasses } from '../metrics/confusion.ts';
import type { BatchJob } from './batch-job.ts';
import { boundaryFeatures, boundaryFromProbabilities, type BoundaryGrid, type PlotBounds } from './boundary.ts';
import { plotBounds } from './plot-points.ts';

/** Cells per side of boosting's boundary grids (a round keeps two, so smaller than the playground's). */
export const BOOSTING_BOUNDARY_RESOLUTION = 40;

/** The grids of one round: its own network's boundary and the ensemble's after the round. */
export interface BoostingBoundaries {
  member: BoundaryGrid;
  ensemble: BoundaryGrid;
}

/** Grid classes of the kept members, to vote the ensemble's boundary on. */
export class BoostingGrid {
  private readonly votes: Float64Array;
  readonly bounds: PlotBounds;
  private readonly cells: number;

  private constructor(
    private readonly data: LoadedData,
    private readonly classes: number,
    readonly resolution: number,
  ) {
    this.bounds = plotBounds(data);
    this.cells = resolution * resolution;
    this.votes = new Float64Array(this.cells * classes);
  }

  /** A grid for 2-D data; null otherwise (nothing is drawn). */
  static for(data: LoadedData, resolution = BOOSTING_BOUNDARY_RESOLUTION): BoostingGrid | null {
    return data.table.inputSize === 2 ? new BoostingGrid(data, data.classNames.length, resolution) : null;
  }

  /** The round's network's probabilities over the grid (member 0 of `job`). */
  async predict(job: BatchJob): Promise<Float32Array> {
    const d = this.data;
    return (await job.predict(boundaryFeatures(this.bounds, d.standardizer, this.resolution, d.features ?? undefined), this.cells))[0]!;
  }

  /**
   * The round's boundaries; `alpha` > 0 adds the member's vote to the ensemble first (a discarded
   * member votes 0). The ensemble's confidence is the winning class's share of the votes.
   */
  round(probs: Float32Array, alpha: number): BoostingBoundaries {
    const { classes, cells, votes } = this;
    const member = boundaryFromProbabilities(probs, this.resolution, this.bounds, classes);
    if (alpha > 0) predictedClasses(probs, cells, classes).forEach((c, i) => (votes[i * classes + c]! += alpha));
    const shares = new Float32Array(cells * classes);
    for (let i = 0; i < cells; i++) {
      let total = 0;
      for (let c = 0; c < classes; c++) total += votes[i * classes + c]!;
      for (let c = 0; c < classes; c++) shares[i * classes + c] = total > 0 ? votes[i * classes + c]! / total : 1 / classes;
    }
    return { member, ensemble: boundaryFromProbabilities(shares, this.resolution, this.bounds, classes) };
  }
}
