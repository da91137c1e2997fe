// The data set the reader draws on the data plot: points of a class or, for regression, a value.

/** One drawn point: its coordinates and its target (a class id, or a value for regression). */
export interface DrawnPoint {
  x1: number;
  x2: number;
  y: number;
}
