import type { BindingKind, Dispatch, KernelFamily } from '../gpu/kernel.ts';

/** One binding of a kernel: its slot, how the layout declares it, and its name in the WGSL. */
export interface BindingInfo {
  binding: number;
  kind: BindingKind;
  /** The variable's name in the source, e.g. "logits"; "?" when the source does not declare it. */
  name: string;
}

/** One dispatch of a training step as the shader explorer lists it. */
export interface KernelEntry {
  /** Position in the step, from 0. */
  index: number;
  label: string;
  /** Kernel family (= WGSL file without extension), or null for a dispatch that does not say. */
  family: string | null;
  /** e.g. "matmul.wgsl". */
  file: string | null;
  entry: string;
  workgroups: [number, number, number];
  /** @workgroup_size of the entry point in the running source, when it can be read. */
  workgroupSize: [number, number, number] | null;
  /** workgroups × workgroup size; null when the workgroup size is unknown. */
  invocations: number | null;
  bindings: BindingInfo[];
  /** Estimated floating-point operations of one dispatch (see `stepCatalog`). */
  flops: number | null;
  /** Estimated compulsory bytes read and written by one dispatch. */
  bytes: number | null;
}

/**
 * The kernels one training step runs, in order, from a backend's `stepDispatches`.
 *
 * Costs come from each wrapper's `dispatch()` (`Dispatch.cost`), computed from the shapes it was
 * given; in f32, 4 bytes per element, counting every operand once (compulsory traffic, not what
 * caches actually move):
 * - matmul C[m,n] = A[m,k]·B[k,n]: FLOPs 2·m'·n·k + 2·m·n for a fused epilogue (m' = m + 1 with
 *   the bias-gradient row); bytes 4·(m·k + k·n + m'·n + e), e = n for a bias, m·n for act'(y).
 * - gather (capacity × width): 0 FLOPs; bytes 4·(capacity + 2·capacity·width).
 * - loss (capacity × width logits): ≈ 6·capacity·width FLOPs (max, two exps, sum, divide,
 *   gradient); bytes 4·(2·capacity·width + capacity·(targetWidth + 1)).
 * - optimizer over an arena of n floats: sgd 6n FLOPs and 4·3n bytes, momentum 9n and 4·5n,
 *   adam/adamw 18n and 4·7n (regularization included).
 * - argmax (rows × width): rows·width comparisons; bytes 4·(rows·width + rows).
 */
export function stepCatalog(dispatches: readonly Dispatch[]): KernelEntry[] {
  return dispatches.map((d, index) => {
    const family = d.family ?? null;
    const workgroupSize = family ? workgroupSizeOf(family.source, d.entry, d.constants) : null;
    const groups = d.workgroups[0] * d.workgroups[1] * d.workgroups[2];
    return {
      index,
      label: d.label,
      family: family?.name ?? null,
      file: family ? `${family.name}.wgsl` : null,
      entry: d.entry,
      workgroups: [...d.workgroups],
      workgroupSize,
      invocations: workgroupSize ? groups * workgroupSize[0] * workgroupSize[1] * workgroupSize[2] : null,
      bindings: family ? bindingsOf(family) : [],
      flops: d.cost?.flops ?? null,
      bytes: d.cost?.bytes ?? null,
    };
  });
}

/** The distinct kernel families of a dispatch list, in order of first use. */
export function familiesOf(dispatches: readonly Dispatch[]): KernelFamily[] {
  const seen: KernelFamily[] = [];
  for (const d of dispatches) if (d.family && !seen.includes(d.family)) seen.push(d.family);
  return seen;
}

/** A family's bindings: kinds from its explicit layout, names from its running source. */
export function bindingsOf(family: KernelFamily): BindingInfo[] {
  const names = bindingNames(family.source);
  return family.bindings.map((kind, binding) => ({ binding, kind, name: names.get(binding) ?? '?' }));
}

/** `@binding(n) var<…> name` declarations of a WGSL source, by binding number. */
export function bindingNames(source: string): Map<number, string> {
  const names = new Map<number, string>();
  const re = /@binding\(\s*(\d+)\s*\)\s*var(?:<[^>]*>)?\s+([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of stripComments(source).matchAll(re)) names.set(Number(m[1]), m[2]!);
  return names;
}

/**
 * The @workgroup_size of compute entry point `entry`, with missing dimensions as 1. Literal
 * sizes, module-scope `const`s and `override`s are understood: an override takes its value from
 * `constants` (the pipeline's), else its declared default. Any other expression gives null.
 */
export function workgroupSizeOf(source: string, entry: string, constants: Record<string, number> = {}): [number, number, number] | null {
  const code = stripComments(source);
  const re = new RegExp(`@workgroup_size\\(([^)]*)\\)[^{]*?\\bfn\\s+${entry}\\b`);
  const m = re.exec(code);
  if (!m) return null;
  const dims = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => constants[s] ?? constValue(code, s));
  if (dims.length === 0 || dims.some((v) => v === null)) return null;
  return [dims[0]!, dims[1] ?? 1, dims[2] ?? 1];
}

function constValue(code: string, expr: string): number | null {
  const literal = /^(\d+)[ui]?$/.exec(expr);
  if (literal) return Number(literal[1]);
  if (!/^[A-Za-z_]\w*$/.test(expr)) return null;
  const decl = new RegExp(`\\b(?:const|override)\\s+${expr}\\s*(?::\\s*\\w+)?\\s*=\\s*(\\d+)[ui]?\\s*;`).exec(code);
  return decl ? Number(decl[1]) : null;
}

/** The source with comments blanked out (same length, so offsets still match). */
export function stripComments(source: string): string {
  return source.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
}

/** "1.2 kB", "3.4 MB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'n/a';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** "850", "12.3 k", "4.5 M", "1.2 G" floating-point operations. */
export function formatCount(n: number | null): string {
  if (n === null) return 'n/a';
  if (n < 1000) return String(n);
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const [scale, unit] = units.find(([s]) => n >= s)!;
  return `${(n / scale).toFixed(1)} ${unit}`;
}
