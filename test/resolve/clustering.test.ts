import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blankIncident,
  clusterReports,
  type Incident,
  lshBands,
  mergeReports,
  minhashSignature,
  type Report,
  scoreMatch,
  similarity,
} from '../../src/resolve/index.js';

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    ...blankIncident('i', []),
    date: { date: '2024-03-22', precision: 'day' },
    country: 'RU',
    city: 'Moscow',
    lat: 55.75,
    lon: 37.62,
    placePrecision: 'city',
    attackTypes: ['armed_assault'],
    ...overrides,
  };
}

const killed = (n: number) => ({ value: n, min: n, max: n, qualifier: 'exact' as const });
const report = (id: string, published: string, overrides: Partial<Incident> = {}): Report => ({
  id,
  documentId: `doc-${id}`,
  ordinal: 0,
  published,
  incident: incident({ id, sources: [`doc-${id}`], ...overrides }),
});

describe('scoring two reports', () => {
  it('takes the same day, town and attack type for one incident, and says why', () => {
    const m = scoreMatch(incident(), incident({ killed: killed(60) }));
    expect(m.veto).toBeNull();
    expect(m.score).toBeGreaterThanOrEqual(4);
    expect(m.reasons).toEqual(['same day (2024-03-22)', 'same town (Moscow)', 'both armed_assault']);
  });

  it('vetoes other countries, far towns, distant days and different groups each named firmly', () => {
    expect(scoreMatch(incident(), incident({ country: 'UA' })).veto).toMatch(/different countries/);
    expect(scoreMatch(incident(), incident({ city: 'Kazan', lat: 55.79, lon: 49.12 })).veto).toMatch(/towns/);
    expect(scoreMatch(incident(), incident({ date: { date: '2024-03-29', precision: 'day' } })).veto).toMatch(
      /7 days apart/,
    );
    const group = (groupId: string) => ({
      groupId,
      group: groupId,
      aliasesSeen: [groupId],
      attribution: 'claimed' as const,
      discovered: false,
    });
    expect(
      scoreMatch(
        incident({ perpetratorGroups: [group('iskp')] }),
        incident({ perpetratorGroups: [group('ttp')] }),
      ).veto,
    ).toMatch(/different groups/);
  });

  it('keeps two attacks in one town on one day apart when their targets differ', () => {
    const mosque = incident({ targetTypes: ['religious_figures_institutions'], targetText: ['mosque'] });
    const police = incident({ targetTypes: ['police'], targetText: ['police station'] });
    expect(scoreMatch(mosque, police).score).toBeLessThan(4);
  });

  it('asks a point more of a report with no country, and never merges an undated one on points alone', () => {
    const placeless = scoreMatch(incident({ country: null, city: null }), incident());
    expect(placeless.veto).toBeNull();
    expect(placeless.reasons).toContain('one report gives no country');
    expect(placeless.score).toBe(scoreMatch(incident({ city: null }), incident()).score - 1);
    expect(scoreMatch(incident({ date: null }), incident()).veto).not.toBeNull();
  });

  it('lets kin groups (a branch and its parent) name one attack, but not strangers', () => {
    const group = (groupId: string) => ({
      groupId,
      group: groupId,
      aliasesSeen: [groupId],
      attribution: 'claimed' as const,
      discovered: false,
    });
    const a = incident({ perpetratorGroups: [group('iskp')] });
    const b = incident({ perpetratorGroups: [group('islamic-state')] });
    expect(scoreMatch(a, b).veto).toMatch(/different groups/);
    expect(scoreMatch(a, b, (x, y) => [x, y].sort().join() === 'iskp,islamic-state').veto).toBeNull();
  });
});

describe('clustering reports into incidents', () => {
  const reports = [
    report('a', '2024-03-22', { killed: killed(40) }),
    report('b', '2024-03-23', { killed: killed(115) }),
    report('c', '2024-03-26', { killed: killed(139) }),
    report('d', '2024-03-22', { city: 'Kazan', lat: 55.79, lon: 49.12 }),
    report('e', '2024-03-24', { country: 'AF', city: 'Kabul', lat: 34.5, lon: 69.2 }),
  ];
  const shape = (rs: readonly Report[]) =>
    clusterReports(rs, { together: [], apart: [] })
      .map((c) => c.members.map((m) => m.report.id).join(''))
      .sort();

  it('merges the reports of one attack and keeps the others apart', () => {
    expect(shape(reports)).toEqual(['abc', 'd', 'e']);
  });

  it('gives the same incidents whatever the order of arrival', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(reports, { minLength: reports.length }), (shuffled) => {
        expect(shape(shuffled)).toEqual(['abc', 'd', 'e']);
      }),
    );
  });

  it('keeps a pair an analyst split apart, and ties a pair marked together', () => {
    expect(
      clusterReports(reports, { together: [['d', 'e']], apart: [['a', 'c']] }).map((c) =>
        c.members.map((m) => m.report.id).join(''),
      ),
    ).toEqual(['ab', 'de', 'c']);
  });

  it('merges into one record whose toll follows the latest report, the range covering all', () => {
    const [cluster] = clusterReports(reports.slice(0, 3), { together: [], apart: [] });
    const merged = cluster ? mergeReports(cluster) : null;
    expect(merged?.id).toBe('a');
    expect(merged?.killed).toEqual({ value: 139, min: 40, max: 139, qualifier: 'exact' });
    expect(merged?.sources).toEqual(['doc-a', 'doc-b', 'doc-c']);
  });
});

describe('near-duplicate articles', () => {
  const story =
    'A truck bomb exploded near the German embassy in Kabul on Wednesday morning, killing at least 90 people and wounding more than 400, officials said. No group has claimed the attack, which struck during the morning rush hour in the diplomatic quarter.';

  it('finds a republished copy with a sentence added, and not a different story', () => {
    const copy = `${story} (Reporting by the Kabul bureau.)`;
    const other =
      'Gunmen attacked a mosque in western Kabul during evening prayers on Wednesday, killing two worshippers, police said, and the attackers fled on motorcycles.';
    expect(similarity(minhashSignature(story), minhashSignature(copy))).toBeGreaterThanOrEqual(0.8);
    expect(similarity(minhashSignature(story), minhashSignature(other))).toBeLessThan(0.3);
    const shared = lshBands(minhashSignature(story)).filter((b) =>
      lshBands(minhashSignature(copy)).includes(b),
    );
    expect(shared.length).toBeGreaterThan(0);
  });

  it('ignores case, punctuation and spacing', () => {
    expect(
      similarity(minhashSignature(story), minhashSignature(story.toUpperCase().replaceAll(',', ' '))),
    ).toBe(1);
  });
});
