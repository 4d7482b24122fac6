import { describe, expect, it } from 'vitest';
import { muc4IncidentType, muc4Templates } from '../../src/eval/index.js';
import type { Incident } from '../../src/resolve/index.js';
import { makeBareIncident, makeDocument } from '../store/fixtures.js';

/** A bare incident (every list empty) with the given fields, as a view test needs. */
function incident(fields: Partial<Incident>): Incident {
  return { ...makeBareIncident(makeDocument()), attackTypes: ['unknown'], ...fields };
}

describe('muc4IncidentType', () => {
  it('maps GTD attack types to MUC-4 incident types', () => {
    expect(muc4IncidentType('bombing_explosion')).toBe('bombing');
    expect(muc4IncidentType('hostage_kidnapping')).toBe('kidnapping');
    expect(muc4IncidentType('hostage_barricade')).toBe('kidnapping');
    expect(muc4IncidentType('facility_infrastructure')).toBe('arson');
    for (const t of ['armed_assault', 'assassination', 'hijacking', 'unarmed_assault', 'unknown'] as const)
      expect(muc4IncidentType(t)).toBe('attack');
    expect(muc4IncidentType(undefined)).toBe('attack');
  });
});

describe('muc4Templates', () => {
  it('gives one template per incident with every role', () => {
    const [template, ...rest] = muc4Templates([
      incident({
        attackTypes: ['bombing_explosion', 'armed_assault'],
        perpetratorGroups: [
          {
            groupId: 'fmln',
            group: 'Farabundo Marti National Liberation Front',
            aliasesSeen: ['fmln', 'farabundo marti national liberation front'],
            attribution: 'suspected',
            discovered: false,
          },
        ],
        perpetratorText: ['urban guerrillas'],
        physicalTargetText: ['power pylons'],
        targetText: ['power pylons', 'two peasants'],
        victimText: ['jose ramirez'],
        weaponText: ['dynamite'],
      }),
    ]);
    expect(rest).toEqual([]);
    expect(template).toEqual({
      incident_type: 'bombing',
      PerpInd: [['urban guerrillas']],
      PerpOrg: [['fmln', 'farabundo marti national liberation front']],
      Target: [['power pylons']],
      Victim: [['jose ramirez']],
      Weapon: [['dynamite']],
    });
  });

  it('lets the first attack type decide', () => {
    const types = muc4Templates([
      incident({ attackTypes: ['armed_assault', 'bombing_explosion'] }),
      incident({ attackTypes: ['hostage_kidnapping'] }),
      incident({ attackTypes: ['facility_infrastructure', 'bombing_explosion'] }),
    ]).map((t) => t.incident_type);
    expect(types).toEqual(['attack', 'kidnapping', 'arson']);
  });

  it('takes mentions as written and drops those that normalise equal within a role', () => {
    const [template] = muc4Templates([
      incident({
        perpetratorGroups: [
          {
            groupId: 'fmln',
            group: 'FMLN',
            aliasesSeen: ['FMLN', 'f.m.l.n.'],
            attribution: 'claimed',
            discovered: false,
          },
          { groupId: 'x', group: 'X', aliasesSeen: ['fmln'], attribution: 'suspected', discovered: false },
        ],
        weaponText: ['a car bomb', 'car bomb', 'Car-bomb', 'the'],
        victimText: ['jose ramirez', 'Jose Ramirez'],
      }),
    ]);
    expect(template?.PerpOrg).toEqual([['FMLN']]);
    expect(template?.Weapon).toEqual([['a car bomb'], ['Car-bomb']]);
    expect(template?.Victim).toEqual([['jose ramirez']]);
  });

  it('gives no templates for no incidents', () => {
    expect(muc4Templates([])).toEqual([]);
  });
});
