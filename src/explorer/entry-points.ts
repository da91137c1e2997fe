// The kernels of the shipped WGSL files read from their text alone: every compute entry point,
// its workgroup size and the file's bindings. The shader explorer lists them before (or without)
// a GPU device; the step's own dispatches, with sizes and times, need the network built on one.
import type { BindingKind } from '../gpu/kernel.ts';
import { bindingNames, stripComments, workgroupSizeOf, type BindingInfo } from './catalog.ts';
import type { KernelSource } from './sources.ts';

/** One compute entry point of a WGSL file, as its source declares it. */
export interface SourceEntryPoint {
  /** e.g. "matmul.wgsl". */
  file: string;
  /** Kernel family: the file name without `.wgsl`. */
  family: string;
  entry: string;
  /** The @workgroup_size, overrides at their declared defaults; null when it cannot be read. */
  workgroupSize: [number, number, number] | null;
  /** The @workgroup_size as written, e.g. "4, 4, GROUP". */
  workgroupSizeText: string;
  /** The file's bindings (one layout per file: every entry point shares them). */
  bindings: BindingInfo[];
}

const ENTRY = /@compute\s+@workgroup_size\(([^)]*)\)\s*fn\s+([A-Za-z_]\w*)/g;
const VAR = /@binding\(\s*(\d+)\s*\)\s*var<\s*(uniform|storage)\s*(?:,\s*(read_write|read)\s*)?>/g;

/** The bindings a WGSL source declares, in binding order: uniform, read-only or read-write storage. */
export function sourceBindings(source: string): BindingInfo[] {
  const code = stripComments(source);
  const names = bindingNames(code);
  const kinds = new Map<number, BindingKind>();
  // `var<storage>` without an access mode is read-only in WGSL.
  for (const m of code.matchAll(VAR)) kinds.set(Number(m[1]), m[2] === 'uniform' ? 'uniform' : m[3] === 'read_write' ? 'rw' : 'read');
  return [...kinds.keys()].sort((a, b) => a - b).map((binding) => ({ binding, kind: kinds.get(binding)!, name: names.get(binding) ?? '?' }));
}

/** Every compute entry point of `files`, file by file in their order, entry points in source order. */
export function sourceEntryPoints(files: readonly KernelSource[]): SourceEntryPoint[] {
  return files.flatMap(({ name, source }) => {
    const bindings = sourceBindings(source);
    return [...stripComments(source).matchAll(ENTRY)].map((m) => ({
      file: `${name}.wgsl`,
      family: name,
      entry: m[2]!,
      workgroupSize: workgroupSizeOf(source, m[2]!),
      workgroupSizeText: m[1]!.trim(),
      bindings,
    }));
  });
}
