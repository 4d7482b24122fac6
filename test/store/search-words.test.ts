import { describe, expect, it } from 'vitest';
import { hasAllWords, searchTokens } from '../../src/store/search-words.js';

describe('the search rule in JavaScript', () => {
  it('tokenises as FTS5 unicode61 does: letters and digits, case and diacritics folded', () => {
    expect(searchTokens('Bogotá: 12 killed, the FARC’s 3rd front')).toEqual([
      'bogota',
      '12',
      'killed',
      'the',
      'farc',
      's',
      '3rd',
      'front',
    ]);
  });

  it('needs every word as a whole token of the text', () => {
    expect(hasAllWords('A car bomb exploded near a crowded market.', 'market bomb')).toBe(1);
    expect(hasAllWords('A car bomb exploded near a crowded market.', 'market bus')).toBe(0);
    expect(hasAllWords('The business district was evacuated.', 'bus')).toBe(0);
    expect(hasAllWords('Gunmen stormed a hotel in BOGOTÁ.', 'bogota')).toBe(1);
    expect(hasAllWords('Gunmen stormed a hotel in Bogota.', 'bogotá')).toBe(1);
  });

  it('answers no for what is not text or has no words', () => {
    expect(hasAllWords(null, 'market')).toBe(0);
    expect(hasAllWords('a market', 42)).toBe(0);
    expect(hasAllWords('a market', ' ,; ')).toBe(0);
  });
});
