import { expect } from '@esm-bundle/chai';
import source from '../../shaders/matmul.wgsl';
import { MatmulKernel } from '../../src/gpu/kernels/matmul.ts';
import { compileKernel, isEdited, MAX_SOURCE_BYTES, resetKernel } from '../../src/explorer/edit.ts';
import { editMatmul, explorerGpu, lineOf, reversedLoopMatmul } from './helpers.ts';

const CONSTANTS = { LEAKY_SLOPE: 0.2 };

/** A matmul family with pipelines for both entry points, as a backend would have. */
async function matmulFamily() {
  const { device } = await explorerGpu();
  const kernel = new MatmulKernel(device, 'blocked');
  kernel.family.pipeline('matmul_blocked', CONSTANTS);
  kernel.family.pipeline('matmul_tiled', CONSTANTS);
  return { device, family: kernel.family };
}

describe('compileKernel: compile messages at their line and column', () => {
  const broken: { name: string; code: string; line: number; column: number; includes: RegExp }[] = [];
  {
    const syntax = editMatmul('let row0 = wid.y * 32u + lid.y * 8u;', 'let row0 = wid.y * 32u + lid.y * 8u');
    // The parser notices the missing ';' at the next token, on the following line.
    broken.push({
      name: 'syntax error (missing semicolon)',
      code: syntax,
      line: lineOf(syntax, 'let col0 = wid.x * 32u + lid.x;'),
      column: 3,
      includes: /expected ';'/,
    });
    const type = editMatmul('let row0 = wid.y * 32u + lid.y * 8u;', 'let row0: f32 = wid.y * 32u + lid.y * 8u;');
    broken.push({ name: 'type error (u32 into f32)', code: type, line: lineOf(type, 'let row0: f32'), column: 7, includes: /f32.*u32|u32.*f32/ });
    const uniformity = editMatmul(
      '    workgroupBarrier();\n    for (var p = 0u; p < KT',
      '    if (lid.x == 0u) { workgroupBarrier(); }\n    for (var p = 0u; p < KT',
    );
    const barrierLine = lineOf(uniformity, 'if (lid.x == 0u) { workgroupBarrier(); }');
    const barrierColumn = uniformity.split('\n')[barrierLine - 1]!.indexOf('workgroupBarrier') + 1;
    broken.push({
      name: 'uniformity violation (barrier under a non-uniform branch)',
      code: uniformity,
      line: barrierLine,
      column: barrierColumn,
      includes: /uniform control flow/,
    });
  }

  for (const b of broken) {
    it(`${b.name}: reported at ${b.line}:${b.column}, the family keeps its pipelines`, async () => {
      const { device, family } = await matmulFamily();
      const before = family.pipeline('matmul_blocked', CONSTANTS);
      const result = await compileKernel(device, family, b.code);
      expect(result.ok).to.equal(false);
      expect(result.stage).to.equal('shader');
      const error = result.messages.find((m) => m.type === 'error')!;
      expect(error.message).to.match(b.includes);
      expect([error.line, error.column]).to.deep.equal([b.line, b.column]);
      expect(result.summary).to.contain(`${b.line}:${b.column}`);
      expect(family.source).to.equal(source);
      expect(family.current(before)).to.equal(before);
      expect(isEdited(family)).to.equal(false);
    });
  }

  it('too many invocations per workgroup: a pipeline-creation message placed at the @workgroup_size', async () => {
    const { device, family } = await matmulFamily();
    const code = editMatmul('@compute @workgroup_size(4, 4, GROUP)\nfn matmul_blocked', '@compute @workgroup_size(1024, 1024)\nfn matmul_blocked');
    const result = await compileKernel(device, family, code);
    expect(result.ok).to.equal(false);
    expect(result.stage).to.equal('pipeline');
    const error = result.messages[0]!;
    expect(error.message)
      .to.match(/matmul_blocked/)
      .and.to.match(/workgroup/i);
    expect(error.line).to.equal(lineOf(code, '@compute @workgroup_size(1024, 1024)'));
    expect(error.column).to.equal('@compute '.length + 1);
    expect(result.summary).to.match(/pipeline creation failed/);
    expect(family.source).to.equal(source);
  });

  it('refuses a source over 64 KiB before creating a shader module', async () => {
    const { device, family } = await matmulFamily();
    const big = source + `\n// ${'x'.repeat(MAX_SOURCE_BYTES)}\n`;
    let modules = 0;
    const create = device.createShaderModule;
    device.createShaderModule = (d) => (modules++, create.call(device, d));
    try {
      const result = await compileKernel(device, family, big);
      expect(result.ok).to.equal(false);
      expect(result.stage).to.equal('refused');
      expect(result.summary).to.match(/64 KiB/);
    } finally {
      device.createShaderModule = create;
    }
    expect(modules).to.equal(0);
  });

  it('a good edit replaces every cached pipeline; reset puts the originals back', async () => {
    const { device, family } = await matmulFamily();
    const original = family.pipeline('matmul_blocked', CONSTANTS);
    const result = await compileKernel(device, family, reversedLoopMatmul());
    expect(result.ok, result.summary).to.equal(true);
    expect(result.summary).to.match(/2 pipelines compiled/);
    expect(isEdited(family)).to.equal(true);
    const edited = family.current(original);
    expect(edited).to.not.equal(original);
    expect(family.pipeline('matmul_blocked', CONSTANTS)).to.equal(edited);
    expect(resetKernel(family)).to.equal(true);
    expect(family.current(original)).to.equal(original);
    expect(family.current(edited)).to.equal(original);
    expect(family.source).to.equal(source);
    expect(isEdited(family)).to.equal(false);
  });

  it('a newer edit supersedes one still compiling', async () => {
    const { device, family } = await matmulFamily();
    const first = compileKernel(device, family, reversedLoopMatmul());
    const second = compileKernel(device, family, source.replace('// matmul.wgsl', '// matmul.wgsl (second edit)'));
    const [a, b] = await Promise.all([first, second]);
    expect(a.stage).to.equal('superseded');
    expect(b.ok).to.equal(true);
    expect(family.source).to.contain('(second edit)');
    resetKernel(family);
  });
});
