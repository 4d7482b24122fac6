import { describe, expect, it } from 'vitest';
import { blankIncident, type Incident, scoreMatch } from '../../src/resolve/index.js';
import { namesakeTowns } from '../../src/resolve/names.js';

/** Two reports of one bombing in Hyderabad: one names India, the other names no country, so the
 * gazetteer had to guess between Hyderabad in India and Hyderabad in Pakistan. */
function report(country: string, sentence: string, city = 'Hyderabad'): Incident {
  return {
    ...blankIncident(`r-${country}`, []),
    date: { date: '2021-02-21', precision: 'day' },
    country,
    city,
    attackTypes: ['bombing_explosion'],
    killed: { value: 16, min: 16, max: 16, qualifier: 'exact' },
    evidence: [
      {
        documentId: 'd',
        start: 0,
        end: sentence.length,
        text: sentence,
        sentence,
        field: 'city',
        value: city,
        inferred: false,
      },
    ],
  };
}

const india = report(
  'IN',
  'Twin blasts tore through a crowded bus stand in Hyderabad, in southern India, on Sunday.',
);

describe('a town named alike in two countries', () => {
  it('is one town when a report never names its country', () => {
    const guessed = report('PK', 'The toll from Sunday’s bus stand blasts in Hyderabad rose to 16.');
    expect(namesakeTowns(india, guessed)).toBe(true);
    const m = scoreMatch(india, guessed);
    expect(m.veto).toBeNull();
    expect(m.reasons).toContain('same town name (Hyderabad), namesakes in IN and PK');
    // A point, where a town both reports place in one country earns two.
    expect(m.score).toBe(scoreMatch(india, report('IN', 'The toll in Hyderabad rose to 16.')).score - 1);
  });

  it('keeps two countries apart when both reports name theirs', () => {
    const pakistan = report(
      'PK',
      'A bomb exploded at a bus stand in Hyderabad, in Pakistan’s Sindh province, on Sunday.',
    );
    expect(namesakeTowns(india, pakistan)).toBe(false);
    expect(scoreMatch(india, pakistan).veto).toMatch(/different countries/);
  });

  it('keeps two countries apart when the town has no namesake in the other', () => {
    const other = report('PK', 'A bomb exploded at a bus stand in Quetta on Sunday.', 'Quetta');
    const indian = report('IN', 'A bomb exploded at a bus stand in Quetta on Sunday.', 'Quetta');
    expect(namesakeTowns(indian, other)).toBe(false);
    expect(scoreMatch(indian, other).veto).toMatch(/different countries/);
  });
});
