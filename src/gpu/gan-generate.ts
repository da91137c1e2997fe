import { encodeDispatches } from './kernel.ts';
import { buildForward, type DenseStack } from './network.ts';
import { GpuBuffers } from './gpu-buffers.ts';
import type { StagingPool } from './staging.ts';

/**
 * Generator forward passes for arbitrary latent vectors (the sample grid, interpolations), with
 * their own activation buffers sized to the request, so sampling never disturbs a training batch.
 */
export class GanGenerator {
  private rows = 0;
  private mem: GpuBuffers;
  private input!: GPUBuffer;
  private output!: GPUBuffer;
  private dispatches: ReturnType<typeof buildForward>['dispatches'] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly stack: DenseStack,
    private readonly latent: number,
    private readonly staging: StagingPool,
  ) {
    this.mem = new GpuBuffers(device);
  }

  private ensure(rows: number): void {
    if (rows === this.rows) return;
    this.mem.destroy();
    const S = GPUBufferUsage.STORAGE;
    this.input = this.mem.create('sample latents', rows * this.latent * 4, S | GPUBufferUsage.COPY_DST);
    const acts = [this.input, ...this.stack.layers.map((l, i) => this.mem.create(`sample activations ${i}`, rows * l.units * 4, S | GPUBufferUsage.COPY_SRC))];
    this.output = acts.at(-1)!;
    const built = buildForward(this.stack, rows, acts, 'samples');
    built.uniforms.forEach((u) => this.mem.adopt(u));
    this.dispatches = built.dispatches;
    this.rows = rows;
  }

  /** G(z) for `rows` latent vectors, pixels in [-1, 1]. */
  async run(z: Float32Array, rows: number): Promise<Float32Array> {
    this.ensure(rows);
    this.device.queue.writeBuffer(this.input, 0, z);
    const encoder = this.device.createCommandEncoder({ label: 'generate samples' });
    const pass = encoder.beginComputePass({ label: 'generate samples' });
    encodeDispatches(pass, this.dispatches);
    pass.end();
    const pixels = this.stack.layers.at(-1)!.units;
    return new Float32Array(await this.staging.read([{ buffer: this.output, size: rows * pixels * 4 }], encoder));
  }

  /** Destroys the sample buffers. */
  destroy(): void {
    this.mem.destroy();
    this.rows = 0;
  }
}
