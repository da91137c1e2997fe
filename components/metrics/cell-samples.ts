import { predictedClasses } from '../../src/metrics/confusion.ts';
import { IMAGE_PIXELS } from '../../src/train/gan-config.ts';
import type { EngineController } from '../playground/engine-controller.ts';

/** Images behind one confusion-matrix cell, ready for <sp-sample-grid> (pixels in [-1, 1]). */
export interface CellSamples {
  label: string;
  count: number;
  images: Float32Array;
}

/**
 * For image data (28×28), up to 32 images of `split` whose true class and predicted class (at
 * the panel's threshold) are those of the cell; null for other data or before an evaluation.
 */
export async function cellSamples(
  engine: EngineController,
  split: 'validation' | 'test',
  threshold: number,
  trueClass: number,
  predictedClass: number,
): Promise<CellSamples | null> {
  const info = engine.info;
  const evaluation = split === 'test' ? engine.test : engine.validation;
  if (!info || !evaluation || info.spec.inputSize !== IMAGE_PIXELS) return null;
  const predicted = predictedClasses(evaluation.outputs, evaluation.rows, info.classNames.length, threshold);
  const labels = info.labels[split];
  const positions: number[] = [];
  for (let k = 0; k < evaluation.rows; k++) if (labels[k] === trueClass && predicted[k] === predictedClass) positions.push(k);
  const pixels = await engine.splitRows(split, positions.slice(0, 32));
  const name = (c: number) => info.classNames[c] ?? String(c);
  return { label: `${name(trueClass)}, predicted ${name(predictedClass)}`, count: positions.length, images: pixels.map((v) => v * 2 - 1) };
}
