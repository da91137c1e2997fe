// The validation rows a batch scores inside its training submits: the passes built for the
// current row lists (rebuilt only when the lists change), and which models each step scores.
import type { BatchChunk } from '../train/training-backend.ts';
import { withErrorScopes } from './device.ts';
import { GpuBuffers } from './gpu-buffers.ts';
import { ValidationPasses, type ValidationContext } from './validation.ts';

/** One validation pass inside a chunk: after step `step`, scoring the models marked in `models`. */
export interface ValidationStep {
  step: number;
  models: Uint8Array;
}

/** A batch's validation passes and the GPU memory they hold (none until rows are set). */
export class BatchValidation {
  private passes: ValidationPasses | null = null;
  private lists: readonly Uint32Array[] | null = null;
  private mem: GpuBuffers | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly context: ValidationContext,
    private readonly models: number,
  ) {}

  /** The passes, once rows are set. */
  get current(): ValidationPasses | null {
    return this.passes;
  }

  /** Builds the passes of `lists` (one row list per model); the same lists again change nothing. */
  async set(lists: readonly Uint32Array[]): Promise<void> {
    if (lists.length !== this.models) throw new Error(`validation needs a row list per model (${this.models}), got ${lists.length}`);
    if (this.lists && lists.every((rows, z) => rows === this.lists![z])) return;
    this.destroy();
    this.lists = lists;
    if (!lists.some((rows) => rows.length > 0)) return;
    const mem = new GpuBuffers(this.device);
    this.mem = mem;
    try {
      this.passes = await withErrorScopes(this.device, 'Preparing validation passes', () => new ValidationPasses(this.context, lists, mem));
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  /** The steps of `chunk` after which a pass runs, and which models each scores; written to the GPU. */
  stepsOf(chunk: BatchChunk): ValidationStep[] {
    const after = chunk.validateAfter;
    if (!after) return [];
    if (!this.passes) throw new Error('this batch has no validation rows to score');
    const steps: ValidationStep[] = [];
    for (let s = 0; s < chunk.steps; s++) {
      const models = Uint8Array.from({ length: this.models }, (_, z) => after[z * chunk.steps + s]!);
      if (models.some(Boolean)) steps.push({ step: s, models });
    }
    if (steps.length) this.passes.prepare(steps.map((p) => p.models));
    return steps;
  }

  /** Bytes of GPU memory the passes hold. */
  bytes(): number {
    return this.mem?.bytes() ?? 0;
  }

  /** Frees the passes' memory; set() may build new ones. */
  destroy(): void {
    this.mem?.destroy();
    this.mem = null;
    this.passes = null;
    this.lists = null;
  }
}
