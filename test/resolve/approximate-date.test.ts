import { describe, expect, it } from 'vitest';
import {
  blankIncident,
  type Incident,
  mergeReports,
  type Report,
  scoreMatch,
} from '../../src/resolve/index.js';

/** Reports whose text gives no date carry their publication day as an approximate date
 * (src/extract/drafts.ts): a window of days before publication for matching, never preferred to a
 * stated date. */
function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    ...blankIncident('i', []),
    date: { date: '2024-05-06', precision: 'day' },
    country: 'NG',
    city: 'Maiduguri',
    lat: 11.85,
    lon: 13.16,
    placePrecision: 'city',
    attackTypes: ['bombing_explosion'],
    ...overrides,
  };
}
const undated = (published: string) => ({
  date: published,
  precision: 'day' as const,
  approximate: true as const,
});

describe('an undated report', () => {
  it('matches a stated day up to three days before its publication', () => {
    const m = scoreMatch(incident(), incident({ date: undated('2024-05-08') }));
    expect(m.veto).toBeNull();
    expect(m.score).toBeGreaterThanOrEqual(3);
    expect(m.reasons.join(' ')).toMatch(/undated, published 2 days after/);
  });

  it('does not match an attack dated after its publication, or more than a week before it', () => {
    expect(scoreMatch(incident(), incident({ date: undated('2024-05-04') })).veto).toMatch(/published/);
    expect(scoreMatch(incident(), incident({ date: undated('2024-05-14') })).veto).toMatch(/published/);
  });

  it('may be a late follow-up up to a week after the attack, but earns nothing for the day then', () => {
    const late = scoreMatch(incident(), incident({ date: undated('2024-05-12') }));
    expect(late.veto).toBeNull();
    expect(late.reasons.join(' ')).toMatch(/published 6 days after \(2024-05-06\), no points/);
    const recent = scoreMatch(incident(), incident({ date: undated('2024-05-08') }));
    expect(late.score).toBe(recent.score - 0.5);
  });

  it('fits another undated report published up to three days apart, not further', () => {
    const near = scoreMatch(
      incident({ date: undated('2024-05-08') }),
      incident({ date: undated('2024-05-10') }),
    );
    expect(near.veto).toBeNull();
    expect(near.reasons.join(' ')).toMatch(/no date in either, published 2 days apart/);
    const far = scoreMatch(
      incident({ date: undated('2024-05-08') }),
      incident({ date: undated('2024-05-13') }),
    );
    expect(far.veto).toMatch(/5 days apart/);
  });

  it('earns no point for the day against another undated report, and none against a month', () => {
    const two = scoreMatch(
      incident({ date: undated('2024-05-08') }),
      incident({ date: undated('2024-05-08') }),
    );
    expect(two.veto).toBeNull();
    expect(two.reasons.join(' ')).not.toMatch(/undated|same day/);
    const month = scoreMatch(
      incident({ date: { date: '2024-05-01', precision: 'month' } }),
      incident({ date: undated('2024-05-08') }),
    );
    expect(month.veto).toMatch(/no date/);
  });

  it('gives way to the stated date when merged', () => {
    const report = (id: string, published: string, date: Incident['date']): Report => ({
      id,
      documentId: `doc-${id}`,
      ordinal: 0,
      published,
      incident: incident({ id, sources: [`doc-${id}`], date }),
    });
    const merged = mergeReports({
      members: [
        { report: report('a', '2024-05-07', undated('2024-05-07')), score: null, reasons: [] },
        { report: report('b', '2024-05-08', undated('2024-05-08')), score: 3, reasons: [] },
        {
          report: report('c', '2024-05-09', { date: '2024-05-06', precision: 'day' }),
          score: 3,
          reasons: [],
        },
      ],
    });
    expect(merged.date).toEqual({ date: '2024-05-06', precision: 'day' });
  });
});
