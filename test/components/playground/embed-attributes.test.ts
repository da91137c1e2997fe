import { expect } from '@esm-bundle/chai';
import { configFromAttributes } from '../../../components/playground/embed-attributes.ts';

function element(attributes: Record<string, string>): Element {
  const el = document.createElement('div');
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
}

describe('embed attributes', () => {
  it('task="regression" with a regression set, features and layers makes a regression experiment', () => {
    const { config, messages } = configFromAttributes(element({ task: 'regression', dataset: 'gaussmix', features: 'x1,x2,x1sq', layers: '6' }));
    expect(messages).to.deep.equal([]);
    expect(config.task).to.equal('regression');
    expect(config.dataset.name).to.equal('gaussmix');
    expect(config.features).to.deep.equal(['x1', 'x2', 'x1sq']);
  });

  it('a classification set with task="regression" is refused with a message, and the task keeps its own data', () => {
    const { config, messages } = configFromAttributes(element({ task: 'regression', dataset: 'iris' }));
    expect(config.task).to.equal('regression');
    expect(config.dataset.name).to.equal('plane');
    expect(messages.join(' ')).to.match(/iris is a classification data set/);
  });
});
