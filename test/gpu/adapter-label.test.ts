import { expect } from '@esm-bundle/chai';
import { adapterLabel } from '../../src/gpu/device.ts';

describe('adapterLabel: what the page calls an adapter', () => {
  it('joins the vendor, architecture and description the browser gives', () => {
    expect(adapterLabel({ vendor: 'google', architecture: 'swiftshader', description: '' })).to.equal('google swiftshader');
    expect(adapterLabel({ vendor: 'nvidia', architecture: '', description: 'NVIDIA GeForce RTX 4070' })).to.equal('nvidia NVIDIA GeForce RTX 4070');
  });

  it('uses whatever one field is given: the vendor, or only the architecture', () => {
    expect(adapterLabel({ vendor: 'intel', architecture: '', description: '' })).to.equal('intel');
    expect(adapterLabel({ vendor: '', architecture: 'gen-12lp', description: '   ' })).to.equal('gen-12lp');
  });

  it('says "unnamed adapter" when the browser leaves every field empty (Firefox) or gives no info at all', () => {
    expect(adapterLabel({ vendor: '', architecture: '', description: '' })).to.equal('unnamed adapter');
    expect(adapterLabel({})).to.equal('unnamed adapter');
    expect(adapterLabel(undefined)).to.equal('unnamed adapter');
  });
});
