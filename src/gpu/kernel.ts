/** How a kernel binding is declared, in the project-wide order: uniform, inputs, outputs. */
export type BindingKind = 'uniform' | 'read' | 'rw';

/** One encoded compute dispatch; a training step is an ordered list of these. */
export interface Dispatch {
  /** The kernel and the role it plays, e.g. "matmul_blocked · forward layer 0". */
  label: string;
  entry: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
}

/**
 * One WGSL file: its module, its bind group layout (shared by every entry point), and its
 * pipelines, created once per entry point and override set and cached.
 */
export class KernelFamily {
  readonly layout: GPUBindGroupLayout;
  private readonly module: GPUShaderModule;
  private readonly pipelineLayout: GPUPipelineLayout;
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(
    readonly device: GPUDevice,
    readonly name: string,
    readonly source: string,
    readonly bindings: readonly BindingKind[],
  ) {
    this.module = device.createShaderModule({ label: `${name}.wgsl`, code: source });
    this.layout = device.createBindGroupLayout({
      label: `${name} bindings`,
      entries: bindings.map((kind, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: kind === 'uniform' ? 'uniform' : kind === 'read' ? 'read-only-storage' : 'storage' },
      })),
    });
    this.pipelineLayout = device.createPipelineLayout({ label: `${name} layout`, bindGroupLayouts: [this.layout] });
  }

  /** The pipeline of `entry` specialised with `constants` (the file's override values). */
  pipeline(entry: string, constants: Record<string, number> = {}): GPUComputePipeline {
    const key = `${entry}:${JSON.stringify(constants)}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline = this.device.createComputePipeline({
        label: `${this.name}.${entry} ${JSON.stringify(constants)}`,
        layout: this.pipelineLayout,
        compute: { module: this.module, entryPoint: entry, constants },
      });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** A bind group over whole buffers, in binding order. */
  bindGroup(label: string, buffers: readonly GPUBuffer[]): GPUBindGroup {
    if (buffers.length !== this.bindings.length) {
      throw new Error(`${this.name}: expected ${this.bindings.length} buffers, got ${buffers.length}`);
    }
    return this.device.createBindGroup({
      label,
      layout: this.layout,
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }
}

/**
 * Workgroups for `count` invocations of `workgroupSize`, folded into 2-D when one dimension
 * would exceed `maxPerDimension`. Kernels rebuild the index as gid.x + gid.y · pitch.
 */
export function fold1d(count: number, workgroupSize: number, maxPerDimension = 65535): { workgroups: [number, number, number]; pitch: number } {
  const groups = Math.max(1, Math.ceil(count / workgroupSize));
  if (groups <= maxPerDimension) return { workgroups: [groups, 1, 1], pitch: groups * workgroupSize };
  const y = Math.ceil(groups / maxPerDimension);
  const x = Math.ceil(groups / y);
  if (y > maxPerDimension) throw new Error(`dispatch of ${count} invocations exceeds ${maxPerDimension}² workgroups`);
  return { workgroups: [x, y, 1], pitch: x * workgroupSize };
}

/** Records dispatches in order into one compute pass. */
export function encodeDispatches(pass: GPUComputePassEncoder, dispatches: readonly Dispatch[]): void {
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(...d.workgroups);
  }
}

/** A uniform buffer holding `data`, labelled. */
export function uniformBuffer(device: GPUDevice, label: string, data: ArrayBuffer): GPUBuffer {
  const buffer = device.createBuffer({ label, size: Math.max(16, data.byteLength), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}
