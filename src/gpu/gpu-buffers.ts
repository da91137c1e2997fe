/**
 * The buffers one model owns: created labelled and tracked, destroyed together, so a model's
 * GPU memory is released by one call and can be counted.
 */
export class GpuBuffers {
  private readonly buffers: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** A labelled buffer of at least `size` bytes (rounded up to 4, at least 16), optionally filled. */
  create(label: string, size: number, usage: number, data?: Float32Array | Uint32Array): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    if (data) this.device.queue.writeBuffer(buffer, 0, data);
    this.buffers.push(buffer);
    return buffer;
  }

  /** Takes ownership of a buffer created elsewhere (e.g. a kernel wrapper's uniform). */
  adopt(buffer: GPUBuffer): void {
    this.buffers.push(buffer);
  }

  /** Destroys one buffer this set owns and stops counting it (e.g. a predict input that grew). */
  release(buffer: GPUBuffer): void {
    const i = this.buffers.indexOf(buffer);
    if (i >= 0) this.buffers.splice(i, 1);
    buffer.destroy();
  }

  /** Total bytes held. */
  bytes(): number {
    return this.buffers.reduce((sum, b) => sum + b.size, 0);
  }

  /** Destroys every buffer. */
  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
  }
}
