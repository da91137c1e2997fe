// Every WGSL file of the engine as text, for reading without a GPU: the shader explorer shows
// them where WebGPU or an adapter is missing.
import argmax from '../../shaders/argmax.wgsl';
import augment from '../../shaders/augment.wgsl';
import dropout from '../../shaders/dropout.wgsl';
import gather from '../../shaders/gather.wgsl';
import loss from '../../shaders/loss.wgsl';
import matmul from '../../shaders/matmul.wgsl';
import optimizer from '../../shaders/optimizer.wgsl';
import pixels from '../../shaders/pixels.wgsl';

/** One kernel family's shipped source: `name` is the file name without `.wgsl`. */
export interface KernelSource {
  name: string;
  source: string;
}

/** The shipped kernel families, those of a training step first (matmul, loss, gather, optimizer). */
export const KERNEL_SOURCES: readonly KernelSource[] = Object.freeze([
  { name: 'matmul', source: matmul },
  { name: 'loss', source: loss },
  { name: 'gather', source: gather },
  { name: 'optimizer', source: optimizer },
  { name: 'argmax', source: argmax },
  { name: 'dropout', source: dropout },
  { name: 'augment', source: augment },
  { name: 'pixels', source: pixels },
]);
