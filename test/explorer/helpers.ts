import source from '../../shaders/matmul.wgsl';
import { acquireGpu, type GpuContext } from '../../src/gpu/device.ts';

let context: Promise<GpuContext> | null = null;

/** One device per test file, with timestamp-query when the adapter has it (as the explorer page asks). */
export function explorerGpu(): Promise<GpuContext> {
  context ??= acquireGpu(undefined, undefined, ['timestamp-query']);
  return context;
}

/** The shipped matmul.wgsl with `find` replaced by `replace` (throws when `find` is absent). */
export function editMatmul(find: string, replace: string, from = source): string {
  if (!from.includes(find)) throw new Error(`matmul.wgsl has no "${find}"`);
  return from.replace(find, replace);
}

/** 1-based line of the first occurrence of `text` in `code`. */
export function lineOf(code: string, text: string): number {
  const at = code.indexOf(text);
  if (at < 0) throw new Error(`no "${text}"`);
  return code.slice(0, at).split('\n').length;
}

/** Both matmul entries skip k = 0: the first term of every dot product is dropped. */
export function droppedTermMatmul(): string {
  let code = editMatmul('  var ap = 0u;\n  var bp = 0u;\n', '  var ap = u.a_cs;\n  var bp = u.b_rs;\n');
  code = editMatmul('  let steps = u.k;\n', '  let steps = u.k - 1u;\n', code);
  return editMatmul('for (var p = 0u; p < KT; p++) {', 'for (var p = 1u; p < KT; p++) {', code);
}

/**
 * Both matmul loops over k run in reverse: a reordered accumulation, equal within rounding. The
 * blocked entry walks A and B with running offsets, so those start at the last k and step back
 * (a u32 step of 0 - stride wraps to a step back).
 */
export function reversedLoopMatmul(): string {
  let code = editMatmul('  var ap = 0u;\n  var bp = 0u;\n', '  var ap = (u.k - 1u) * u.a_cs;\n  var bp = (u.k - 1u) * u.b_rs;\n');
  code = editMatmul('  let da = u.a_cs;\n  let db = u.b_rs;\n', '  let da = 0u - u.a_cs;\n  let db = 0u - u.b_rs;\n', code);
  return editMatmul('for (var p = 0u; p < KT; p++) {', 'for (var q = KT; q > 0u; q--) {\n      let p = q - 1u;', code);
}

/** Every output of C written as zero (the product and epilogue are thrown away). */
export function zeroMatmul(): string {
  return editMatmul('c[c_base + at] = v;', 'c[c_base + at] = 0.0 * v;');
}
