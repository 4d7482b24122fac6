import { describe, expect, it } from 'vitest';
import { blankIncident, type Incident, type IncidentEvidence, scoreMatch } from '../../src/resolve/index.js';

const cityEvidence = (city: string, inferred: boolean): IncidentEvidence => ({
  documentId: 'd',
  start: 0,
  end: city.length,
  text: city,
  sentence: `${city} — a bomb went off.`,
  field: 'city',
  value: city,
  inferred,
});

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    ...blankIncident('i', []),
    date: { date: '2023-05-09', precision: 'day' },
    country: 'PK',
    attackTypes: ['bombing_explosion'],
    killed: { value: 12, min: 12, max: 12, qualifier: 'exact' },
    ...overrides,
  };
}

const lahore = { city: 'Lahore', lat: 31.55, lon: 74.34, placePrecision: 'city' as const };
const multan = { city: 'Multan', lat: 30.2, lon: 71.47, placePrecision: 'city' as const };

describe('a town known only from the dateline', () => {
  it('does not veto a report that places the attack in another town of the same country', () => {
    const filed = incident({ ...lahore, evidence: [cityEvidence('LAHORE', true)] });
    const stated = incident({ ...multan, evidence: [cityEvidence('Multan', false)] });
    const m = scoreMatch(filed, stated);
    expect(m.veto).toBeNull();
    expect(m.reasons.join(' ')).toMatch(/where the story was filed/);
    expect(m.score).toBeGreaterThanOrEqual(3);
  });

  it('still vetoes two towns far apart that both reports state', () => {
    const a = incident({ ...lahore, evidence: [cityEvidence('Lahore', false)] });
    const b = incident({ ...multan, evidence: [cityEvidence('Multan', false)] });
    expect(scoreMatch(a, b).veto).toMatch(/different towns/);
  });

  it('keeps apart two attacks in one town on one day with different targets and tolls', () => {
    const a = incident({
      ...lahore,
      targetTypes: ['police'],
      targetText: ['police station'],
      killed: { value: 2, min: 2, max: 2, qualifier: 'exact' },
    });
    const b = incident({
      ...lahore,
      targetTypes: ['religious_figures_institutions'],
      targetText: ['shrine'],
      killed: { value: 40, min: 40, max: 40, qualifier: 'exact' },
    });
    const m = scoreMatch(a, b);
    expect(m.veto === null && m.score >= 3).toBe(false);
  });
});
