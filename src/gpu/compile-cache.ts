// What a device has compiled for the shipped kernels, kept for the device's lifetime: shader
// modules by source, bind group and pipeline layouts by family, pipelines by source, entry point
// and override values. Every model the worker builds makes its kernel families afresh (a rebuild
// on a config change, each member of a job, every test), and compiling the same WGSL again costs
// seconds on a software adapter and noticeable time on real drivers; the compiled objects are
// immutable, so one copy serves every family made from the same source on the same device.
// Edited sources (the shader explorer) are compiled by the explorer itself and not kept here.

/** One family's layouts: the bind group layout and the pipeline layout over it. */
export interface FamilyLayouts {
  layout: GPUBindGroupLayout;
  pipelineLayout: GPUPipelineLayout;
}

interface DeviceCache {
  modules: Map<string, GPUShaderModule>;
  layouts: Map<string, FamilyLayouts>;
  pipelines: Map<string, GPUComputePipeline>;
}

const caches = new WeakMap<GPUDevice, DeviceCache>();

function cacheOf(device: GPUDevice): DeviceCache {
  let cache = caches.get(device);
  if (!cache) {
    cache = { modules: new Map(), layouts: new Map(), pipelines: new Map() };
    caches.set(device, cache);
  }
  return cache;
}

/** The module compiled from `source` on `device`, made once. */
export function cachedModule(device: GPUDevice, name: string, source: string): GPUShaderModule {
  const { modules } = cacheOf(device);
  let module = modules.get(source);
  if (!module) {
    module = device.createShaderModule({ label: `${name}.wgsl`, code: source });
    modules.set(source, module);
  }
  return module;
}

/**
 * The layouts of family `name` with storage and uniform bindings `kinds` (binding 0 first), made
 * once per device. Bind groups made with them fit every pipeline made with them.
 */
export function cachedLayouts(device: GPUDevice, name: string, kinds: readonly ('uniform' | 'read' | 'rw')[]): FamilyLayouts {
  const { layouts } = cacheOf(device);
  const key = `${name}:${kinds.join(',')}`;
  let made = layouts.get(key);
  if (!made) {
    const layout = device.createBindGroupLayout({
      label: `${name} bindings`,
      entries: kinds.map((kind, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: kind === 'uniform' ? 'uniform' : kind === 'read' ? 'read-only-storage' : 'storage' },
      })),
    });
    made = { layout, pipelineLayout: device.createPipelineLayout({ label: `${name} layout`, bindGroupLayouts: [layout] }) };
    layouts.set(key, made);
  }
  return made;
}

/** The pipeline of `entry` in `source` with override `constants`, made once per device. */
export function cachedPipeline(
  device: GPUDevice,
  name: string,
  source: string,
  layouts: FamilyLayouts,
  entry: string,
  constants: Record<string, number>,
): GPUComputePipeline {
  const { pipelines } = cacheOf(device);
  const key = `${name}:${entry}:${JSON.stringify(constants)}:${source}`;
  let pipeline = pipelines.get(key);
  if (!pipeline) {
    pipeline = device.createComputePipeline({
      label: `${name}.${entry} ${JSON.stringify(constants)}`,
      layout: layouts.pipelineLayout,
      compute: { module: cachedModule(device, name, source), entryPoint: entry, constants },
    });
    pipelines.set(key, pipeline);
  }
  return pipeline;
}
