import { describe, expect, it } from 'vitest';
import { findFigures } from './numbers.js';
import { tokenize } from './text/tokens.js';

const figure = (text: string) => findFigures(tokenize(text)).map((f) => f.count);

describe('figures from digits and words', () => {
  it.each([
    ['139', { value: 139, min: 139, max: 139, qualifier: 'exact' }],
    ['1,200', { value: 1200, min: 1200, max: 1200, qualifier: 'exact' }],
    ['at least four', { value: 4, min: 4, max: null, qualifier: 'at_least' }],
    ['more than 100', { value: 101, min: 101, max: null, qualifier: 'more_than' }],
    ['twenty-two', { value: 22, min: 22, max: 22, qualifier: 'exact' }],
    ['one hundred and forty-one', { value: 141, min: 141, max: 141, qualifier: 'exact' }],
    ['about 270', { value: 270, min: 270, max: 270, qualifier: 'approximately' }],
    ['up to 50', { value: 50, min: 0, max: 50, qualifier: 'at_most' }],
    ['dozens', { value: null, min: 24, max: 99, qualifier: 'range' }],
    ['a dozen', { value: 12, min: 12, max: 12, qualifier: 'approximately' }],
  ])('%s', (text, count) => {
    expect(figure(text)).toEqual([count]);
  });

  it('does not take years for figures', () => {
    expect(figure('in 2015')).toEqual([]);
  });

  it('reads several figures in one sentence', () => {
    expect(figure('killed 22 and injured 59').map((c) => c.value)).toEqual([22, 59]);
  });
});
