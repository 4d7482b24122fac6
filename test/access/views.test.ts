import { describe, expect, it } from 'vitest';
import { type ViewMaterial, viewsOf } from '../../src/access/views.js';
import { blankIncident, type Incident, mergeReports, type Report } from '../../src/resolve/index.js';
import type { Clearance } from '../../src/tlp/index.js';

/* A caller's view of a mixed incident is what its reports they may see make on their own. */

const everyone: Clearance = { org: 'gamma', userId: null, amberOrgs: ['gamma'] };
const alpha: Clearance = { org: 'alpha', userId: 'alpha/ana', amberOrgs: ['alpha'] };

function report(id: string, documentId: string, published: string, fields: Partial<Incident>): Report {
  return {
    id,
    documentId,
    ordinal: 0,
    published,
    incident: {
      ...blankIncident(id, [documentId]),
      date: { date: '2024-03-04', precision: 'day' },
      country: 'AF',
      attackTypes: ['armed_assault'],
      ...fields,
      evidence: [
        {
          documentId,
          start: 0,
          end: 4,
          text: 'text',
          sentence: `sentence of ${documentId}`,
          field: 'country',
          value: 'AF',
          inferred: false,
        },
      ],
    },
  };
}

const publicReport = report('r1', 'd1', '2024-03-04', {
  city: 'Kabul',
  lat: 34.5,
  lon: 69.2,
  killed: { value: 5, min: 5, max: null, qualifier: 'exact' },
});
const amberReport = report('r2', 'd2', '2024-03-05', {
  city: 'Kabul',
  lat: 34.5,
  lon: 69.2,
  killed: { value: 12, min: 12, max: null, qualifier: 'exact' },
  wounded: { value: 30, min: 30, max: null, qualifier: 'exact' },
  perpetratorGroups: [
    {
      groupId: 'discovered:x',
      group: 'X Front',
      aliasesSeen: ['X Front'],
      attribution: 'claimed',
      discovered: true,
    },
  ],
});

function material(
  reports: Report[],
  audiences: Record<string, string | null>,
  extra: Partial<ViewMaterial> = {},
): ViewMaterial {
  return {
    reports,
    constraints: { together: [], apart: [] },
    documents: new Map(
      Object.entries(audiences).map(([id, audience], n) => [
        id,
        { audience, ingestedAt: `2024-03-0${n + 5}T00:00:00.000Z` },
      ]),
    ),
    decisions: new Map(),
    ...extra,
  };
}

describe('views of a mixed incident', () => {
  const m = material([publicReport, amberReport], { d1: null, d2: 'amber:alpha' });

  it('show a caller only what the reports they see say, under the first one’s id', () => {
    const [view, ...more] = viewsOf(everyone, m);
    expect(more).toEqual([]);
    expect(view?.incident).toEqual(publicReport.incident);
    expect(view?.incident.killed?.value).toBe(5);
    expect(view?.incident.wounded).toBeNull();
    expect(view?.incident.perpetratorGroups).toEqual([]);
    expect(view?.incident.sources).toEqual(['d1']);
    expect(view?.incident.evidence.map((e) => e.documentId)).toEqual(['d1']);
    expect(view?.tlp).toBe('clear');
    expect(view?.createdAt).toBe('2024-03-05T00:00:00.000Z');
  });

  it('show who sees every report the merged record, at the most restrictive marking', () => {
    const [view] = viewsOf(alpha, m);
    const merged = mergeReports({
      members: [
        { report: publicReport, score: null, reasons: [] },
        { report: amberReport, score: 1, reasons: [] },
      ],
    });
    expect(view?.incident).toEqual(merged);
    expect(view?.incident.killed?.value).toBe(12);
    expect(view?.tlp).toBe('amber');
  });

  it('show nothing to who sees none of it', () => {
    expect(viewsOf(everyone, material([amberReport], { d2: 'amber:alpha' }))).toEqual([]);
  });

  it('come apart where only a hidden report tied them together', () => {
    const iraq = report('r3', 'd3', '2024-03-06', { country: 'IQ', city: 'Mosul' });
    const tied = material(
      [publicReport, amberReport, iraq],
      { d1: null, d2: 'amber:alpha', d3: null },
      {
        constraints: {
          together: [
            ['r1', 'r2'],
            ['r2', 'r3'],
          ],
          apart: [],
        },
      },
    );
    expect(viewsOf(alpha, tied).map((v) => v.incident.sources)).toEqual([['d1', 'd2', 'd3']]);
    expect(viewsOf(everyone, tied).map((v) => v.incident.sources)).toEqual([['d1'], ['d3']]);
  });

  it('show a stored record no report stands for only to who sees every document it cites', () => {
    const stored = { ...blankIncident('imported', ['d1', 'd2']), country: 'AF' };
    const loose = material([], { d1: null, d2: 'amber:alpha' }, { stored });
    expect(viewsOf(everyone, loose)).toEqual([]);
    expect(viewsOf(alpha, loose).map((v) => [v.incident.id, v.tlp])).toEqual([['imported', 'amber']]);
  });

  it('count discovered groups as the analysts decided', () => {
    const decided = material(
      [publicReport, amberReport],
      { d1: null, d2: 'amber:alpha' },
      {
        decisions: new Map([['discovered:x', { id: 'iskp', name: 'Islamic State Khorasan Province' }]]),
      },
    );
    const [view] = viewsOf(alpha, decided);
    expect(view?.incident.perpetratorGroups.map((g) => g.groupId)).toEqual(['iskp']);
    expect(view?.raw.perpetratorGroups.map((g) => g.groupId)).toEqual(['discovered:x']);
  });
});
