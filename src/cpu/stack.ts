import { activationId, type Activation } from '../nn/activation.ts';
import { arenaLayout, layerTensors, type ArenaLayout } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import type { DropoutStep } from '../reference/stack.ts';
import type { WasmHeap } from './kernels.ts';

/** What a stack's scratch must hold besides the forward pass. */
export interface StackOptions {
  /** Hidden layers whose outputs may be dropped (each gets a buffer for its masked copy). */
  dropout?: readonly boolean[];
  /** Keep a buffer for the gradient w.r.t. the input (a discriminator feeding a generator). */
  inputGrad?: boolean;
}

/**
 * A dense network's passes over `capacity` rows in one WebAssembly heap: the float32 twin of
 * src/reference/stack.ts. It owns the scratch (input rows, every layer's output, masked copies
 * for dropout, two gradient buffers, the matmul workspace); parameter and gradient arenas are
 * passed in, so one stack serves every model of a batch, one after another.
 */
export class CpuStack {
  readonly layers;
  readonly layout: ArenaLayout;
  /** Byte offset of the input rows [capacity, inputSize] that forward() reads by default. */
  readonly x: number;
  /** Byte offset of the gradient the loss writes [capacity, outputSize] (backward's usual dzLast). */
  readonly dzLast: number;
  /** Byte offset of the input gradient [capacity, inputSize], when asked for. */
  readonly dInput: number;
  /** outs[0] is the input, outs[i + 1] layer i's output (undropped); set per forward pass. */
  private readonly outs: number[];
  /** What layer i consumed: outs[i], or its masked copy under dropout; set per forward pass. */
  private readonly ins: number[];
  private readonly masked: number[];
  private readonly dz: [number, number];
  private readonly work: number;
  private readonly acts: number[];
  private readonly offsets: { weight: number; bias: number }[];

  constructor(
    private readonly heap: WasmHeap,
    spec: ModelSpec,
    readonly capacity: number,
    opts: StackOptions = {},
  ) {
    this.layers = denseLayers(spec);
    this.layout = arenaLayout(spec);
    this.acts = this.layers.map((l) => activationId(l.activation));
    this.offsets = this.layers.map((_, i) => {
      const { weight, bias } = layerTensors(this.layout, i);
      return { weight: weight.offset * 4, bias: bias.offset * 4 };
    });
    const widest = Math.max(spec.inputSize, ...this.layers.map((l) => l.units));
    this.x = heap.alloc(capacity * spec.inputSize);
    this.outs = [this.x, ...this.layers.map((l) => heap.alloc(capacity * l.units))];
    this.ins = [...this.outs];
    this.masked = this.layers.map((l, i) => (opts.dropout?.[i] && i < this.layers.length - 1 ? heap.alloc(capacity * l.units) : -1));
    this.dz = [heap.alloc(capacity * widest), heap.alloc(capacity * widest)];
    this.dzLast = this.dz[0];
    this.dInput = opts.inputGrad ? heap.alloc(capacity * spec.inputSize) : -1;
    this.work = heap.alloc(Math.max(...this.layers.map((l) => heap.k.gemmWorkFloats(Math.max(l.units, l.inputs)))));
  }

  /** Byte offset of the last layer's output (logits, or a generator's pixels) after forward(). */
  get output(): number {
    return this.outs[this.outs.length - 1]!;
  }

  /**
   * Layer outputs for `rows` rows of `input` (default: the stack's own input buffer). With dropout,
   * a hidden layer's masked copy feeds the next layer; its undropped output stays for act'.
   */
  forward(params: number, rows: number, dropout: DropoutStep | null = null, input = this.x): void {
    const k = this.heap.k;
    this.outs[0] = input;
    this.ins[0] = input;
    this.layers.forEach((l, i) => {
      const { weight, bias } = this.offsets[i]!;
      const y = this.outs[i + 1]!;
      k.gemm(rows, l.units, l.inputs, this.ins[i]!, l.inputs, 1, params + weight, l.units, 1, y, l.units, 0, this.work);
      k.biasActivation(y, rows, l.units, params + bias, this.acts[i]!);
      const rate = i < this.layers.length - 1 ? (dropout?.rates[i] ?? 0) : 0;
      if (rate > 0) {
        const masked = this.masked[i]!;
        if (masked < 0) throw new Error(`this stack has no dropout buffer for layer ${i}`);
        k.dropout(masked, y, rows * l.units, dropout!.seed, i, dropout!.step, Math.fround(rate), 1 / (1 - Math.fround(rate)));
        this.ins[i + 1] = masked;
      } else {
        this.ins[i + 1] = y;
      }
    });
  }

  /**
   * Back-propagates `dzLast` (d loss / d last pre-activation, [rows, outputSize]) through the
   * layers of the last forward pass: dW and db of every layer into `grads` (padding untouched),
   * and with `inputActivation`, the input gradient times that activation's derivative into
   * dInput. With dropout, pass the forward pass's DropoutStep: dropped units get no gradient.
   * `weightGrads` false skips dW and db (a generator step only needs D's input gradient).
   */
  backward(
    params: number,
    grads: number,
    rows: number,
    dzLast = this.dzLast,
    inputActivation: Activation | null = null,
    dropout: DropoutStep | null = null,
    weightGrads = true,
  ): void {
    const k = this.heap.k;
    let dz = dzLast;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      const { weight, bias } = this.offsets[i]!;
      if (weightGrads) {
        // dW = Xᵀ·dZ: X [rows, inputs] read transposed.
        k.gemm(l.inputs, l.units, rows, this.ins[i]!, 1, l.inputs, dz, l.units, 1, grads + weight, l.units, 0, this.work);
        k.biasGrad(grads + bias, dz, rows, l.units);
      }
      const prevAct = i > 0 ? this.acts[i - 1]! : inputActivation === null ? -1 : activationId(inputActivation);
      if (prevAct < 0) continue;
      if (i === 0 && this.dInput < 0) throw new Error('this stack keeps no input gradient');
      const dPrev = i === 0 ? this.dInput : dz === this.dz[0] ? this.dz[1] : this.dz[0];
      // dX = dZ·Wᵀ: W [inputs, units] read transposed.
      k.gemm(rows, l.inputs, l.units, dz, l.units, 1, params + weight, 1, l.units, dPrev, l.inputs, 0, this.work);
      k.activationGrad(dPrev, this.outs[i]!, rows * l.inputs, prevAct);
      const rate = i > 0 ? (dropout?.rates[i - 1] ?? 0) : 0;
      if (rate > 0) k.dropout(dPrev, dPrev, rows * l.inputs, dropout!.seed, i - 1, dropout!.step, Math.fround(rate), 1 / (1 - Math.fround(rate)));
      dz = dPrev;
    }
  }
}
