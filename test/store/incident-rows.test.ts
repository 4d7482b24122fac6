import { describe, expect, it } from 'vitest';
import { redactLocation } from '../../src/store/errors.js';
import { incidentToRows, rowsToIncident } from '../../src/store/incident-rows.js';
import { makeBareIncident, makeDocument, makeIncident } from './fixtures.js';

describe('incident rows', () => {
  it.each([
    ['a full incident', makeIncident(makeDocument())],
    ['a bare incident', makeBareIncident(makeDocument())],
  ])('maps %s to rows and back unchanged', (_, incident) => {
    const rows = incidentToRows(incident, '2024-03-23T09:00:00.000Z');
    const back = rowsToIncident({
      incident: rows.incident,
      groups: rows.groups,
      evidence: rows.evidence.map((e, i) => ({ ...e, id: i + 1 })),
      sources: incident.sources,
    });
    expect(back).toStrictEqual(incident);
  });

  it('stores lists as JSON text and flags as 0/1', () => {
    const rows = incidentToRows(makeIncident(makeDocument()), 'now');
    expect(rows.incident).toMatchObject({
      attack_types: '["armed_assault","facility_infrastructure"]',
      killed_value: 139,
      killed_min: 139,
      killed_max: null,
      killed_qualifier: 'at_least',
    });
    expect(rows.groups.map((g) => [g.group_id, g.position])).toEqual([
      ['iskp', 0],
      ['islamic-state', 1],
    ]);
    expect(new Set(rows.evidence.map((e) => e.inferred))).toEqual(new Set([0, 1]));
  });
});

describe('redactLocation', () => {
  it.each([
    ['postgres://vigil:s3cret@db.example:5432/vigil', 'postgres://vigil:***@db.example:5432/vigil'],
    ['postgresql://vigil@localhost/vigil?password=s3cret', 'postgresql://vigil@localhost/vigil?password=***'],
    ['postgres://postgres@127.0.0.1/test', 'postgres://postgres@127.0.0.1/test'],
    ['data/vigil.db', 'data/vigil.db'],
  ])('%s → %s', (location, shown) => {
    expect(redactLocation(location)).toBe(shown);
  });
});
