import { cachedLayouts, cachedModule, cachedPipeline } from './compile-cache.ts';

/** How a kernel binding is declared, in the project-wide order: uniform, inputs, outputs. */
export type BindingKind = 'uniform' | 'read' | 'rw';

/**
 * A kernel family's bindings by their WGSL variable names, in binding order (binding 0 first):
 * e.g. `{ u: 'uniform', src: 'read', out: 'rw' }`. Binding 0 is always the uniform.
 */
export type BindingTable = Readonly<Record<string, BindingKind>>;

/** One encoded compute dispatch; a training step is an ordered list of these. */
export interface Dispatch {
  /** The kernel and the role it plays, e.g. "matmul_blocked · forward layer 0". */
  label: string;
  entry: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
  /**
   * The family that made `pipeline`, when known: encodeDispatches then runs the family's current
   * pipeline for the same entry and overrides, so an edited shader (the shader explorer) takes
   * over every dispatch at its next encoding.
   */
  family?: KernelFamily;
  /** Estimated work of one dispatch: floating-point operations and compulsory bytes moved. */
  cost?: { flops: number; bytes: number };
  /** The override constants its pipeline was built with (e.g. matmul's GROUP), for the explorer. */
  constants?: Record<string, number>;
}

/** A dispatch and the uniform buffer it owns (its builder destroys the uniform with the model). */
export interface OwnedDispatch {
  dispatch: Dispatch;
  uniform: GPUBuffer;
}

/** What KernelFamily.encode needs to build one dispatch. */
export interface EncodeJob {
  label: string;
  entry: string;
  /** Override constants of the entry point; one pipeline is cached per distinct set. */
  constants?: Record<string, number>;
  /** The packed uniform struct of binding 0. */
  uniform: ArrayBuffer;
  /**
   * Every storage binding, keyed by its WGSL name in binding order (the family's BindingTable
   * without `u`): a wrapper's typed record, e.g. `{ src, indices, state, out }`.
   */
  buffers: object;
  workgroups: [number, number, number];
  cost: { flops: number; bytes: number };
}

/**
 * One WGSL file: its module, its bind group layout (shared by every entry point), and its
 * pipelines, created once per entry point and override set and cached.
 */
export class KernelFamily {
  readonly layout: GPUBindGroupLayout;
  /** The pipeline layout every entry point shares (explicit, so edited shaders keep the bindings). */
  readonly pipelineLayout: GPUPipelineLayout;
  /** The WGSL source as shipped; `source` is the one running now (differs after adopt). */
  readonly originalSource: string;
  /** Binding kinds in binding order (binding 0, the uniform, first). */
  readonly bindings: readonly BindingKind[];
  /** WGSL variable names in binding order. */
  readonly bindingNames: readonly string[];
  private moduleNow: GPUShaderModule;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  /** Every pipeline this family ever made, by cache key, so older ones map to the current one. */
  private readonly keyOf = new Map<GPUComputePipeline, string>();
  private readonly keys = new Map<string, { entry: string; constants: Record<string, number> }>();

  constructor(
    readonly device: GPUDevice,
    readonly name: string,
    public source: string,
    table: BindingTable,
  ) {
    this.originalSource = source;
    this.bindings = Object.values(table);
    this.bindingNames = Object.keys(table);
    // Families made from the shipped source share what the device compiled (compile-cache.ts).
    this.moduleNow = cachedModule(device, name, source);
    const layouts = cachedLayouts(device, name, this.bindings);
    this.layout = layouts.layout;
    this.pipelineLayout = layouts.pipelineLayout;
  }

  /** The pipeline of `entry` specialised with `constants` (the file's override values). */
  pipeline(entry: string, constants: Record<string, number> = {}): GPUComputePipeline {
    const key = `${entry}:${JSON.stringify(constants)}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline =
        this.source === this.originalSource
          ? cachedPipeline(this.device, this.name, this.source, this, entry, constants)
          : this.device.createComputePipeline({
              label: `${this.name}.${entry} ${JSON.stringify(constants)} (edited)`,
              layout: this.pipelineLayout,
              compute: { module: this.moduleNow, entryPoint: entry, constants },
            });
      this.remember(key, entry, constants, pipeline);
    }
    return pipeline;
  }

  /** The shader module the family's pipelines come from now. */
  get module(): GPUShaderModule {
    return this.moduleNow;
  }

  /** Entry points and override sets that have a pipeline: what an edit must rebuild. */
  pipelineKeys(): { key: string; entry: string; constants: Record<string, number> }[] {
    return [...this.keys].map(([key, k]) => ({ key, ...k }));
  }

  /** The pipeline that stands for `pipeline` now: the same entry and overrides from the current module. */
  current(pipeline: GPUComputePipeline): GPUComputePipeline {
    const key = this.keyOf.get(pipeline);
    if (key === undefined) return pipeline;
    const k = this.keys.get(key)!;
    return this.pipelines.get(key) ?? this.pipeline(k.entry, k.constants);
  }

  /**
   * Switches the family to `source` compiled as `module`, with `prebuilt` pipelines by cache key
   * (from pipelineKeys); keys left out are created from the new module when next needed. Every
   * dispatch that names this family runs the new pipelines from its next encoding on.
   */
  adopt(source: string, module: GPUShaderModule, prebuilt: ReadonlyMap<string, GPUComputePipeline> = new Map()): void {
    this.source = source;
    this.moduleNow = module;
    this.pipelines.clear();
    for (const [key, pipeline] of prebuilt) {
      const k = this.keys.get(key);
      if (k) this.remember(key, k.entry, k.constants, pipeline);
    }
  }

  private remember(key: string, entry: string, constants: Record<string, number>, pipeline: GPUComputePipeline): void {
    this.pipelines.set(key, pipeline);
    this.keyOf.set(pipeline, key);
    this.keys.set(key, { entry, constants });
  }

  /**
   * Builds one dispatch: the uniform buffer holding `job.uniform`, a bind group that takes each
   * storage buffer by its WGSL name (so a swapped pair of same-typed buffers cannot slip
   * through), and the entry's pipeline specialised with `job.constants`.
   */
  encode(job: EncodeJob): OwnedDispatch {
    const names = this.bindingNames.slice(1);
    const buffers = job.buffers as Readonly<Record<string, GPUBuffer>>;
    const given = Object.keys(buffers);
    if (given.length !== names.length || names.some((n, i) => given[i] !== n)) {
      throw new Error(`${this.name}: buffers must be {${names.join(', ')}} in binding order, got {${given.join(', ')}}`);
    }
    const uniform = uniformBuffer(this.device, `${job.label} params`, job.uniform);
    try {
      const bindGroup = this.bindGroup(job.label, [uniform, ...names.map((n) => buffers[n]!)]);
      const pipeline = this.pipeline(job.entry, job.constants ?? {});
      return {
        dispatch: {
          label: `${job.entry} · ${job.label}`,
          entry: job.entry,
          pipeline,
          bindGroup,
          workgroups: job.workgroups,
          family: this,
          cost: job.cost,
          constants: job.constants ?? {},
        },
        uniform,
      };
    } catch (e) {
      uniform.destroy();
      throw e;
    }
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
 * Workgroups for `count` invocations of `workgroupSize` per model, folded into 2-D when one
 * dimension would exceed `maxPerDimension`, with the model index as the third dimension.
 * Kernels rebuild the index as gid.x + gid.y · pitch, and the model as gid.z.
 */
export function fold1d(count: number, workgroupSize: number, maxPerDimension = 65535, models = 1): { workgroups: [number, number, number]; pitch: number } {
  if (models > maxPerDimension) throw new Error(`${models} models exceed ${maxPerDimension} workgroups in the model dimension`);
  const groups = Math.max(1, Math.ceil(count / workgroupSize));
  if (groups <= maxPerDimension) return { workgroups: [groups, 1, models], pitch: groups * workgroupSize };
  const y = Math.ceil(groups / maxPerDimension);
  const x = Math.ceil(groups / y);
  if (y > maxPerDimension) throw new Error(`dispatch of ${count} invocations exceeds ${maxPerDimension}² workgroups`);
  return { workgroups: [x, y, models], pitch: x * workgroupSize };
}

/** Records dispatches in order into one compute pass. */
export function encodeDispatches(pass: GPUComputePassEncoder, dispatches: readonly Dispatch[]): void {
  for (const d of dispatches) {
    pass.setPipeline(d.family ? d.family.current(d.pipeline) : d.pipeline);
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
