import { describe, expect, it } from 'vitest';
import {
  alertsFor,
  backtest,
  computeThreat,
  countryLinks,
  groupProfile,
  implicationsOf,
  levelOf,
  relationsGraph,
  replayAlerts,
  THREAT_LEVELS,
  toGraphml,
} from '../../src/analyze/index.js';
import { poissonUpperTail } from '../../src/analyze/stats.js';
import type { Incident } from '../../src/resolve/index.js';
import { history, knowledge, moscow, upTo } from './helpers.js';

const k = knowledge();
const past = history(k);
const founding = moscow(k);
const before = upTo(past.incidents, '2024-03-21');

describe('the compiled history', () => {
  it('loads with an origin that says it is history, and sources on every entry', () => {
    expect(past.incidents.length).toBeGreaterThanOrEqual(50);
    for (const d of past.documents) {
      expect(d.origin).toMatch(/^history:incidents\.json#[a-z0-9-]+$/);
      expect(d.text).toMatch(/Sources: .+\./);
    }
    const iskp = past.incidents.filter((i) => i.perpetratorGroups[0]?.groupId === 'iskp');
    expect(new Set(iskp.map((i) => i.country))).toEqual(new Set(['AF', 'PK', 'UZ', 'IR']));
    expect(iskp.some((i) => i.date?.date === '2024-01-03' && i.country === 'IR')).toBe(true);
    // The founding attack itself is not in the history.
    expect(past.incidents.some((i) => i.country === 'RU')).toBe(false);
  });

  it('gives evidence pointing at the exact characters of its sentence', () => {
    for (const i of past.incidents) {
      const doc = past.documents.find((d) => d.id === i.sources[0]);
      for (const e of i.evidence) expect(doc?.text.slice(e.start, e.end)).toBe(e.text);
    }
  });

  it('is the same every time (stable ids)', () => {
    expect(history(k).incidents.map((i) => i.id)).toEqual(past.incidents.map((i) => i.id));
  });
});

describe('group profile', () => {
  it('counts ISKP by year and country, with its mix, first and last attack and attributions', () => {
    const p = groupProfile('iskp', [...before, founding], k);
    expect(p.homeCountries).toEqual(['AF']);
    expect(p.firstAttack?.date).toBe('2015-04-18');
    expect(p.lastAttack).toEqual({ date: '2024-03-22', incident: founding.id });
    expect(p.countries).toEqual(['AF', 'PK', 'UZ', 'IR', 'RU']);
    expect(p.countriesOutsideHome).toEqual(['PK', 'UZ', 'IR', 'RU']);
    expect(p.byCountry.RU).toEqual({ incidents: 1, killed: 139, wounded: 0 });
    expect(p.byYear['2024']?.incidents).toBe(4);
    expect(p.attackTypes.bombing_explosion).toBeGreaterThan(20);
    expect(p.attributions.suspected).toBe(3);
    expect(p.confirmedShare).toBeCloseTo((p.totals.incidents - 3) / p.totals.incidents, 3);
  });
});

describe('expansion alerts', () => {
  const alerts = alertsFor(founding, past.incidents, k);
  const kinds = alerts.map((a) => a.kind);

  it('raise the first ISKP attack in Russia, in Eastern Europe and in Europe', () => {
    expect(kinds).toEqual(
      expect.arrayContaining([
        'new_country',
        'new_subregion',
        'new_region',
        'mass_casualty',
        'lethality_rise',
      ]),
    );
    const country = alerts.find((a) => a.kind === 'new_country');
    expect(country).toMatchObject({ group: 'iskp', country: 'RU', severity: 'high', incident: founding.id });
    expect(country?.title).toBe('First attack by Islamic State Khorasan Province in Russia');
    expect(country?.explanation).toContain('its home countries are AF');
    expect(country?.explanation).toContain('were in AF, IR, PK, UZ');
    expect(country?.evidence.map((e) => e.text)).toContain('Moscow');
    const sub = alerts.find((a) => a.kind === 'new_subregion');
    expect(sub?.title).toBe('First attack by Islamic State Khorasan Province in Eastern Europe');
    expect(sub?.numbers.known_subregions).toBe('Central Asia,Southern Asia');
  });

  it('are deterministic and ignore history after the incident', () => {
    expect(alertsFor(founding, [...past.incidents].reverse(), k)).toEqual(alerts);
    expect(alertsFor(founding, before, k)).toEqual(alerts);
  });

  it('are the same whether computed for one incident or by replaying everything', () => {
    const replayed = replayAlerts([...past.incidents, founding], k).filter((a) => a.incident === founding.id);
    expect(replayed).toEqual(alerts);
  });

  it('do not fire for an attack in a country already on record', () => {
    const kabul = past.incidents.find((i) => i.id !== undefined && i.date?.date === '2024-03-21') as Incident;
    expect(alertsFor(kabul, past.incidents, k).map((a) => a.kind)).toEqual(['mass_casualty']);
  });

  it('honour the mass-casualty threshold', () => {
    expect(
      alertsFor(founding, past.incidents, k, { massCasualtyKilled: 200 }).map((a) => a.kind),
    ).not.toContain('mass_casualty');
  });

  it('lower the severity of an expansion that is only suspected', () => {
    const suspected: Incident = {
      ...founding,
      perpetratorGroups: founding.perpetratorGroups.map((g) => ({ ...g, attribution: 'suspected' })),
    };
    expect(alertsFor(suspected, past.incidents, k).find((a) => a.kind === 'new_country')?.severity).toBe(
      'medium',
    );
  });

  it('raise a tempo rise on a Poisson-improbable run of attacks', () => {
    const base = before.find((i) => i.id === past.incidents.find((p) => p.country === 'KE')?.id) as Incident;
    const burst = ['2024-06-01', '2024-06-05', '2024-06-09', '2024-06-12'].map((date, n) => ({
      ...base,
      id: `burst${n}`,
      date: { date, precision: 'day' as const },
    }));
    const all = replayAlerts([...past.incidents, ...burst], k).filter((a) => a.kind === 'tempo_rise');
    expect(all.map((a) => a.incident)).toContain('burst3');
    expect(all.find((a) => a.incident === 'burst3')?.explanation).toMatch(/Poisson P\(X ≥ 4\)/);
  });
});

describe('international implications', () => {
  it('link the attackers’ nationality and the group’s home to the country attacked', () => {
    const links = implicationsOf(founding, k);
    expect(links.map((l) => `${l.kind} ${l.from}->${l.to}`)).toEqual([
      'attacker_nationality TJ->RU',
      'group_home AF->RU',
    ]);
    expect(links[0]?.evidence.some((e) => e.field === 'perpetrator_nationalities')).toBe(true);
    const all = countryLinks([...past.incidents, founding], k);
    expect(
      all.find((l) => l.kind === 'group_home' && l.from === 'AF' && l.to === 'PK')?.incidents,
    ).toHaveLength(4);
  });
});

describe('threat levels', () => {
  it('rise for ISKP with the Moscow attack, with the components that moved', () => {
    const prior = computeThreat(before, k, {}, '2024-03-22').groups.find((a) => a.subject.id === 'iskp');
    const after = computeThreat([...before, founding], k, {}, '2024-03-22');
    const now = after.groups.find((a) => a.subject.id === 'iskp');
    expect(prior?.level).toBe('substantial');
    expect(now?.level).toBe('severe');
    expect(now?.score).toBeGreaterThan(prior?.score ?? 100);
    expect(now?.components.map((c) => c.name)).toEqual([
      'tempo',
      'lethality',
      'reach',
      'trend',
      'attribution',
    ]);
    const sum = now?.components.reduce((s, c) => s + c.contribution, 0) ?? 0;
    expect(now?.score).toBeCloseTo(sum, 1);
    const change = after.changes.find((c) => c.incident === founding.id && c.subject.id === 'iskp');
    expect(change).toMatchObject({
      from: 'substantial',
      to: 'severe',
      cause: 'incident',
      date: '2024-03-22',
    });
    expect(change?.reason).toMatch(/^rose from substantial to severe after incident/);
    expect(change?.reason).toContain('lethality 209 → 348');
    expect(change?.reason).toContain('(AF, IR, PK, RU, UZ)');
    expect(after.countries.find((a) => a.subject.id === 'RU')?.level).not.toBe('low');
  });

  it('are deterministic whatever the input order', () => {
    const a = computeThreat([...past.incidents, founding], k);
    const b = computeThreat([founding, ...past.incidents].reverse(), k);
    expect(b).toEqual(a);
  });

  it('map scores to the five levels', () => {
    const t = [20, 40, 60, 80] as const;
    expect([0, 19.9, 20, 59, 60, 80, 100].map((s) => levelOf(s, t))).toEqual([
      'low',
      'low',
      'moderate',
      'substantial',
      'severe',
      'critical',
      'critical',
    ]);
    expect(THREAT_LEVELS).toHaveLength(5);
  });

  it('backtest counts rises and what followed them', () => {
    const r = backtest([...past.incidents, founding], k, 90);
    expect(r.rises).toBeGreaterThan(0);
    expect(r.risesFollowed).toBeLessThanOrEqual(r.rises);
    expect(r.baseRate).not.toBeNull();
    expect(backtest([...past.incidents, founding], k, 90)).toEqual(r);
  });
});

describe('relations graph', () => {
  it('joins knowledge and incidents around ISKP', () => {
    const g = relationsGraph([...past.incidents, founding], k, 'iskp');
    const edges = g.edges.map((e) => `${e.kind} ${e.source} ${e.target}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'offshoot-of group:iskp group:islamic-state',
        'rival-of group:iskp group:taliban',
        'home group:iskp country:AF',
        'media-arm-of media:al-Azaim group:iskp',
        'operates-in group:iskp country:AF',
        'targets group:iskp country:RU',
        'attacker_nationality country:TJ country:RU',
        'group_home country:AF country:RU',
      ]),
    );
    const xml = toGraphml(g);
    expect(xml).toContain('<graphml');
    expect(xml).toContain('source="country:TJ" target="country:RU"');
  });
});

describe('Poisson tail', () => {
  it('matches known values', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 10);
    expect(poissonUpperTail(4, 1)).toBeCloseTo(0.01899, 4);
    expect(poissonUpperTail(600, 500)).toBeLessThan(0.001);
  });
});
