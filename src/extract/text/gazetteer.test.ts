import { describe, expect, it } from 'vitest';
import { Gazetteer } from './gazetteer.js';
import { phraseKey, tokenize } from './tokens.js';

describe('gazetteer', () => {
  const g = new Gazetteer<string>();
  for (const p of ['Islamic State', 'Islamic State Khorasan Province', 'ISIS-K', 'al-Azaim'])
    g.add(phraseKey(p), p);
  const found = (text: string) => g.match(tokenize(text)).map((m) => m.entries[0]);

  it('takes the longest name', () => {
    expect(found('members of the Islamic State Khorasan Province')).toEqual([
      'Islamic State Khorasan Province',
    ]);
  });

  it('ignores case, hyphens and diacritics', () => {
    expect(found('isis k and AL AZAIM and Al-Ázaim')).toEqual(['ISIS-K', 'al-Azaim', 'al-Azaim']);
  });

  it('finds nothing in unrelated text', () => {
    expect(found('the state of the islands')).toEqual([]);
  });
});
