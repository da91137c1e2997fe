import { encodeDispatches, type Dispatch } from '../gpu/kernel.ts';

/** How kernel times are measured. */
export type TimingMethod = 'timestamp-query' | 'cpu';

/** Mean time of one dispatch of the step over the window. */
export interface KernelTime {
  index: number;
  label: string;
  /** Mean microseconds per step; NaN before the first sample. */
  meanUs: number;
  /** meanUs over the sum of every kernel's meanUs (0..1). */
  share: number;
  samples: number;
}

/** Per-kernel times of the training step, averaged over the last `window` steps. */
export interface ProfileReport {
  method: TimingMethod;
  /** What the numbers are, in words, for the page. */
  description: string;
  /** Steps whose times are in the window (the smallest sample count of any kernel). */
  steps: number;
  /** Sum of the kernels' means: the step's kernel time in µs. */
  stepUs: number;
  kernels: KernelTime[];
}

/** What the profiler needs from a backend: GpuBatchBackend has both. */
export interface ProfiledBackend {
  readonly stepDispatches: readonly Dispatch[];
  stepRecorder: ((encoder: GPUCommandEncoder, dispatches: readonly Dispatch[], steps: number) => void | Promise<void>) | null;
}

/** Queries in one query set (WebGPU's maximum count). */
const MAX_QUERIES = 4096;

interface PendingTimestamps {
  slot: number;
  queries: number;
  steps: number;
  kernels: number;
}

/**
 * Times every dispatch of the training step while the backend trains, by taking over how its
 * runSteps records a submit (`stepRecorder`):
 *
 * - with `timestamp-query` on the device, each dispatch gets its own compute pass with
 *   `timestampWrites` (begin and end); the query set is resolved into a buffer in the same
 *   command buffer and read back at the next submit (or `flush()`), so nothing waits;
 * - without it, each dispatch is submitted on its own and awaited, timed on the CPU from submit
 *   to `onSubmittedWorkDone`: a wall-clock upper bound that includes submit and callback
 *   overhead, and that needs each runSteps awaited before the next (ShaderExplorer does).
 *
 * Splitting the step into passes does not change its results: WebGPU orders dispatches the same
 * way within a pass and across passes.
 */
export class StepProfiler {
  readonly method: TimingMethod;
  private samples: number[][] = [];
  private querySet: GPUQuerySet | null = null;
  private readonly resolve: GPUBuffer[] = [];
  private readonly readbacks: GPUBuffer[] = [];
  private slot = 0;
  private pending: PendingTimestamps | null = null;
  private inFlight: Promise<void>[] = [];
  private attached = false;
  private cpuBusy = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly backend: ProfiledBackend,
    /** Steps averaged per kernel. */
    readonly window = 64,
    method: TimingMethod | 'auto' = 'auto',
  ) {
    const hasTimestamps = device.features.has('timestamp-query');
    this.method = method === 'auto' ? (hasTimestamps ? 'timestamp-query' : 'cpu') : method;
    if (this.method === 'timestamp-query' && !hasTimestamps) throw new Error('this device was created without the timestamp-query feature');
  }

  /** Starts timing the backend's submits. */
  attach(): void {
    this.backend.stepRecorder = (encoder, dispatches, steps) => this.record(encoder, dispatches, steps);
    this.attached = true;
  }

  /** Stops timing; the backend records its steps in one pass again. */
  detach(): void {
    if (this.attached) this.backend.stepRecorder = null;
    this.attached = false;
  }

  /** Forgets every sample. */
  reset(): void {
    this.samples = [];
  }

  /** Reads back the times of submits already made; call after awaiting runSteps. */
  async flush(): Promise<void> {
    this.collectPending();
    const waiting = this.inFlight;
    this.inFlight = [];
    await Promise.all(waiting);
  }

  /** Means over the window, per dispatch of the step. */
  report(): ProfileReport {
    const dispatches = this.backend.stepDispatches;
    const means = dispatches.map((_, i) => mean(this.samples[i] ?? []));
    const stepUs = means.reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0);
    const kernels = dispatches.map((d, i) => ({
      index: i,
      label: d.label,
      meanUs: means[i]!,
      share: stepUs > 0 && Number.isFinite(means[i]!) ? means[i]! / stepUs : 0,
      samples: this.samples[i]?.length ?? 0,
    }));
    const description =
      this.method === 'timestamp-query'
        ? 'GPU time per dispatch from timestamp queries, each dispatch in its own compute pass (browsers may quantize timestamps; the window average smooths that)'
        : 'CPU-side timing, not GPU time: each dispatch submitted alone and timed from submit to onSubmittedWorkDone (includes submit overhead; this device has no timestamp-query)';
    return { method: this.method, description, steps: kernels.length ? Math.min(...kernels.map((k) => k.samples)) : 0, stepUs, kernels };
  }

  /** Releases the query set and buffers. */
  destroy(): void {
    this.detach();
    this.querySet?.destroy();
    for (const b of [...this.resolve, ...this.readbacks]) b.destroy();
  }

  private record(encoder: GPUCommandEncoder, dispatches: readonly Dispatch[], steps: number): void | Promise<void> {
    if (this.method === 'cpu') return this.recordCpu(dispatches, steps);
    this.collectPending();
    this.ensureQueries();
    const timedSteps = Math.min(steps, Math.floor(MAX_QUERIES / (2 * Math.max(1, dispatches.length))));
    let q = 0;
    for (let s = 0; s < timedSteps; s++) {
      for (const d of dispatches) {
        const pass = encoder.beginComputePass({
          label: `timed ${d.label}`,
          timestampWrites: { querySet: this.querySet!, beginningOfPassWriteIndex: q, endOfPassWriteIndex: q + 1 },
        });
        encodeDispatches(pass, [d]);
        pass.end();
        q += 2;
      }
    }
    if (timedSteps < steps) {
      const pass = encoder.beginComputePass({ label: `untimed ${steps - timedSteps} steps` });
      for (let s = timedSteps; s < steps; s++) encodeDispatches(pass, dispatches);
      pass.end();
    }
    if (q === 0) return;
    this.slot = 1 - this.slot;
    encoder.resolveQuerySet(this.querySet!, 0, q, this.resolve[this.slot]!, 0);
    this.pending = { slot: this.slot, queries: q, steps: timedSteps, kernels: dispatches.length };
  }

  private ensureQueries(): void {
    if (this.querySet) return;
    this.querySet = this.device.createQuerySet({ label: 'kernel timestamps', type: 'timestamp', count: MAX_QUERIES });
    for (let i = 0; i < 2; i++) {
      this.resolve.push(
        this.device.createBuffer({ label: `timestamps ${i}`, size: MAX_QUERIES * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }),
      );
    }
  }

  /**
   * Copies the last submit's resolved timestamps out and reads them. Called before the next
   * submit is recorded (or by flush), so that submit has been made: queue order keeps the copy
   * after the resolve, and the other resolve buffer takes the next submit.
   */
  private collectPending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const bytes = p.queries * 8;
    const readback =
      this.readbacks.pop() ??
      this.device.createBuffer({ label: 'timestamp readback', size: MAX_QUERIES * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder({ label: 'read timestamps' });
    encoder.copyBufferToBuffer(this.resolve[p.slot]!, 0, readback, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    const done = readback.mapAsync(GPUMapMode.READ, 0, bytes).then(
      () => {
        const t = new BigUint64Array(readback.getMappedRange(0, bytes).slice(0));
        readback.unmap();
        this.readbacks.push(readback);
        for (let s = 0; s < p.steps; s++) {
          for (let k = 0; k < p.kernels; k++) {
            const q = 2 * (s * p.kernels + k);
            const ns = Number(t[q + 1]! - t[q]!);
            this.add(k, Math.max(0, ns) / 1000);
          }
        }
      },
      () => undefined, // a destroyed device or buffer: no sample
    );
    this.inFlight.push(done);
  }

  /**
   * Submits each dispatch alone and awaits it, timing submit → onSubmittedWorkDone on the CPU.
   * The backend delays its readback until this settles; the caller awaits each runSteps.
   */
  private async recordCpu(dispatches: readonly Dispatch[], steps: number): Promise<void> {
    if (this.cpuBusy) throw new Error('CPU-side kernel timing needs each runSteps awaited before the next');
    this.cpuBusy = true;
    try {
      const queue = this.device.queue;
      for (let s = 0; s < steps; s++) {
        for (const [k, d] of dispatches.entries()) {
          const encoder = this.device.createCommandEncoder({ label: `timed ${d.label}` });
          const pass = encoder.beginComputePass({ label: `timed ${d.label}` });
          encodeDispatches(pass, [d]);
          pass.end();
          const start = performance.now();
          queue.submit([encoder.finish()]);
          await queue.onSubmittedWorkDone();
          this.add(k, (performance.now() - start) * 1000);
        }
      }
    } finally {
      this.cpuBusy = false;
    }
  }

  private add(kernel: number, us: number): void {
    const list = (this.samples[kernel] ??= []);
    list.push(us);
    if (list.length > this.window) list.splice(0, list.length - this.window);
  }
}

function mean(values: number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
}
