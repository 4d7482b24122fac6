import { describe, expect, it } from 'vitest';
import { makeKnowledge } from '../../src/analyze/index.js';
import {
  attackedCountries,
  type MediaRecord,
  mediaAlerts,
  mediaVolumes,
  periodOf,
} from '../../src/analyze/media.js';
import { loadGroups } from '../../src/knowledge/groups.js';
import { loadCountries } from '../../src/knowledge/places.js';

const knowledge = makeKnowledge(loadGroups(), loadCountries());

let n = 0;
const item = (
  published: string | null,
  language: string | null,
  audiences: string[] = [],
  over: Partial<MediaRecord> = {},
): MediaRecord => {
  n += 1;
  return {
    id: `item-${String(n).padStart(3, '0')}`,
    channel: 'Al-Azaim Foundation',
    kind: 'post',
    published,
    language,
    groupId: 'iskp',
    mediaArm: 'al-Azaim',
    audiences,
    origin: `result.json#${n}`,
    evidence: audiences.map((code) => ({
      where: 'text' as const,
      start: 0,
      end: 5,
      match: code,
      snippet: `to ${code}`,
      about: code,
    })),
    ...over,
  };
};

const iskp = [
  item('2024-01-05', 'pbu', ['AF']),
  item('2024-01-19', 'pes', ['AF']),
  item('2024-02-02', 'pbu'),
  item('2024-02-20', 'arb'),
  item('2024-03-10', 'pbu', ['AF']),
  item('2024-04-02', 'tgk', ['TJ', 'RU']),
  item('2024-04-09', 'tgk', ['TJ']),
  item(null, 'eng'),
];
const amaq = [
  item('2024-03-23', 'arb', ['RU'], { groupId: 'islamic-state', mediaArm: 'Amaq', channel: 'Amaq' }),
  item('2024-03-23', 'eng', ['RU'], { groupId: 'islamic-state', mediaArm: 'Amaq', channel: 'Amaq' }),
];
const unattributed = [item('2024-03-25', 'eng', [], { groupId: null, mediaArm: null, channel: 'Relay' })];

describe('media volumes', () => {
  it('counts per group and media arm, by language and audience, per period', () => {
    const [first, second, third] = mediaVolumes([...iskp, ...amaq, ...unattributed], knowledge, 'month');
    expect(first).toMatchObject({
      group: 'iskp',
      groupName: 'Islamic State Khorasan Province',
      total: 8,
      byLanguage: { pbu: 3, tgk: 2, arb: 1, eng: 1, pes: 1 },
      byAudience: { AF: 3, TJ: 2, RU: 1 },
      firstItem: '2024-01-05',
      lastItem: '2024-04-09',
    });
    expect(first?.arms.map((a) => [a.arm, a.total])).toEqual([['al-Azaim', 8]]);
    expect(first?.periods).toEqual([
      { period: '2024-01', total: 2, byLanguage: { pbu: 1, pes: 1 }, byAudience: { AF: 2 } },
      { period: '2024-02', total: 2, byLanguage: { arb: 1, pbu: 1 }, byAudience: {} },
      { period: '2024-03', total: 1, byLanguage: { pbu: 1 }, byAudience: { AF: 1 } },
      { period: '2024-04', total: 2, byLanguage: { tgk: 2 }, byAudience: { TJ: 2, RU: 1 } },
    ]);
    expect(second).toMatchObject({ group: 'islamic-state', total: 2, byLanguage: { arb: 1, eng: 1 } });
    expect(third).toMatchObject({ group: null, total: 1 });
  });

  it('names weeks and years too', () => {
    expect(periodOf('2024-03-22', 'week')).toBe('2024-W12');
    expect(periodOf('2024-12-30', 'week')).toBe('2025-W01');
    expect(periodOf('2024-03-22T10:00:00Z', 'year')).toBe('2024');
  });
});

describe('new-language and new-audience alerts', () => {
  const crocus = new Map([['iskp', ['AF', 'IR', 'RU']]]);

  it('raises one when a group first publishes in a new language, set against its expansion', () => {
    const alerts = mediaAlerts([...iskp, ...amaq], knowledge, crocus);
    const tajik = alerts.find((a) => a.kind === 'new_language' && a.language === 'tgk');
    expect(tajik).toMatchObject({
      group: 'iskp',
      item: iskp[5]?.id,
      date: '2024-04-02',
      mediaArm: 'al-Azaim',
      country: 'TJ',
      severity: 'high',
      title: 'First Tajik-language item from Islamic State Khorasan Province',
      expansion: {
        homeCountries: ['AF'],
        attackedCountries: ['AF', 'IR', 'RU'],
        country: 'TJ',
        home: false,
        attacked: false,
      },
      sources: ['result.json#6'],
    });
    expect(tajik?.explanation).toContain('after 5 earlier items in Pashto (3)');
    expect(tajik?.explanation).toContain('where it has not attacked');
    // Arabic came after only 3 items: the baseline (minPriorItems 3) is met, so it counts as new.
    expect(alerts.filter((a) => a.kind === 'new_language').map((a) => a.language)).toEqual(['arb', 'tgk']);
    // Each language is new once, and the second Tajik item raises nothing.
    expect(alerts.filter((a) => a.item === iskp[6]?.id)).toEqual([]);
  });

  it('raises one per new audience: TJ ahead of any attack (high), RU where it has attacked (medium)', () => {
    const audiences = mediaAlerts(iskp, knowledge, crocus).filter((a) => a.kind === 'new_audience');
    expect(audiences.map((a) => [a.audience, a.severity, a.expansion.attacked])).toEqual([
      ['TJ', 'high', false],
      ['RU', 'medium', true],
    ]);
    expect(audiences[0]?.evidence).toEqual([expect.objectContaining({ about: 'TJ', snippet: 'to TJ' })]);
    expect(audiences[1]?.explanation).toContain('where it has already attacked');
  });

  it('sets a baseline first: no alert before a group has minPriorItems items', () => {
    expect(mediaAlerts(iskp.slice(0, 3), knowledge, crocus)).toEqual([]);
    expect(mediaAlerts(amaq, knowledge)).toEqual([]);
    expect(mediaAlerts(iskp, knowledge, crocus, { minPriorItems: 10 })).toEqual([]);
  });

  it('is deterministic: the same items give the same alerts and ids', () => {
    expect(mediaAlerts([...iskp].reverse(), knowledge, crocus)).toEqual(mediaAlerts(iskp, knowledge, crocus));
  });

  it('reads the countries a group has attacked from incidents', () => {
    const incident = (country: string, groupId: string, attribution: 'claimed' | 'denied') =>
      ({ country, perpetratorGroups: [{ groupId, group: groupId, attribution, aliasesSeen: [] }] }) as never;
    expect(
      attackedCountries([
        incident('RU', 'iskp', 'claimed'),
        incident('IR', 'iskp', 'claimed'),
        incident('FR', 'iskp', 'denied'),
      ]),
    ).toEqual(new Map([['iskp', ['IR', 'RU']]]));
  });
});
