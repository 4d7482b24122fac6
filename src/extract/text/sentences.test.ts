import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.js';

const texts = (t: string) => splitSentences(t).map((s) => s.text);

describe('sentences', () => {
  it('splits ordinary prose', () => {
    expect(texts('Gunmen attacked a hall. Police arrived later.')).toEqual([
      'Gunmen attacked a hall.',
      'Police arrived later.',
    ]);
  });

  it('splits all-lower-case wire copy, which Intl.Segmenter leaves whole', () => {
    expect(texts('gunmen attacked a hall. police arrived later.')).toEqual([
      'gunmen attacked a hall.',
      'police arrived later.',
    ]);
  });

  it('does not split after abbreviations and initials', () => {
    expect(texts('Gen. Smith and J. Doe met U.S. officials. They spoke.')).toHaveLength(2);
  });

  it('treats a heading line as its own sentence', () => {
    expect(texts('Rising from the Shadows\n\nThe group grew.')).toEqual([
      'Rising from the Shadows',
      'The group grew.',
    ]);
  });

  it('keeps offsets into the whole text', () => {
    const text = 'One. Two words here.';
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});
