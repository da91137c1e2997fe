import { gpuDeadlines, withDeadline } from './deadline.ts';

/**
 * Reads GPU buffers back through a small pool of MAP_READ staging buffers, so steady-state
 * training allocates nothing per readback.
 */
export class StagingPool {
  private free: GPUBuffer[] = [];
  private all: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  /**
   * Copies `parts` (buffer, byte size) back to back into one staging buffer after the commands
   * already queued, submits, and resolves with the bytes. One mapAsync per call, which rejects
   * with a DeadlineError after `gpuDeadlines.readbackMs`: a staging buffer whose map never came
   * back is dropped from the pool (destroyed with it), never handed out again.
   */
  async read(parts: { buffer: GPUBuffer; size: number; offset?: number }[], encoder?: GPUCommandEncoder): Promise<ArrayBuffer> {
    const total = parts.reduce((sum, p) => sum + align4(p.size), 0);
    const staging = this.take(total);
    const enc = encoder ?? this.device.createCommandEncoder({ label: 'readback' });
    let at = 0;
    for (const p of parts) {
      enc.copyBufferToBuffer(p.buffer, p.offset ?? 0, staging, at, align4(p.size));
      at += align4(p.size);
    }
    this.device.queue.submit([enc.finish()]);
    try {
      await withDeadline(staging.mapAsync(GPUMapMode.READ, 0, total), gpuDeadlines.readbackMs, 'a GPU readback');
      const bytes = staging.getMappedRange(0, total).slice(0);
      staging.unmap();
      this.free.push(staging);
      return bytes;
    } catch (e) {
      // A map that failed (device lost, pool destroyed) leaves the buffer unmapped and reusable;
      // one still pending past its deadline may map later, so it is left out of the pool.
      if (staging.mapState === 'mapped') staging.unmap();
      if (staging.mapState === 'unmapped') this.free.push(staging);
      throw e;
    }
  }

  private take(size: number): GPUBuffer {
    const i = this.free.findIndex((b) => b.size >= size);
    if (i >= 0) return this.free.splice(i, 1)[0]!;
    const buffer = this.device.createBuffer({
      label: `staging ${this.all.length}`,
      size: Math.max(256, align4(size)),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.all.push(buffer);
    return buffer;
  }

  /** Destroys every staging buffer. */
  destroy(): void {
    for (const b of this.all) b.destroy();
    this.all = [];
    this.free = [];
  }
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
