import type { Incident } from '../resolve/index.js';
import {
  attributedGroups,
  chronological,
  countOf,
  dayNumber,
  isConfirmed,
  isoDay,
  type Knowledge,
  round,
} from './common.js';
import { clamp, saturate, upperBound } from './stats.js';

export const THREAT_LEVELS = ['low', 'moderate', 'substantial', 'severe', 'critical'] as const;
export type ThreatLevel = (typeof THREAT_LEVELS)[number];

export type ComponentName = 'tempo' | 'lethality' | 'reach' | 'trend' | 'attribution';

export interface ThreatParams {
  /** The window of tempo, lethality and attribution, in days. Default 365. */
  readonly windowDays: number;
  /** The recent window of the trend, in days. Default 90. */
  readonly recentDays: number;
  /** The window of reach, in days. Default 730. */
  readonly reachDays: number;
  /** Points each component can give at most (trend can also take away its weight). Sum 100. */
  readonly weights: Readonly<Record<ComponentName, number>>;
  /** Attacks in the window that give half the tempo points. Default 6. */
  readonly tempoHalf: number;
  /** Killed in the window that give half the lethality points. Default 100. */
  readonly lethalityHalf: number;
  /** Reach value that gives half the reach points: 6 for groups (see `reach`), 3 groups for countries. */
  readonly reachHalfGroup: number;
  readonly reachHalfCountry: number;
  /** Lowest scores of moderate, substantial, severe and critical. Default 20, 40, 60, 80. */
  readonly thresholds: readonly [number, number, number, number];
}

export const DEFAULT_THREAT_PARAMS: ThreatParams = Object.freeze({
  windowDays: 365,
  recentDays: 90,
  reachDays: 730,
  weights: Object.freeze({ tempo: 25, lethality: 25, reach: 20, trend: 15, attribution: 15 }),
  tempoHalf: 6,
  lethalityHalf: 100,
  reachHalfGroup: 6,
  reachHalfCountry: 3,
  thresholds: Object.freeze([20, 40, 60, 80]) as unknown as readonly [number, number, number, number],
});

export interface Subject {
  readonly kind: 'group' | 'country';
  /** Group id or ISO country code. */
  readonly id: string;
  readonly name: string;
}

export interface ThreatComponent {
  readonly name: ComponentName;
  /** The measured value (attacks, killed, reach, ratio, share). */
  readonly value: number;
  /** The value in words, with its window. */
  readonly detail: string;
  /** The value mapped to 0..1 (trend: −1..1). */
  readonly score: number;
  readonly weight: number;
  /** score × weight: the points it adds to the total. */
  readonly contribution: number;
}

export interface ThreatAssessment {
  readonly subject: Subject;
  readonly asOf: string;
  readonly level: ThreatLevel;
  /** 0..100, the sum of the contributions. */
  readonly score: number;
  readonly components: readonly ThreatComponent[];
  /** Incidents of the subject up to `asOf`. */
  readonly incidents: number;
}

export interface LevelChange {
  readonly subject: Subject;
  readonly date: string;
  /** The incident that changed the level; null when time alone did (the window moved on). */
  readonly incident: string | null;
  readonly cause: 'incident' | 'time';
  /** null for the first assessment of the subject. */
  readonly from: ThreatLevel | null;
  readonly to: ThreatLevel;
  readonly scoreBefore: number | null;
  readonly scoreAfter: number;
  /** The components that moved, largest change first, in words and numbers. */
  readonly reason: string;
  readonly components: readonly ThreatComponent[];
}

export interface ThreatResult {
  readonly asOf: string | null;
  /** Current assessments, highest score first (then id). */
  readonly groups: readonly ThreatAssessment[];
  readonly countries: readonly ThreatAssessment[];
  /** Every level change in date order. */
  readonly changes: readonly LevelChange[];
}

interface Track {
  readonly subject: Subject;
  readonly days: number[];
  readonly killedPrefix: number[];
  /** Incidents with a confirmed (claimed or identified) attribution, as a prefix count. */
  readonly confirmedPrefix: number[];
  /** Incidents with any attribution, as a prefix count. */
  readonly attributedPrefix: number[];
  /** Per incident: the reach key (a country for a group, a group for a country; '' for none). */
  readonly keys: string[];
  readonly reachCounts: Map<string, number>;
  readonly subregionCounts: Map<string, number>;
  reachPtr: number;
  level: ThreatLevel | null;
  /** The last measure taken (after the last incident). */
  measure: Measure | null;
}

export function levelOf(score: number, thresholds: ThreatParams['thresholds']): ThreatLevel {
  let i = 0;
  while (i < thresholds.length && score >= (thresholds[i] as number)) i++;
  return THREAT_LEVELS[i] as ThreatLevel;
}

/**
 * Threat levels of every group and country with incidents, replayed incident by incident in date
 * order: each incident updates its groups and its country (a constant amount of work with the
 * windows kept as sorted days and prefix sums), and each change of level is recorded with the
 * components that moved. The current levels are assessed at `asOf` (default: the last incident's
 * date), so the result depends only on the incidents and the parameters.
 */
export function computeThreat(
  incidents: readonly Incident[],
  knowledge: Knowledge,
  params: Partial<ThreatParams> = {},
  asOf?: string,
): ThreatResult {
  const p = { ...DEFAULT_THREAT_PARAMS, ...params };
  const upTo = asOf === undefined ? null : dayNumber(asOf);
  if (upTo !== null && !Number.isFinite(upTo)) throw new Error(`invalid as-of date ${asOf}`);
  const ordered = chronological(incidents).filter(
    (i) => upTo === null || dayNumber((i.date as NonNullable<Incident['date']>).date) <= upTo,
  );
  const { tracks, changes } = replay(ordered, knowledge, p);
  const endDay = upTo ?? lastDayOf(tracks);
  if (!Number.isFinite(endDay)) return { asOf: asOf ?? null, groups: [], countries: [], changes };
  const groups: ThreatAssessment[] = [];
  const countries: ThreatAssessment[] = [];
  const date = isoDay(endDay);
  for (const t of tracks.values()) {
    const n = upperBound(t.days, endDay);
    if (n === 0) continue;
    const m = evaluate(t, endDay, n, p, knowledge);
    const level = levelOf(m.score, p.thresholds);
    if (level !== t.level) changes.push(change(t, date, null, 'time', level, m, p));
    const score = m.score;
    const components = componentsOf(t, m, p, true);
    (t.subject.kind === 'group' ? groups : countries).push({
      subject: t.subject,
      asOf: date,
      level,
      score,
      components,
      incidents: n,
    });
  }
  const order = (a: ThreatAssessment, b: ThreatAssessment) =>
    b.score - a.score || (a.subject.id < b.subject.id ? -1 : a.subject.id > b.subject.id ? 1 : 0);
  return { asOf: date, groups: groups.sort(order), countries: countries.sort(order), changes };
}

function replay(ordered: readonly Incident[], knowledge: Knowledge, p: ThreatParams) {
  const tracks = new Map<string, Track>();
  const changes: LevelChange[] = [];
  const trackOf = (subject: Subject): Track => {
    const key = `${subject.kind}:${subject.id}`;
    let t = tracks.get(key);
    if (t === undefined) {
      t = {
        subject,
        days: [],
        killedPrefix: [0],
        confirmedPrefix: [0],
        attributedPrefix: [0],
        keys: [],
        reachCounts: new Map(),
        subregionCounts: new Map(),
        reachPtr: 0,
        level: null,
        measure: null,
      };
      tracks.set(key, t);
    }
    return t;
  };
  for (const incident of ordered) {
    const day = dayNumber((incident.date as NonNullable<Incident['date']>).date);
    const killed = countOf(incident.killed);
    const groups = attributedGroups(incident);
    const touched: [Track, string, boolean, boolean][] = [];
    for (const g of groups) {
      const name = knowledge.groups.get(g.groupId)?.name ?? g.group;
      touched.push([
        trackOf({ kind: 'group', id: g.groupId, name }),
        incident.country ?? '',
        isConfirmed(g.attribution),
        true,
      ]);
    }
    if (incident.country !== null) {
      const name = knowledge.countries.get(incident.country)?.name ?? incident.country;
      const strongest = groups.find((g) => isConfirmed(g.attribution)) ?? groups[0];
      touched.push([
        trackOf({ kind: 'country', id: incident.country, name }),
        strongest?.groupId ?? '',
        strongest !== undefined && isConfirmed(strongest.attribution),
        strongest !== undefined,
      ]);
    }
    const date = isoDay(day);
    for (const [t, key, confirmed, attributed] of touched) {
      // Time first: the level the subject had decayed to by this day, before the incident.
      if (t.days.length > 0) {
        const before = evaluate(t, day, t.days.length, p, knowledge);
        const level = levelOf(before.score, p.thresholds);
        if (level !== t.level) changes.push(change(t, date, null, 'time', level, before, p));
      }
      t.days.push(day);
      t.keys.push(key);
      t.killedPrefix.push((t.killedPrefix[t.killedPrefix.length - 1] as number) + killed);
      t.confirmedPrefix.push(
        (t.confirmedPrefix[t.confirmedPrefix.length - 1] as number) + (confirmed ? 1 : 0),
      );
      t.attributedPrefix.push(
        (t.attributedPrefix[t.attributedPrefix.length - 1] as number) + (attributed ? 1 : 0),
      );
      addKey(t, key, knowledge, 1);
      const after = evaluate(t, day, t.days.length, p, knowledge);
      const level = levelOf(after.score, p.thresholds);
      if (level !== t.level) changes.push(change(t, date, incident.id, 'incident', level, after, p));
      else t.measure = after;
    }
  }
  return { tracks, changes };
}

function lastDayOf(tracks: ReadonlyMap<string, Track>): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const t of tracks.values()) last = Math.max(last, t.days[t.days.length - 1] ?? last);
  return last;
}

function addKey(t: Track, key: string, knowledge: Knowledge, delta: 1 | -1): void {
  if (key === '') return;
  bump(t.reachCounts, key, delta);
  if (t.subject.kind === 'group') {
    const sub = knowledge.countries.get(key)?.subregion;
    if (sub !== undefined) bump(t.subregionCounts, sub, delta);
  }
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const n = (map.get(key) ?? 0) + delta;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

/** The numbers behind the components of a track at one day; cheap, so it can run on every incident. */
interface Measure {
  readonly attacks: number;
  readonly killed: number;
  readonly confirmed: number;
  readonly attributed: number;
  readonly recent: number;
  readonly expected: number;
  readonly ratio: number;
  /** Groups: (countries − 1) + 2 (subregions − 1); countries: groups attacking. */
  readonly reach: number;
  readonly countries: number;
  readonly subregions: number;
  readonly scores: Readonly<Record<ComponentName, number>>;
  readonly score: number;
}

const COMPONENTS: readonly ComponentName[] = ['tempo', 'lethality', 'reach', 'trend', 'attribution'];

/** Measures a track at `day` over its first `n` incidents (those up to `day`). */
function evaluate(t: Track, day: number, n: number, p: ThreatParams, knowledge: Knowledge): Measure {
  const days = t.days;
  // Reach: the sliding window only moves forward (days are evaluated in order).
  while (t.reachPtr < n && (days[t.reachPtr] as number) <= day - p.reachDays) {
    addKey(t, t.keys[t.reachPtr] as string, knowledge, -1);
    t.reachPtr++;
  }
  const windowStart = upperBound(days, day - p.windowDays, 0, n);
  const attacks = n - windowStart;
  const killed = (t.killedPrefix[n] as number) - (t.killedPrefix[windowStart] as number);
  const confirmed = (t.confirmedPrefix[n] as number) - (t.confirmedPrefix[windowStart] as number);
  const attributed = (t.attributedPrefix[n] as number) - (t.attributedPrefix[windowStart] as number);
  const recentStart = upperBound(days, day - p.recentDays, 0, n);
  const recent = n - recentStart;
  const baseStart = upperBound(days, day - p.recentDays - p.windowDays, 0, recentStart);
  const expected = ((recentStart - baseStart) * p.recentDays) / p.windowDays;
  const ratio = (recent + 1) / (expected + 1);
  const countries = t.reachCounts.size;
  const subregions = t.subregionCounts.size;
  const group = t.subject.kind === 'group';
  const reach = group ? Math.max(0, countries - 1) + 2 * Math.max(0, subregions - 1) : countries;
  const scores = {
    tempo: saturate(attacks, p.tempoHalf),
    lethality: saturate(killed, p.lethalityHalf),
    reach: saturate(reach, group ? p.reachHalfGroup : p.reachHalfCountry),
    trend: clamp(Math.log2(ratio) / 2, -1, 1),
    attribution: attributed === 0 ? 0 : confirmed / attributed,
  };
  let total = 0;
  for (const name of COMPONENTS) total += round(scores[name] * p.weights[name], 2);
  return {
    attacks,
    killed,
    confirmed,
    attributed,
    recent,
    expected,
    ratio,
    reach,
    countries,
    subregions,
    scores,
    score: round(clamp(total, 0, 100), 2),
  };
}

/** The components of a measure in words and numbers (built only when shown or recorded). */
function componentsOf(t: Track, m: Measure, p: ThreatParams, withKeys: boolean): ThreatComponent[] {
  const keys = withKeys ? [...t.reachCounts.keys()].sort().join(', ') : '';
  const values: Record<ComponentName, [number, string]> = {
    tempo: [m.attacks, `${m.attacks} attacks in the last ${p.windowDays} days`],
    lethality: [m.killed, `${m.killed} killed in the last ${p.windowDays} days`],
    reach:
      t.subject.kind === 'group'
        ? [
            m.reach,
            `${m.countries} countr${m.countries === 1 ? 'y' : 'ies'} in ${m.subregions} UN subregion${m.subregions === 1 ? '' : 's'} in the last ${p.reachDays} days${keys ? ` (${keys})` : ''}`,
          ]
        : [
            m.reach,
            `${m.reach} group${m.reach === 1 ? '' : 's'} attacking in the last ${p.reachDays} days${keys ? ` (${keys})` : ''}`,
          ],
    trend: [
      m.ratio,
      `${m.recent} attacks in the last ${p.recentDays} days against ${round(m.expected)} expected from the ${p.windowDays} days before (ratio (${m.recent}+1)/(${round(m.expected)}+1) = ${round(m.ratio)})`,
    ],
    attribution: [
      m.attributed === 0 ? 0 : m.confirmed / m.attributed,
      `${m.confirmed} of ${m.attributed} attributed attacks in the last ${p.windowDays} days claimed or identified, not merely suspected`,
    ],
  };
  return COMPONENTS.map((name) => ({
    name,
    value: round(values[name][0], 3),
    detail: values[name][1],
    score: round(m.scores[name], 3),
    weight: p.weights[name],
    contribution: round(m.scores[name] * p.weights[name], 2),
  }));
}

function change(
  t: Track,
  date: string,
  incident: string | null,
  cause: LevelChange['cause'],
  to: ThreatLevel,
  m: Measure,
  p: ThreatParams,
): LevelChange {
  const from = t.level;
  const components = componentsOf(t, m, p, true);
  const before = t.measure === null ? null : componentsOf(t, t.measure, p, false);
  const reason = describeChange(from, to, before, components, cause, incident, m.score);
  const record: LevelChange = {
    subject: t.subject,
    date,
    incident,
    cause,
    from,
    to,
    scoreBefore: t.measure?.score ?? null,
    scoreAfter: m.score,
    reason,
    components,
  };
  t.level = to;
  t.measure = m;
  return record;
}

function describeChange(
  from: ThreatLevel | null,
  to: ThreatLevel,
  before: readonly ThreatComponent[] | null,
  after: readonly ThreatComponent[],
  cause: LevelChange['cause'],
  incident: string | null,
  total: number,
): string {
  const head =
    from === null
      ? `first assessed ${to}`
      : `${THREAT_LEVELS.indexOf(to) > THREAT_LEVELS.indexOf(from) ? 'rose' : 'fell'} from ${from} to ${to}`;
  const why =
    cause === 'incident' ? `after incident ${incident}` : 'as the windows moved on with no new attack';
  const moved = after
    .map((c) => {
      const old = before?.find((b) => b.name === c.name);
      return { c, delta: c.contribution - (old?.contribution ?? 0), old };
    })
    .filter((m) => Math.abs(m.delta) >= 0.05)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.c.name < b.c.name ? -1 : 1))
    .map(
      ({ c, delta, old }) =>
        `${c.name} ${old ? `${old.value} → ` : ''}${c.value} (${delta >= 0 ? '+' : ''}${round(delta, 1)} points: ${c.detail})`,
    );
  return `${head} ${why} (score ${round(total, 1)}): ${moved.length ? moved.join('; ') : 'no component moved'}`;
}

export interface BacktestResult {
  readonly horizonDays: number;
  /** Level rises caused by an incident, with at least `horizonDays` of data after them. */
  readonly rises: number;
  /** …followed by another attack of the same subject within the horizon. */
  readonly risesFollowed: number;
  readonly riseHitRate: number | null;
  /** Every incident of every subject (with a full horizon after it): the base rate. */
  readonly events: number;
  readonly eventsFollowed: number;
  readonly baseRate: number | null;
  /** riseHitRate / baseRate. */
  readonly lift: number | null;
  /** Level falls, and how often an attack followed them anyway. */
  readonly falls: number;
  readonly fallsFollowed: number;
  readonly fallHitRate: number | null;
  readonly byKind: Readonly<Record<'group' | 'country', { rises: number; risesFollowed: number }>>;
}

/**
 * Replays the history and asks, for every rise of a level caused by an incident, whether the same
 * group or country attacked again within `horizonDays`; compares that with the same rate after any
 * incident. Changes less than `horizonDays` before the last incident are left out (their future is
 * not in the data).
 */
export function backtest(
  incidents: readonly Incident[],
  knowledge: Knowledge,
  horizonDays = 90,
  params: Partial<ThreatParams> = {},
): BacktestResult {
  const p = { ...DEFAULT_THREAT_PARAMS, ...params };
  const { tracks, changes } = replay(chronological(incidents), knowledge, p);
  const lastDay = lastDayOf(tracks);
  const followed = (t: Track, day: number) => {
    const i = upperBound(t.days, day);
    return i < t.days.length && (t.days[i] as number) <= day + horizonDays;
  };
  let events = 0;
  let eventsFollowed = 0;
  for (const t of tracks.values()) {
    for (const d of new Set(t.days)) {
      if (d + horizonDays > lastDay) continue;
      events++;
      if (followed(t, d)) eventsFollowed++;
    }
  }
  let rises = 0;
  let risesFollowed = 0;
  let falls = 0;
  let fallsFollowed = 0;
  const byKind = { group: { rises: 0, risesFollowed: 0 }, country: { rises: 0, risesFollowed: 0 } };
  for (const c of changes) {
    if (c.cause !== 'incident' || c.from === null) continue;
    const day = dayNumber(c.date);
    if (day + horizonDays > lastDay) continue;
    const t = tracks.get(`${c.subject.kind}:${c.subject.id}`) as Track;
    const hit = followed(t, day);
    if (THREAT_LEVELS.indexOf(c.to) > THREAT_LEVELS.indexOf(c.from)) {
      rises++;
      byKind[c.subject.kind].rises++;
      if (hit) {
        risesFollowed++;
        byKind[c.subject.kind].risesFollowed++;
      }
    } else {
      falls++;
      if (hit) fallsFollowed++;
    }
  }
  const rate = (a: number, b: number) => (b === 0 ? null : round(a / b, 3));
  const riseHitRate = rate(risesFollowed, rises);
  const baseRate = rate(eventsFollowed, events);
  return {
    horizonDays,
    rises,
    risesFollowed,
    riseHitRate,
    events,
    eventsFollowed,
    baseRate,
    lift: riseHitRate !== null && baseRate ? round(riseHitRate / baseRate, 2) : null,
    falls,
    fallsFollowed,
    fallHitRate: rate(fallsFollowed, falls),
    byKind,
  };
}
