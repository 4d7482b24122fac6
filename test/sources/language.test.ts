import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/sources/index.js';
import { ENGLISH } from './helpers.js';

describe('detectLanguage', () => {
  it("detects an English paragraph as 'eng'", () => {
    expect(detectLanguage(ENGLISH)).toBe('eng');
  });

  it('returns null for text too short to tell', () => {
    expect(detectLanguage('Bomb blast')).toBeNull();
  });
});
