import { arenaLayout } from '../nn/arena.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import { EVAL_CHUNK_ROWS } from '../reference/model.ts';
import type { DropoutStep } from '../reference/stack.ts';
import type { BatchSetup, ModelSetup } from '../train/training-backend.ts';
import { CpuArena } from './arena.ts';
import { augmentInPlace, gatherInto } from './input.ts';
import { WasmHeap, type Kernels } from './kernels.ts';
import { lossPass, type LossTotals } from './loss.ts';
import { CpuStack } from './stack.ts';

/** One model of a fast CPU batch: its setup, its arena (parameters and Adam moments) and its optimizer settings. */
export interface FastCpuMember {
  setup: ModelSetup;
  arena: CpuArena;
  optimizer: OptimizerConfig;
}

/**
 * The numerics of a fast CPU batch: the models' arenas in one WebAssembly heap, sharing the
 * scratch of one CpuStack, with one training step and one forward pass and loss over gathered
 * rows. It neither queues nor yields: FastCpuBackend decides when each pass runs.
 */
export class FastCpuModels {
  readonly heap: WasmHeap;
  readonly stack: CpuStack;
  readonly members: FastCpuMember[];
  /** Targets of the rows in the stack, [capacity, targetWidth]. */
  private readonly targets: Float32Array;
  /** Row weights of the rows in the stack, [capacity]. */
  private readonly rowWeights: Float32Array;

  constructor(
    k: Kernels,
    private readonly setup: BatchSetup,
  ) {
    const { spec } = setup;
    this.heap = new WasmHeap(k);
    const layout = arenaLayout(spec);
    const dropout = spec.hidden.map((_, i) => setup.models.some((m) => (m.dropout?.[i] ?? 0) > 0));
    // Evaluation runs in chunks of EVAL_CHUNK_ROWS through the same scratch as training.
    const capacity = Math.max(setup.batchCapacity, EVAL_CHUNK_ROWS);
    this.stack = new CpuStack(this.heap, spec, capacity, { dropout });
    this.members = setup.models.map((m) => ({
      setup: m,
      arena: new CpuArena(this.heap, layout.totalFloats, layout.weightsEnd, m.params),
      optimizer: { ...m.optimizer },
    }));
    this.targets = new Float32Array(capacity * setup.data.targetWidth);
    this.rowWeights = new Float32Array(capacity);
  }

  /** One training step of model z on `rows` dataset rows. */
  trainStep(z: number, indices: Uint32Array, rows: number, learningRate?: number): LossTotals {
    const { spec, data, augment } = this.setup;
    const member = this.members[z]!;
    const { arena, setup: m } = member;
    const x = this.gather(m, indices, rows, true);
    if (augment) augmentInPlace(x, rows, data.inputSize, { ...augment, seed: m.seeds.augment }, arena.t);
    const rates = m.dropout;
    const dropout: DropoutStep | null = rates?.some((p) => p > 0) ? { rates, seed: m.seeds.dropout, step: arena.t } : null;
    this.stack.forward(arena.params, rows, dropout);
    const width = spec.outputSize;
    const logits = this.heap.f32(this.stack.output, rows * width);
    const grad = this.heap.f32(this.stack.dzLast, rows * width);
    if (m.rowWeights) gatherInto(this.rowWeights, m.rowWeights, 1, indices, rows);
    const totals = lossPass(spec.loss, logits, this.targets, rows, width, m.classWeights, { grad }, m.rowWeights ? this.rowWeights : null);
    this.stack.backward(arena.params, arena.grads, rows, this.stack.dzLast, null, dropout);
    arena.step(member.optimizer, learningRate);
    return totals;
  }

  /** Gathers rows into the stack's input (and, with `targets`, their targets); returns the input view. */
  gather(m: ModelSetup, indices: ArrayLike<number>, rows: number, targets: boolean): Float32Array {
    const { data } = this.setup;
    const x = this.heap.f32(this.stack.x, rows * data.inputSize);
    gatherInto(x, m.features ?? data.features, data.inputSize, indices, rows);
    if (targets) gatherInto(this.targets, data.targets, data.targetWidth, indices, rows);
    return x;
  }

  /** Forward pass and loss of model z over `rows` gathered rows; outputs go to `outputs` when given. */
  score(z: number, rows: number, targets: boolean, outputs?: Float32Array): LossTotals {
    const { spec } = this.setup;
    const member = this.members[z]!;
    this.stack.forward(member.arena.params, rows);
    const logits = this.heap.f32(this.stack.output, rows * spec.outputSize);
    return lossPass(
      spec.loss,
      logits,
      targets ? this.targets : null,
      rows,
      spec.outputSize,
      targets ? member.setup.classWeights : null,
      outputs ? { outputs } : {},
    );
  }
}
