import { describe, expect, it } from 'vitest';
import { type Example, probability, trainLogistic } from '../../src/learn/index.js';

/** A toy task: a candidate number is the toll when a casualty verb follows it. */
function examples(): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < 200; i++) {
    const noise = `noise=${i % 7}`;
    out.push({ features: ['next=killed', noise, `pos=${i % 3}`], label: 1 });
    out.push({ features: ['next=wounded', noise, `pos=${i % 3}`], label: 0 });
    out.push({ features: ['next=year', noise], label: 0 });
  }
  out.push({ features: ['seen-once'], label: 1 });
  return out;
}

describe('the logistic scorer', () => {
  const model = trainLogistic(examples(), { name: 'toy', trainedOn: 'written here' });

  it('learns what tells positives apart', () => {
    expect(probability(model, ['next=killed', 'noise=1'])).toBeGreaterThan(0.9);
    expect(probability(model, ['next=wounded', 'noise=1'])).toBeLessThan(0.1);
    expect(model.weights['next=killed']).toBeGreaterThan(model.weights['noise=1'] ?? 0);
  });

  it('leaves out features too rare to learn from, and features it never saw score nothing', () => {
    expect(model.weights['seen-once']).toBeUndefined();
    expect(probability(model, ['never-seen'])).toBe(probability(model, []));
  });

  it('is deterministic: the same examples give the same model', () => {
    expect(trainLogistic(examples(), { name: 'toy', trainedOn: 'written here' })).toEqual(model);
    expect(model).toMatchObject({ name: 'toy', trainedOn: 'written here', examples: 601 });
  });
});
