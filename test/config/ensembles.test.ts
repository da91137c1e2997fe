import { expect } from '@esm-bundle/chai';
import {
  boostingRun,
  decodeBoost,
  decodeStack,
  DEFAULT_BOOST,
  DEFAULT_STACK,
  encodeBoost,
  encodeStack,
  stackingRun,
  stackProblem,
  boostProblem,
} from '../../src/config/ensembles.ts';
import { DEFAULT_EXPERIMENT } from '../../src/config/experiment.ts';
import { decodeHash } from '../../src/config/url.ts';

describe('boost= and stack= link values', () => {
  it('round-trip, and the defaults are three different learners and a one-hidden-layer weak learner', () => {
    const boost = { rounds: 25, layers: [6, 4], activation: 'relu' as const, epochs: 12, shrinkage: 0.5 };
    expect(encodeBoost(boost)).to.equal('rounds:25;layers:6,4;act:relu;epochs:12;shrink:0.5');
    expect(decodeBoost(encodeBoost(boost))).to.deep.equal({ settings: boost, messages: [] });
    const stack = { ...DEFAULT_STACK, k: 4, meta: 8, pass: true };
    expect(decodeStack(encodeStack(stack))).to.deep.equal({ settings: stack, messages: [] });
    expect(DEFAULT_BOOST.layers).to.have.length(1);
    expect(new Set(DEFAULT_STACK.learners.map((l) => JSON.stringify(l))).size).to.equal(3);
    expect(boostProblem(DEFAULT_BOOST)).to.equal(null);
    expect(stackProblem(DEFAULT_STACK)).to.equal(null);
  });

  it('reads field by field: a bad or unknown field gives a message and the previous value stays', () => {
    const previous = { ...DEFAULT_BOOST, rounds: 7 };
    const { settings, messages } = decodeBoost('rounds:0;layers:8,x;act:tanh;epochs:30;shrink:-1;what:1', previous);
    expect(settings).to.deep.equal({ ...previous, epochs: 30 });
    expect(messages).to.have.length(4);
    expect(messages[0]).to.match(/"rounds:0" was not used \(rounds: must be a whole number from 1 to 50\); keeping the previous value/);
    expect(messages.join(' ')).to.contain('unknown setting "what"');
    const s = decodeStack('k:1;meta:-2;pass:yes;l:16/relu/adam/0.01;l:8/nope/adam/0.1', { ...DEFAULT_STACK, k: 3 });
    expect(s.settings.k).to.equal(3);
    expect(s.settings.meta).to.equal(0);
    expect(s.settings.learners).to.deep.equal([{ layers: [16], activation: 'relu', optimizer: 'adam', lr: 0.01 }]);
    expect(s.messages).to.have.length(4);
    // No good learner row: the previous rows stay; rows past 8 are left out with a message.
    expect(decodeStack('l:0/relu/adam/1').settings.learners).to.deep.equal(DEFAULT_STACK.learners);
    const nine = decodeStack(Array(9).fill('l:4/relu/sgd/0.1').join(';'));
    expect(nine.settings.learners).to.have.length(8);
    expect(nine.messages[0]).to.contain('at most 8 base learners');
  });

  it('are page keys of a playground link, not unknown settings', () => {
    const { messages, page } = decodeHash('#seed=4&boost=rounds%3A3&stack=k%3A3');
    expect(messages).to.deep.equal([]);
    expect(page).to.deep.equal({ boost: 'rounds:3', stack: 'k:3' });
  });

  it('become the drivers options on the experiment', () => {
    const b = boostingRun(DEFAULT_EXPERIMENT, { ...DEFAULT_BOOST, epochs: 9 });
    expect(b.config.hidden).to.deep.equal([{ units: 8, activation: 'tanh' }]);
    expect(b.config.epochs).to.equal(9);
    expect(b.options).to.deep.equal({ rounds: 10, shrinkage: 1 });
    const s = stackingRun(DEFAULT_EXPERIMENT, { ...DEFAULT_STACK, meta: 4, pass: true });
    expect(s.options.learners).to.have.length(3);
    expect(s.options.learners[2]!.optimizer).to.deep.include({ kind: 'momentum', learningRate: 0.1 });
    expect(s.options.metaHidden).to.deep.equal([{ units: 4, activation: 'relu' }]);
    expect(s.options.passFeatures).to.equal(true);
  });
});
