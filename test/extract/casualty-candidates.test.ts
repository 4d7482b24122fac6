import { describe, expect, it } from 'vitest';
import { annotate } from '../../src/extract/annotate.js';
import { tollCandidates } from '../../src/extract/fields/casualties.js';
import { incidentsIn } from './cases.js';

/** The candidate tolls of a text as "kind value: phrase". */
function candidates(text: string): string[] {
  return annotate(text).flatMap((s) =>
    tollCandidates(s).map(
      (c) =>
        `${c.kind} ${c.count.value}: ${s.sentence.tokens
          .slice(c.from, c.to)
          .map((t) => t.text)
          .join(' ')}`,
    ),
  );
}

describe('candidate tolls', () => {
  it('proposes one victim for a singular phrase after a killing verb', () => {
    expect(
      candidates('Unknown gunmen shot and killed a municipal tax inspector in the town market.'),
    ).toContain('killed 1: shot and killed a municipal tax inspector');
  });

  it('proposes a figure with a long noun phrase before a passive verb', () => {
    expect(candidates('Twelve border guard recruits were killed when the bomb went off.')).toContain(
      'killed 12: Twelve border guard recruits were killed',
    );
  });

  it('reads an age as a modifier, not a count', () => {
    const found = candidates('A 34-year-old shopkeeper was killed outside his house.');
    expect(found).toContain('killed 1: A 34 year old shopkeeper was killed');
    expect(found.some((c) => c.startsWith('killed 34'))).toBe(false);
  });

  it('proposes each person of a list', () => {
    const found = candidates('The blast killed a farmer and his two daughters.');
    expect(found).toContain('killed 1: killed a farmer');
    expect(found.some((c) => c.startsWith('killed 2:'))).toBe(true);
  });
});

describe('tolls chosen by the casualties model', () => {
  it('counts a single victim', () => {
    const [i] = incidentsIn('Gunmen shot and killed a traffic warden in Peshawar on Monday.');
    expect(i?.killed?.value).toBe(1);
  });

  it('keeps killed and wounded apart', () => {
    const [i] = incidentsIn(
      'A car bomb exploded near a market in Baghdad on Friday. Seven people were killed and 23 were wounded.',
    );
    expect(i?.killed?.value).toBe(7);
    expect(i?.wounded?.value).toBe(23);
  });
});
