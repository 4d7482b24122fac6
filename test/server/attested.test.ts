import { describe, expect, it } from 'vitest';
import type { Incident, IncidentEvidence } from '../../src/resolve/index.js';
import { redactIncident } from '../../src/server/access.js';
import type { Marking } from '../../src/store/index.js';

const CLEAR_DOC = 'c'.repeat(64);
const AMBER_DOC = 'a'.repeat(64);

function evidence(
  documentId: string,
  field: IncidentEvidence['field'],
  value: string,
  text: string,
): IncidentEvidence {
  return {
    documentId,
    field,
    value,
    inferred: false,
    start: 0,
    end: text.length,
    text,
    sentence: `${text}.`,
  };
}

/** One bombing merged from a CLEAR first report (40 killed) and an AMBER later one (139 killed, the
 * group, the town). */
const merged: Incident = {
  id: '0123456789abcdef',
  date: { date: '2024-03-22', precision: 'day' },
  country: 'RU',
  city: 'Krasnogorsk',
  lat: 55.82,
  lon: 37.33,
  placePrecision: 'city',
  attackTypes: ['armed_assault'],
  weaponTypes: ['firearms'],
  targetTypes: [],
  targetText: [],
  perpetratorGroups: [
    {
      groupId: 'iskp',
      group: 'Islamic State Khorasan Province',
      aliasesSeen: ['ISKP'],
      attribution: 'claimed',
      discovered: false,
    },
  ],
  perpetratorsMin: null,
  perpetratorsMax: null,
  perpetratorNationalities: [],
  perpetratorText: [],
  victimText: [],
  weaponText: [],
  physicalTargetText: [],
  killed: { value: 139, min: 40, max: 139, qualifier: 'exact' },
  wounded: null,
  kidnapped: null,
  perpetratorsKilled: null,
  suicide: false,
  outcome: 'carried_out',
  sources: [CLEAR_DOC, AMBER_DOC],
  evidence: [
    evidence(CLEAR_DOC, 'date', '2024-03-22', 'on Friday'),
    evidence(CLEAR_DOC, 'country', 'RU', 'Moscow'),
    evidence(CLEAR_DOC, 'attack_types', 'armed_assault', 'opened fire'),
    evidence(CLEAR_DOC, 'killed', '40', 'at least 40 people were killed'),
    evidence(AMBER_DOC, 'city', 'Krasnogorsk', 'Krasnogorsk'),
    evidence(AMBER_DOC, 'killed', '139', '139 killed'),
    evidence(AMBER_DOC, 'perpetrator_groups', 'Islamic State Khorasan Province', 'ISKP claimed'),
    evidence(AMBER_DOC, 'weapon_types', 'firearms', 'rifles'),
  ],
};

const markings = new Map<string, Marking[]>([
  [AMBER_DOC, [{ id: 'm1', documentId: AMBER_DOC, tlp: 'amber', org: 'alpha', recipients: [] }]],
]);

describe('a merged incident seen by a caller who may not read all its reports', () => {
  it('shows only the values the visible reports support: nothing of the AMBER report leaks', () => {
    const seen = redactIncident({ org: 'beta', userId: null, amberOrgs: ['beta'] }, merged, markings);
    expect(seen?.tlp).toBe('clear');
    const i = seen?.incident;
    expect(i?.sources).toEqual([CLEAR_DOC]);
    expect(i?.killed).toBeNull();
    expect(i?.city).toBeNull();
    expect(i?.country).toBe('RU');
    expect(i?.perpetratorGroups).toEqual([]);
    expect(i?.weaponTypes).toEqual([]);
    expect(i?.date?.date).toBe('2024-03-22');
    expect(i?.attackTypes).toEqual(['armed_assault']);
    const text = JSON.stringify(i);
    for (const secret of ['139', 'Krasnogorsk', 'ISKP', 'Khorasan', 'firearms'])
      expect(text).not.toContain(secret);
  });

  it('shows the whole merged record to a caller who reads every report', () => {
    const seen = redactIncident({ org: 'alpha', userId: null, amberOrgs: ['alpha'] }, merged, markings);
    expect(seen?.incident).toEqual(merged);
  });
});
