import { expect } from '@esm-bundle/chai';
import { runReferenceChecks } from '../../src/explorer/reference-checks.ts';
import { KERNEL_SOURCES } from '../../src/explorer/sources.ts';

describe('what the shader explorer offers without a GPU', () => {
  it('runs the float64 reference checks: every activation × loss, gradients against central differences', async () => {
    const seen: string[] = [];
    const report = await runReferenceChecks((c, done, total) => seen.push(`${done}/${total} ${c.name}`));
    expect(report.cases).to.have.length(15);
    expect(seen.at(-1)).to.match(/^15\/15 /);
    expect(
      report.cases.every((c) => c.pass),
      report.cases
        .filter((c) => !c.pass)
        .map((c) => `${c.name}: ${c.worst}`)
        .join('; '),
    ).to.equal(true);
    expect(report.passed).to.equal(15);
    // Analytic and numeric gradients differ by rounding, never by nothing and never by much.
    expect(report.maxAbs).to.be.above(0).and.below(1e-7);
    expect(report.summary).to.match(/gradients match central differences: 15 of 15 cases/);
  });

  it('has the source of every kernel family, each file with its header comment', () => {
    expect(KERNEL_SOURCES.map((k) => k.name)).to.have.members(['matmul', 'loss', 'gather', 'optimizer', 'argmax', 'dropout', 'augment', 'pixels']);
    for (const k of KERNEL_SOURCES) expect(k.source.startsWith(`// ${k.name}.wgsl`), k.name).to.equal(true);
  });
});
