import type { KernelFamily } from '../gpu/kernel.ts';
import { stripComments } from './catalog.ts';
import { withDeviceLock } from './device-lock.ts';

/** Largest WGSL source the explorer compiles, in UTF-8 bytes; larger ones are refused unread. */
export const MAX_SOURCE_BYTES = 64 * 1024;

/** One compiler or pipeline message, at a 1-based line and column of the edited source. */
export interface CompileMessage {
  type: GPUCompilationMessageType;
  /** 1-based; 0 when the message has no position. */
  line: number;
  column: number;
  /** Characters the message covers from its column (0 when unknown). */
  length: number;
  message: string;
}

/** Where a compile ended. */
export type CompileStage = 'refused' | 'shader' | 'pipeline' | 'superseded' | 'compiled';

/** The outcome of compiling an edited kernel. */
export interface CompileResult {
  ok: boolean;
  stage: CompileStage;
  /** Errors first, then warnings and notes, as getCompilationInfo ordered them. */
  messages: CompileMessage[];
  /** One line for the page, e.g. "matmul.wgsl: 2 pipelines compiled, now running". */
  summary: string;
}

interface Original {
  source: string;
  module: GPUShaderModule;
  pipelines: Map<string, GPUComputePipeline>;
}

const originals = new WeakMap<KernelFamily, Original>();
const generation = new WeakMap<KernelFamily, number>();

/**
 * Compiles `source` as a new version of `family`: refuses sources over MAX_SOURCE_BYTES, creates
 * the shader module inside error scopes and reads getCompilationInfo, then rebuilds every
 * pipeline the family has (each entry point and override set) with createComputePipelineAsync.
 * Only when all of them compile does the family switch to them, and with it every dispatch that
 * names the family, from its next encoding; until then the last good pipelines keep running.
 * Nothing here can raise an uncaptured device error. Compiles and checks on one device take
 * turns (withDeviceLock); an edit requested while an older one waits or compiles supersedes it.
 */
export async function compileKernel(device: GPUDevice, family: KernelFamily, source: string): Promise<CompileResult> {
  const file = `${family.name}.wgsl`;
  const bytes = new TextEncoder().encode(source).length;
  if (bytes > MAX_SOURCE_BYTES) {
    const message = `${file}: the source is ${bytes} bytes; the explorer compiles at most ${MAX_SOURCE_BYTES} bytes (64 KiB)`;
    return { ok: false, stage: 'refused', messages: [{ type: 'error', line: 0, column: 0, length: 0, message }], summary: message };
  }
  const mine = (generation.get(family) ?? 0) + 1;
  generation.set(family, mine);
  return withDeviceLock(device, () => (generation.get(family) === mine ? compileNow(device, family, source, mine) : Promise.resolve(superseded(file))));
}

function superseded(file: string): CompileResult {
  return { ok: false, stage: 'superseded', messages: [], summary: `${file}: a newer edit (or a reset) replaced this one before it ran` };
}

async function compileNow(device: GPUDevice, family: KernelFamily, source: string, mine: number): Promise<CompileResult> {
  const file = `${family.name}.wgsl`;
  device.pushErrorScope('validation');
  device.pushErrorScope('internal');
  const module = device.createShaderModule({ label: `${file} (edited)`, code: source });
  const info = await module.getCompilationInfo();
  const internal = await device.popErrorScope();
  const validation = await device.popErrorScope();
  const messages = info.messages.map((m) => ({ type: m.type, line: m.lineNum, column: m.linePos, length: m.length, message: m.message }));
  const scopeError = validation ?? internal;
  if (messages.some((m) => m.type === 'error') || scopeError) {
    if (!messages.some((m) => m.type === 'error')) messages.unshift({ type: 'error', line: 0, column: 0, length: 0, message: scopeError!.message });
    const errors = messages.filter((m) => m.type === 'error');
    const first = errors[0]!;
    return {
      ok: false,
      stage: 'shader',
      messages: sortMessages(messages),
      summary: `${file}: ${errors.length} error${errors.length > 1 ? 's' : ''}; first at ${first.line}:${first.column}: ${first.message}`,
    };
  }

  const keys = family.pipelineKeys();
  const built = new Map<string, GPUComputePipeline>();
  const failures: CompileMessage[] = [];
  device.pushErrorScope('validation');
  device.pushErrorScope('internal');
  await Promise.all(
    keys.map(async (k) => {
      try {
        const pipeline = await device.createComputePipelineAsync({
          label: `${family.name}.${k.entry} ${JSON.stringify(k.constants)} (edited)`,
          layout: family.pipelineLayout,
          compute: { module, entryPoint: k.entry, constants: k.constants },
        });
        built.set(k.key, pipeline);
      } catch (e) {
        failures.push(pipelineMessage(source, k.entry, e));
      }
    }),
  );
  const lateInternal = await device.popErrorScope();
  const late = (await device.popErrorScope()) ?? lateInternal;
  if (late && failures.length === 0) failures.push({ type: 'error', line: 0, column: 0, length: 0, message: `pipeline creation failed: ${late.message}` });
  if (failures.length) {
    return { ok: false, stage: 'pipeline', messages: [...failures, ...messages], summary: `${file}: pipeline creation failed: ${failures[0]!.message}` };
  }
  if (generation.get(family) !== mine) return superseded(file);
  if (!originals.has(family)) {
    const pipelines = new Map(keys.map((k) => [k.key, family.pipeline(k.entry, k.constants)] as const));
    originals.set(family, { source: family.originalSource, module: family.module, pipelines });
  }
  family.adopt(source, module, built);
  const n = keys.length;
  return { ok: true, stage: 'compiled', messages, summary: `${file}: ${n} pipeline${n === 1 ? '' : 's'} compiled; the edited kernel is running` };
}

/** Puts the shipped source and its original pipelines back; true when there was an edit to undo. */
export function resetKernel(family: KernelFamily): boolean {
  generation.set(family, (generation.get(family) ?? 0) + 1);
  const original = originals.get(family);
  if (!original || (family.source === original.source && family.module === original.module)) return false;
  family.adopt(original.source, original.module, original.pipelines);
  return true;
}

/** True when the family runs a source other than the one it shipped with. */
export function isEdited(family: KernelFamily): boolean {
  return family.source !== family.originalSource || (originals.has(family) && family.module !== originals.get(family)!.module);
}

/**
 * A pipeline failure as a message. GPUPipelineError has no position, so it is placed on the
 * entry point: at its @workgroup_size when the message is about the workgroup size, else at
 * its `fn` line.
 */
function pipelineMessage(source: string, entry: string, e: unknown): CompileMessage {
  const text = e instanceof Error ? e.message : String(e);
  const code = stripComments(source);
  const fnAt = new RegExp(`\\bfn\\s+${entry}\\b`).exec(code)?.index ?? -1;
  let at = fnAt;
  let length = fnAt >= 0 ? `fn ${entry}`.length : 0;
  if (fnAt >= 0 && /workgroup/i.test(text)) {
    const attr = code.lastIndexOf('@workgroup_size', fnAt);
    if (attr >= 0 && !code.slice(attr, fnAt).includes('{')) {
      at = attr;
      length = code.indexOf(')', attr) + 1 - attr;
    }
  }
  const { line, column } = at >= 0 ? position(source, at) : { line: 0, column: 0 };
  return { type: 'error', line, column, length, message: `pipeline for entry point ${entry}: ${text.split('\n')[0]}` };
}

/** 1-based line and column of a character offset. */
export function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function sortMessages(messages: CompileMessage[]): CompileMessage[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return [...messages].sort((a, b) => rank[a.type] - rank[b.type]);
}
