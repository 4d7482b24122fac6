import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractIncidents } from '../../src/extract/index.js';
import { splitSentences } from '../../src/extract/text/sentences.js';

// Words the rules react to, so random text reaches them often.
const words = fc.constantFrom(
  'gunmen',
  'killed',
  'at least',
  'four',
  '139',
  'in',
  'Moscow',
  'kabul',
  'the',
  'attack',
  'ISKP',
  'claimed',
  'responsibility',
  'on Friday',
  'bomb',
  'exploded',
  'wounded',
  'dozens',
  'not',
  'could',
  'Tajik',
  'nationals',
  'mayor',
  'Juan',
  'Perez',
  '.',
  ',',
  '\n\n',
  'é',
  '—',
  '(',
  ')',
  '"',
);
const articles = fc.oneof(
  fc.array(words, { maxLength: 80 }).map((w) => w.join(' ')),
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('the extractor on any text', () => {
  it('never throws, and every evidence slices the text exactly', () => {
    fc.assert(
      fc.property(articles, fc.constantFrom(null, '2024-03-25'), (text, published) => {
        for (const draft of extractIncidents({ id: 'p', text, published })) {
          const fields = Object.values(draft).flatMap((v) => (Array.isArray(v) ? v : [v]));
          for (const f of fields) {
            if (!f || typeof f !== 'object' || !('evidence' in f)) continue;
            for (const e of f.evidence) {
              expect(text.slice(e.start, e.end)).toBe(e.text);
              expect(e.sentence).toContain(e.text);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('splits sentences whose offsets point into the text', () => {
    fc.assert(
      fc.property(articles, (text) => {
        for (const s of splitSentences(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
      }),
      { numRuns: 300 },
    );
  });
});
