/**
 * A dataset as the engine sees it: every row's features and targets in flat float32 arrays.
 * Train, validation and test splits are index lists into these rows, so the data is uploaded
 * to the GPU once and batches are gathered by index.
 */
export interface TensorDataset {
  /** rows × inputSize, row-major. */
  features: Float32Array;
  /**
   * rows × targetWidth. For softmax cross-entropy and binary cross-entropy targetWidth is 1 and
   * the value is the class id (0..classes-1, stored exactly as a float); for MSE it is the
   * regression target vector.
   */
  targets: Float32Array;
  rows: number;
  inputSize: number;
  targetWidth: number;
}

/** Row indices of each split of a dataset. */
export interface DataSplits {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

/**
 * A classification table before splitting and standardization: what the Iris loader, the 2-D
 * toy generators and the CSV importer all produce.
 */
export interface LabeledTable {
  /** rows × inputSize, row-major, raw (not standardized). */
  features: Float32Array;
  inputSize: number;
  /** Class id per row, 0..classNames.length-1. */
  labels: Uint32Array;
  classNames: string[];
  featureNames: string[];
  /**
   * Regression tables only: the numeric target per row, raw. Such a table has one "class" (the
   * target's name, in `classNames`) and `labels` hold the target's quantile bin, which only
   * stratifies the splits so each one spans the target's range.
   */
  values?: Float32Array;
}
