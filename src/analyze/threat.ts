import type { Incident } from '../resolve/index.js';
import {
  chronological,
  countOf,
  dayNumber,
  flat,
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

export function levelOf(score: number, thresholds: ThreatParams['thresholds']): ThreatLevel {
  let i = 0;
  while (i < thresholds.length && score >= (thresholds[i] as number)) i++;
  return THREAT_LEVELS[i] as ThreatLevel;
}

/**
 * Threat levels of every group and country with incidents, replayed incident by incident in date
 * order: each incident updates its groups and its country (a constant amount of work: the windows
 * are sorted days with prefix sums and forward-only pointers), and each change of level is recorded
 * with the components that moved. The current levels are assessed at `asOf` (default: the last
 * incident's date), so the result depends only on the incidents and the parameters.
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
  let ordered = chronological(incidents);
  if (upTo !== null) ordered = ordered.filter((i) => dayNumber(dateOf(i)) <= upTo);
  const prepared = prepare(ordered, knowledge);
  const replayer = new Replayer(prepared, p);
  const list = new ChangeList(prepared);
  const endDay = upTo ?? prepared.lastDay;
  const date = Number.isFinite(endDay) ? isoDay(endDay) : '';
  const groups: ThreatAssessment[] = [];
  const countries: ThreatAssessment[] = [];
  const finals: LevelChange[] = [];
  for (let s = 0; s < prepared.subjects.length; s++) {
    const state = replayer.replay(s, list);
    const { assessment, change } = replayer.assess(state, endDay, date);
    if (change !== null) finals.push(change);
    (assessment.subject.kind === 'group' ? groups : countries).push(assessment);
  }
  const changes = list.sorted();
  for (const c of finals) changes.push(c);
  if (!Number.isFinite(endDay)) return { asOf: asOf ?? null, groups: [], countries: [], changes };
  return { asOf: date, groups: groups.sort(byScore), countries: countries.sort(byScore), changes };
}

function byScore(a: ThreatAssessment, b: ThreatAssessment): number {
  return b.score - a.score || (a.subject.id < b.subject.id ? -1 : a.subject.id > b.subject.id ? 1 : 0);
}

const dateOf = (i: Incident): string => (i.date as NonNullable<Incident['date']>).date;

/* ----------------------------------------------------------------------------------------------
 * Incremental analysis (src/analyze/incremental.ts) keeps each subject's replay in the store. The
 * replay of one subject depends only on the incidents that touch it, so replaying one subject gives
 * exactly the changes and the state the full replay gives it. What depends on every subject — the
 * day T of the current assessment, the last incident's date — is applied when read, from each
 * subject's state and its incidents of the `reachDays` days up to T (`assessStates`).
 * ---------------------------------------------------------------------------------------------- */

/** A change of level and where it falls in the replay: `step` is the replay key (`date id`) of the
 * incident being replayed, `ord` the subject's position among those the incident touches (its
 * groups, then its country). The full replay orders changes by step, ord, then time before incident. */
export interface PlacedChange {
  readonly change: LevelChange;
  readonly step: string;
  readonly ord: number;
}

/** Replay key of an incident: its date, a space, its id. A space sorts below every character of a
 * date, so comparing keys (as JavaScript compares strings) is replay order. */
export function stepOf(incident: Incident): string {
  return `${incident.date?.date ?? ''} ${incident.id}`;
}

/** What the replay of one subject leaves behind: enough to assess it on any later day. */
export interface SubjectState {
  readonly subject: Subject;
  /** Its dated incidents. */
  readonly incidents: number;
  /** The day of its last incident (ISO date). */
  readonly lastDate: string;
  /** Its level after its last incident. */
  readonly level: ThreatLevel;
  /** The last measure taken, as `MEASURE_FIELDS` name them (what the next change is compared with). */
  readonly measure: readonly number[];
  /** Step and ord of its first incident: the order of the assessments on T in the full replay. */
  readonly firstStep: string;
  readonly firstOrd: number;
}

/**
 * Replays one subject (a group or a country) over `incidents` (others among them are ignored) and
 * returns its changes of level in replay order and its state; null state when no dated incident
 * touches it. With `from` (a step), the changes before it are only counted (`skipped`): the changes
 * returned are those from position `skipped` of the subject's history on.
 */
export function replaySubject(
  subject: { readonly kind: Subject['kind']; readonly id: string },
  incidents: readonly Incident[],
  knowledge: Knowledge,
  params: Partial<ThreatParams> = {},
  from?: string,
): { changes: PlacedChange[]; skipped: number; state: SubjectState | null } {
  const p = { ...DEFAULT_THREAT_PARAMS, ...params };
  const prepared = prepare(chronological(incidents), knowledge, subject);
  if (prepared.subjects.length === 0) return { changes: [], skipped: 0, state: null };
  const replayer = new Replayer(prepared, p);
  const list = new ChangeList(prepared);
  let quietBefore = 0;
  if (from !== undefined)
    while (quietBefore < prepared.ordered.length && stepOf(prepared.ordered[quietBefore] as Incident) < from)
      quietBefore++;
  const state = replayer.replay(0, list, quietBefore);
  const first = prepared.ordered[prepared.entIdx[0] as number] as Incident;
  const last = prepared.entIdx[state.n - 1] as number;
  return {
    changes: list.placed(),
    skipped: list.skipped,
    state: {
      subject: state.subject,
      incidents: state.n,
      lastDate: isoDay(prepared.days[last] as number),
      level: THREAT_LEVELS[state.level] as ThreatLevel,
      measure: Array.from(state.measure),
      firstStep: stepOf(first),
      firstOrd: prepared.entOrd[0] as number,
    },
  };
}

/**
 * The assessments on day `asOf` of subjects whose replay is stored (`states`), from the incidents
 * dated in the `reachDays` days up to it (`recent`: others are ignored), and the change of level the
 * passing time brings to each (cause `time`), in the order `computeThreat` gives them. With `asOf`
 * the last incident's date this is exactly what `computeThreat` adds after its replay.
 */
export function assessStates(
  states: readonly SubjectState[],
  recent: readonly Incident[],
  knowledge: Knowledge,
  asOf: string,
  params: Partial<ThreatParams> = {},
): { groups: ThreatAssessment[]; countries: ThreatAssessment[]; changes: LevelChange[] } {
  const p = { ...DEFAULT_THREAT_PARAMS, ...params };
  const day = dayNumber(asOf);
  if (!Number.isFinite(day)) throw new Error(`invalid as-of date ${asOf}`);
  const date = isoDay(day);
  const window = chronological(recent).filter((i) => {
    const d = dayNumber(dateOf(i));
    return d <= day && d > day - p.reachDays;
  });
  const prepared = prepare(window, knowledge);
  const index = new Map(prepared.subjects.map((s, n) => [`${s.kind}:${s.id}`, n]));
  const replayer = new Replayer(prepared, p);
  const ordered = [...states].sort(
    (a, b) =>
      (a.firstStep < b.firstStep ? -1 : a.firstStep > b.firstStep ? 1 : 0) ||
      a.firstOrd - b.firstOrd ||
      (a.subject.id < b.subject.id ? -1 : a.subject.id > b.subject.id ? 1 : 0),
  );
  const groups: ThreatAssessment[] = [];
  const countries: ThreatAssessment[] = [];
  const changes: LevelChange[] = [];
  for (const st of ordered) {
    const n = replayer.load(index.get(`${st.subject.kind}:${st.subject.id}`), st.subject);
    const { assessment, change } = replayer.assess(
      {
        subject: st.subject,
        n,
        level: THREAT_LEVELS.indexOf(st.level),
        measure: Float64Array.from(st.measure),
      },
      day,
      date,
      st.incidents,
    );
    if (change !== null) changes.push(change);
    (st.subject.kind === 'group' ? groups : countries).push(assessment);
  }
  return { groups: groups.sort(byScore), countries: countries.sort(byScore), changes };
}

/* --- the replay ------------------------------------------------------------------------------- */

/** Incidents in replay order as columns, and each subject's entries (the incidents touching it) as
 * one contiguous run of flat arrays, in replay order. */
interface Prepared {
  readonly ordered: readonly Incident[];
  readonly days: Int32Array;
  readonly killed: Float64Array;
  /** In order of first appearance in the replay (the order of the full replay's tracks). */
  readonly subjects: Subject[];
  /** Entries of subject s: start[s] … start[s + 1] − 1. */
  readonly start: Int32Array;
  /** The incident (index in `ordered`). */
  readonly entIdx: Int32Array;
  /** The subject's position among those the incident touches. */
  readonly entOrd: Int32Array;
  /** Reach key: the country of a group's incident, the group attacking a country; −1 for none. */
  readonly entKey: Int32Array;
  /** 1: confirmed attribution, 2: any attribution. */
  readonly entFlags: Uint8Array;
  readonly countryKeys: KeySpace;
  readonly groupKeys: KeySpace;
  /** Subregion of each country key (−1 when the country is unknown). */
  readonly subregionOf: Int32Array;
  readonly subregions: number;
  readonly maxOrd: number;
  /** The day of the last incident touching a subject (NaN when none does). */
  readonly lastDay: number;
}

interface KeySpace {
  readonly index: Map<string, number>;
  readonly names: string[];
  /** Position of each key in the names' sorted order (computed when first needed). */
  rank?: Int32Array;
}

function ranks(space: KeySpace): Int32Array {
  if (space.rank === undefined || space.rank.length !== space.names.length) {
    const order = space.names
      .map((_, k) => k)
      .sort((a, b) => {
        const x = space.names[a] as string;
        const y = space.names[b] as string;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    space.rank = new Int32Array(order.length);
    order.forEach((k, r) => {
      (space.rank as Int32Array)[k] = r;
    });
  }
  return space.rank;
}

function keyOf(space: KeySpace, name: string): number {
  let k = space.index.get(name);
  if (k === undefined) {
    k = space.names.length;
    space.index.set(name, k);
    space.names.push(name);
  }
  return k;
}

type Attributed = Incident['perpetratorGroups'][number];

function prepare(
  ordered: readonly Incident[],
  knowledge: Knowledge,
  only?: { readonly kind: Subject['kind']; readonly id: string },
): Prepared {
  const count = ordered.length;
  const days = new Int32Array(count);
  const killed = new Float64Array(count);
  const subjects: Subject[] = [];
  const groupSubject = new Map<string, number>();
  const countrySubject = new Map<string, number>();
  const countryKeys: KeySpace = { index: new Map(), names: [] };
  const groupKeys: KeySpace = { index: new Map(), names: [] };
  // Entries in replay order, grouped by subject afterwards (a stable counting sort).
  const eSubject: number[] = [];
  const eIdx: number[] = [];
  const eOrd: number[] = [];
  const eKey: number[] = [];
  const eFlags: number[] = [];
  let maxOrd = 0;
  let lastDay = Number.NaN;
  const wantGroups = only === undefined || only.kind === 'group';
  const wantCountries = only === undefined || only.kind === 'country';
  for (let r = 0; r < count; r++) {
    const incident = ordered[r] as Incident;
    days[r] = dayNumber(dateOf(incident));
    killed[r] = countOf(incident.killed);
    const country = incident.country;
    let ord = 0;
    let strongest: Attributed | undefined;
    let first: Attributed | undefined;
    for (const g of incident.perpetratorGroups) {
      if (g.attribution === 'denied') continue;
      const confirmed = isConfirmed(g.attribution);
      first ??= g;
      if (strongest === undefined && confirmed) strongest = g;
      const o = ord++;
      if (!wantGroups || (only !== undefined && only.id !== g.groupId)) continue;
      let s = groupSubject.get(g.groupId);
      if (s === undefined) {
        s = subjects.length;
        groupSubject.set(g.groupId, s);
        subjects.push({
          kind: 'group',
          id: g.groupId,
          name: knowledge.groups.get(g.groupId)?.name ?? g.group,
        });
      }
      lastDay = days[r] as number;
      eSubject.push(s);
      eIdx.push(r);
      eOrd.push(o);
      eKey.push(country === null || country === '' ? -1 : keyOf(countryKeys, country));
      eFlags.push((confirmed ? 1 : 0) | 2);
    }
    if (ord > maxOrd) maxOrd = ord;
    if (country === null || !wantCountries || (only !== undefined && only.id !== country)) continue;
    let s = countrySubject.get(country);
    if (s === undefined) {
      s = subjects.length;
      countrySubject.set(country, s);
      subjects.push({
        kind: 'country',
        id: country,
        name: knowledge.countries.get(country)?.name ?? country,
      });
    }
    // A country's attribution counts the incident confirmed when any of its groups is.
    const by = strongest ?? first;
    lastDay = days[r] as number;
    eSubject.push(s);
    eIdx.push(r);
    eOrd.push(ord);
    eKey.push(by === undefined || by.groupId === '' ? -1 : keyOf(groupKeys, by.groupId));
    eFlags.push(by === undefined ? 0 : (isConfirmed(by.attribution) ? 1 : 0) | 2);
  }
  const entries = eSubject.length;
  const start = new Int32Array(subjects.length + 1);
  for (let e = 0; e < entries; e++)
    start[(eSubject[e] as number) + 1] = (start[(eSubject[e] as number) + 1] as number) + 1;
  for (let s = 0; s < subjects.length; s++) start[s + 1] = (start[s + 1] as number) + (start[s] as number);
  const fill = start.slice(0, subjects.length);
  const entIdx = new Int32Array(entries);
  const entOrd = new Int32Array(entries);
  const entKey = new Int32Array(entries);
  const entFlags = new Uint8Array(entries);
  for (let e = 0; e < entries; e++) {
    const s = eSubject[e] as number;
    const at = fill[s] as number;
    fill[s] = at + 1;
    entIdx[at] = eIdx[e] as number;
    entOrd[at] = eOrd[e] as number;
    entKey[at] = eKey[e] as number;
    entFlags[at] = eFlags[e] as number;
  }
  const subregionKeys: KeySpace = { index: new Map(), names: [] };
  const subregionOf = new Int32Array(countryKeys.names.length);
  countryKeys.names.forEach((code, k) => {
    const sub = knowledge.countries.get(code)?.subregion;
    subregionOf[k] = sub === undefined ? -1 : keyOf(subregionKeys, sub);
  });
  return {
    ordered,
    days,
    killed,
    subjects,
    start,
    entIdx,
    entOrd,
    entKey,
    entFlags,
    countryKeys,
    groupKeys,
    subregionOf,
    subregions: subregionKeys.names.length,
    maxOrd,
    lastDay,
  };
}

/** Positions in a measure: the numbers behind the components (see `componentsOf`). */
export const MEASURE_FIELDS = [
  'attacks',
  'killed',
  'confirmed',
  'attributed',
  'recent',
  'expected',
  'ratio',
  'reach',
  'countries',
  'subregions',
  'tempo',
  'lethality',
  'reachScore',
  'trend',
  'attribution',
  'score',
] as const;
const ATTACKS = 0;
const KILLED = 1;
const CONFIRMED = 2;
const ATTRIBUTED = 3;
const RECENT = 4;
const EXPECTED = 5;
const RATIO = 6;
const REACH = 7;
const COUNTRIES = 8;
const SUBREGIONS = 9;
const S_TEMPO = 10;
const S_LETHALITY = 11;
const S_REACH = 12;
const S_TREND = 13;
const S_ATTRIBUTION = 14;
const SCORE = 15;
const MEASURE_SIZE = 16;

interface ReplayState {
  readonly subject: Subject;
  /** Incidents loaded. */
  readonly n: number;
  /** Index in THREAT_LEVELS; −1 before the first assessment. */
  level: number;
  /** The last measure taken. */
  measure: Float64Array;
}

/** Changes of the replay with their place in it; sorted once at the end. */
class ChangeList {
  private readonly changes: LevelChange[] = [];
  private readonly keys: number[] = [];
  private readonly steps: number[] = [];
  private readonly ords: number[] = [];
  private readonly stride: number;
  constructor(private readonly prepared: Prepared) {
    this.stride = 2 * (prepared.maxOrd + 1);
  }
  /** Changes left out (before the step asked for): counted, not made. */
  skipped = 0;
  add(change: LevelChange, r: number, ord: number, incident: boolean): void {
    this.changes.push(change);
    this.keys.push(r * this.stride + ord * 2 + (incident ? 1 : 0));
    this.steps.push(r);
    this.ords.push(ord);
  }
  /** Every change in replay order. */
  sorted(): LevelChange[] {
    const order = this.order();
    return order.map((i) => this.changes[i] as LevelChange);
  }
  placed(): PlacedChange[] {
    return this.order().map((i) => ({
      change: this.changes[i] as LevelChange,
      step: stepOf(this.prepared.ordered[this.steps[i] as number] as Incident),
      ord: this.ords[i] as number,
    }));
  }
  private order(): number[] {
    const keys = this.keys;
    const order = Array.from({ length: keys.length }, (_, i) => i);
    return order.sort((a, b) => (keys[a] as number) - (keys[b] as number));
  }
}

/**
 * Replays subjects one at a time over scratch columns reused from one subject to the next: per
 * incident, prefix sums of killed, confirmed and attributed; windows as pointers that only move
 * forward (the days assessed never go back); reach as counts per key with the number of distinct
 * keys kept as they change. Nothing is allocated per incident but the changes of level themselves.
 */
class Replayer {
  private days = new Int32Array(0);
  private killedPrefix = new Float64Array(1);
  private confirmedPrefix = new Int32Array(1);
  private attributedPrefix = new Int32Array(1);
  private keys = new Int32Array(0);
  private readonly counts: Int32Array;
  /** Keys that reached a count of 1 since the last listing (some may be back to 0). */
  private readonly active: number[] = [];
  private readonly listed: Uint8Array;
  private readonly subCounts: Int32Array;
  private distinct = 0;
  private distinctSub = 0;
  private reachPtr = 0;
  private windowPtr = 0;
  private recentPtr = 0;
  private basePtr = 0;
  private group = true;
  private current = new Float64Array(MEASURE_SIZE);

  constructor(
    private readonly prepared: Prepared,
    private readonly p: ThreatParams,
  ) {
    const keys = Math.max(prepared.countryKeys.names.length, prepared.groupKeys.names.length);
    this.counts = new Int32Array(keys);
    this.listed = new Uint8Array(keys);
    this.subCounts = new Int32Array(prepared.subregions);
  }

  /** Clears the windows for a subject of `size` incidents. */
  private reset(size: number, group: boolean): void {
    if (this.days.length < size) {
      const capacity = Math.max(size, this.days.length * 2, 16);
      this.days = new Int32Array(capacity);
      this.keys = new Int32Array(capacity);
      this.killedPrefix = new Float64Array(capacity + 1);
      this.confirmedPrefix = new Int32Array(capacity + 1);
      this.attributedPrefix = new Int32Array(capacity + 1);
    }
    this.counts.fill(0);
    this.listed.fill(0);
    this.active.length = 0;
    this.subCounts.fill(0);
    this.distinct = 0;
    this.distinctSub = 0;
    this.reachPtr = 0;
    this.windowPtr = 0;
    this.recentPtr = 0;
    this.basePtr = 0;
    this.group = group;
  }

  /** Appends entry `e` as the subject's incident number `n`. */
  private push(e: number, n: number): void {
    const P = this.prepared;
    const r = P.entIdx[e] as number;
    const flags = P.entFlags[e] as number;
    const key = P.entKey[e] as number;
    this.days[n] = P.days[r] as number;
    this.keys[n] = key;
    this.killedPrefix[n + 1] = (this.killedPrefix[n] as number) + (P.killed[r] as number);
    this.confirmedPrefix[n + 1] = (this.confirmedPrefix[n] as number) + (flags & 1);
    this.attributedPrefix[n + 1] = (this.attributedPrefix[n] as number) + ((flags >> 1) & 1);
    this.addKey(key, 1);
  }

  private addKey(key: number, delta: 1 | -1): void {
    if (key < 0) return;
    const c = (this.counts[key] as number) + delta;
    this.counts[key] = c;
    if (delta === 1 ? c === 1 : c === 0) this.distinct += delta;
    if (c === 1 && this.listed[key] === 0) {
      this.listed[key] = 1;
      this.active.push(key);
    }
    if (!this.group) return;
    const sub = this.prepared.subregionOf[key] as number;
    if (sub < 0) return;
    const cs = (this.subCounts[sub] as number) + delta;
    this.subCounts[sub] = cs;
    if (delta === 1 ? cs === 1 : cs === 0) this.distinctSub += delta;
  }

  /** Measures the subject on `day` over its first `n` incidents (those up to `day`) into `m`. */
  private measure(day: number, n: number, m: Float64Array): void {
    const p = this.p;
    const days = this.days;
    while (this.reachPtr < n && (days[this.reachPtr] as number) <= day - p.reachDays) {
      this.addKey(this.keys[this.reachPtr] as number, -1);
      this.reachPtr++;
    }
    const windowFrom = day - p.windowDays;
    while (this.windowPtr < n && (days[this.windowPtr] as number) <= windowFrom) this.windowPtr++;
    const recentFrom = day - p.recentDays;
    while (this.recentPtr < n && (days[this.recentPtr] as number) <= recentFrom) this.recentPtr++;
    const baseFrom = day - p.recentDays - p.windowDays;
    while (this.basePtr < this.recentPtr && (days[this.basePtr] as number) <= baseFrom) this.basePtr++;
    const windowStart = this.windowPtr;
    const attacks = n - windowStart;
    const killed = (this.killedPrefix[n] as number) - (this.killedPrefix[windowStart] as number);
    const confirmed = (this.confirmedPrefix[n] as number) - (this.confirmedPrefix[windowStart] as number);
    const attributed = (this.attributedPrefix[n] as number) - (this.attributedPrefix[windowStart] as number);
    const recent = n - this.recentPtr;
    const expected = ((this.recentPtr - this.basePtr) * p.recentDays) / p.windowDays;
    const ratio = (recent + 1) / (expected + 1);
    const countries = this.distinct;
    const subregions = this.distinctSub;
    const reach = this.group ? Math.max(0, countries - 1) + 2 * Math.max(0, subregions - 1) : countries;
    const tempo = saturate(attacks, p.tempoHalf);
    const lethality = saturate(killed, p.lethalityHalf);
    const reachScore = saturate(reach, this.group ? p.reachHalfGroup : p.reachHalfCountry);
    const trend = clamp(Math.log2(ratio) / 2, -1, 1);
    const attribution = attributed === 0 ? 0 : confirmed / attributed;
    const w = p.weights;
    // The same sum, in the same order, as the components shown: the score is what they add up to.
    let total = 0;
    total += round(tempo * w.tempo, 2);
    total += round(lethality * w.lethality, 2);
    total += round(reachScore * w.reach, 2);
    total += round(trend * w.trend, 2);
    total += round(attribution * w.attribution, 2);
    m[ATTACKS] = attacks;
    m[KILLED] = killed;
    m[CONFIRMED] = confirmed;
    m[ATTRIBUTED] = attributed;
    m[RECENT] = recent;
    m[EXPECTED] = expected;
    m[RATIO] = ratio;
    m[REACH] = reach;
    m[COUNTRIES] = countries;
    m[SUBREGIONS] = subregions;
    m[S_TEMPO] = tempo;
    m[S_LETHALITY] = lethality;
    m[S_REACH] = reachScore;
    m[S_TREND] = trend;
    m[S_ATTRIBUTION] = attribution;
    m[SCORE] = round(clamp(total, 0, 100), 2);
  }

  private levelIndex(score: number): number {
    const t = this.p.thresholds;
    let i = 0;
    while (i < t.length && score >= (t[i] as number)) i++;
    return i;
  }

  /** Replays subject `s` over its entries, adding its changes to `list` (only counting those of
   * incidents before number `quietBefore` of the replay). */
  replay(s: number, list: ChangeList, quietBefore = 0): ReplayState {
    const P = this.prepared;
    const subject = P.subjects[s] as Subject;
    const from = P.start[s] as number;
    const to = P.start[s + 1] as number;
    this.reset(to - from, subject.kind === 'group');
    const state = { subject, n: 0, level: -1, measure: new Float64Array(MEASURE_SIZE) };
    let m = this.current;
    let n = 0;
    for (let e = from; e < to; e++) {
      const r = P.entIdx[e] as number;
      const ord = P.entOrd[e] as number;
      const day = P.days[r] as number;
      // Time first: the level the subject had decayed to by this day, before the incident.
      if (n > 0) {
        this.measure(day, n, m);
        const level = this.levelIndex(m[SCORE] as number);
        if (level !== state.level) {
          if (r < quietBefore) list.skipped++;
          else list.add(this.change(state, isoDay(day), null, 'time', level, m), r, ord, false);
          state.level = level;
          const last = state.measure;
          state.measure = m;
          m = last;
        }
      }
      this.push(e, n);
      n++;
      this.measure(day, n, m);
      const level = this.levelIndex(m[SCORE] as number);
      if (level !== state.level) {
        if (r < quietBefore) list.skipped++;
        else
          list.add(
            this.change(state, isoDay(day), (P.ordered[r] as Incident).id, 'incident', level, m),
            r,
            ord,
            true,
          );
        state.level = level;
      }
      // The measure just taken becomes the last one; the old buffer takes the next.
      const last = state.measure;
      state.measure = m;
      m = last;
    }
    this.current = m;
    return { ...state, n };
  }

  /** Loads subject `s`'s entries (none when undefined) to assess it. */
  load(s: number | undefined, subject: Subject): number {
    const P = this.prepared;
    const from = s === undefined ? 0 : (P.start[s] as number);
    const to = s === undefined ? 0 : (P.start[s + 1] as number);
    this.reset(to - from, subject.kind === 'group');
    for (let e = from; e < to; e++) this.push(e, e - from);
    return to - from;
  }

  /** The assessment on `day` of the subject loaded, and the change of level since its state. */
  assess(
    state: ReplayState,
    day: number,
    date: string,
    incidents = state.n,
  ): { assessment: ThreatAssessment; change: LevelChange | null } {
    const m = this.current;
    this.measure(day, state.n, m);
    const level = this.levelIndex(m[SCORE] as number);
    const change = level === state.level ? null : this.change(state, date, null, 'time', level, m);
    return {
      assessment: {
        subject: state.subject,
        asOf: date,
        level: THREAT_LEVELS[level] as ThreatLevel,
        score: m[SCORE] as number,
        components: this.components(m),
        incidents,
      },
      change,
    };
  }

  /** Sorted names of the keys in the reach window. */
  private reachKeys(): string {
    const space = this.group ? this.prepared.countryKeys : this.prepared.groupKeys;
    const rank = ranks(space);
    const active = this.active;
    let kept = 0;
    for (const k of active) {
      if ((this.counts[k] as number) > 0) active[kept++] = k;
      else this.listed[k] = 0;
    }
    active.length = kept;
    // Sorted as the names sort (the order of the names' sort, precomputed as ranks).
    active.sort((a, b) => (rank[a] as number) - (rank[b] as number));
    let out = '';
    for (let i = 0; i < kept; i++)
      out += i === 0 ? space.names[active[i] as number] : `, ${space.names[active[i] as number]}`;
    return out;
  }

  private components(m: Float64Array): ThreatComponent[] {
    return componentsOf(this.group, m, this.p, this.reachKeys());
  }

  private change(
    state: ReplayState,
    date: string,
    incident: string | null,
    cause: LevelChange['cause'],
    level: number,
    m: Float64Array,
  ): LevelChange {
    const hasBefore = state.level >= 0;
    const from = hasBefore ? (THREAT_LEVELS[state.level] as ThreatLevel) : null;
    const to = THREAT_LEVELS[level] as ThreatLevel;
    const components = this.components(m);
    const before = hasBefore ? state.measure : null;
    return {
      subject: state.subject,
      date,
      incident,
      cause,
      from,
      to,
      scoreBefore: hasBefore ? (state.measure[SCORE] as number) : null,
      scoreAfter: m[SCORE] as number,
      reason: flat(describeChange(from, to, before, components, cause, incident, m[SCORE] as number, this.p)),
      components,
    };
  }
}

const COMPONENTS: readonly ComponentName[] = ['tempo', 'lethality', 'reach', 'trend', 'attribution'];
const SCORE_AT: Readonly<Record<ComponentName, number>> = {
  tempo: S_TEMPO,
  lethality: S_LETHALITY,
  reach: S_REACH,
  trend: S_TREND,
  attribution: S_ATTRIBUTION,
};

function componentValue(name: ComponentName, m: Float64Array): number {
  switch (name) {
    case 'tempo':
      return m[ATTACKS] as number;
    case 'lethality':
      return m[KILLED] as number;
    case 'reach':
      return m[REACH] as number;
    case 'trend':
      return m[RATIO] as number;
    default:
      return m[ATTRIBUTED] === 0 ? 0 : (m[CONFIRMED] as number) / (m[ATTRIBUTED] as number);
  }
}

/** The components of a measure in words and numbers (built only when shown or recorded). */
function componentsOf(group: boolean, m: Float64Array, p: ThreatParams, keys: string): ThreatComponent[] {
  const out: ThreatComponent[] = [];
  for (const name of COMPONENTS) {
    const score = m[SCORE_AT[name]] as number;
    out.push({
      name,
      value: round(componentValue(name, m), 3),
      detail: flat(detailOf(name, group, m, p, keys)),
      score: round(score, 3),
      weight: p.weights[name],
      contribution: round(score * p.weights[name], 2),
    });
  }
  return out;
}

/** A component's value in words, with its window. */
function detailOf(
  name: ComponentName,
  group: boolean,
  m: Float64Array,
  p: ThreatParams,
  keys: string,
): string {
  switch (name) {
    case 'tempo':
      return `${m[ATTACKS]} attacks in the last ${p.windowDays} days`;
    case 'lethality':
      return `${m[KILLED]} killed in the last ${p.windowDays} days`;
    case 'reach': {
      const countries = m[COUNTRIES] as number;
      const subregions = m[SUBREGIONS] as number;
      const reach = m[REACH] as number;
      return group
        ? `${countries} countr${countries === 1 ? 'y' : 'ies'} in ${subregions} UN subregion${subregions === 1 ? '' : 's'} in the last ${p.reachDays} days${keys ? ` (${keys})` : ''}`
        : `${reach} group${reach === 1 ? '' : 's'} attacking in the last ${p.reachDays} days${keys ? ` (${keys})` : ''}`;
    }
    case 'trend': {
      const recent = m[RECENT] as number;
      const expected = round(m[EXPECTED] as number);
      return `${recent} attacks in the last ${p.recentDays} days against ${expected} expected from the ${p.windowDays} days before (ratio (${recent}+1)/(${expected}+1) = ${round(m[RATIO] as number)})`;
    }
    default:
      return `${m[CONFIRMED]} of ${m[ATTRIBUTED]} attributed attacks in the last ${p.windowDays} days claimed or identified, not merely suspected`;
  }
}

function describeChange(
  from: ThreatLevel | null,
  to: ThreatLevel,
  before: Float64Array | null,
  after: readonly ThreatComponent[],
  cause: LevelChange['cause'],
  incident: string | null,
  total: number,
  p: ThreatParams,
): string {
  const head =
    from === null
      ? `first assessed ${to}`
      : `${THREAT_LEVELS.indexOf(to) > THREAT_LEVELS.indexOf(from) ? 'rose' : 'fell'} from ${from} to ${to}`;
  const why =
    cause === 'incident' ? `after incident ${incident}` : 'as the windows moved on with no new attack';
  // The components that moved by 0.05 points or more, largest move first (then by name); written
  // out without intermediate arrays of objects: this runs for every change of a long replay.
  const order: number[] = [];
  const deltas: number[] = [];
  for (let i = 0; i < after.length; i++) {
    const c = after[i] as ThreatComponent;
    const name = COMPONENTS[i] as ComponentName;
    const old = before === null ? 0 : round((before[SCORE_AT[name]] as number) * p.weights[name], 2);
    const delta = c.contribution - old;
    deltas.push(delta);
    if (Math.abs(delta) < 0.05) continue;
    let j = order.length;
    order.push(i);
    while (j > 0) {
      const k = order[j - 1] as number;
      const dk = Math.abs(deltas[k] as number);
      const di = Math.abs(delta);
      if (dk > di || (dk === di && (after[k] as ThreatComponent).name < c.name)) break;
      order[j] = k;
      j--;
    }
    order[j] = i;
  }
  if (order.length === 0) return `${head} ${why} (score ${round(total, 1)}): no component moved`;
  let moved = '';
  for (const i of order) {
    const c = after[i] as ThreatComponent;
    const delta = deltas[i] as number;
    const old = before === null ? '' : `${round(componentValue(c.name, before), 3)} → `;
    moved += `${moved === '' ? '' : '; '}${c.name} ${old}${c.value} (${delta >= 0 ? '+' : ''}${round(delta, 1)} points: ${c.detail})`;
  }
  return `${head} ${why} (score ${round(total, 1)}): ${moved}`;
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
  const prepared = prepare(chronological(incidents), knowledge);
  const replayer = new Replayer(prepared, p);
  const list = new ChangeList(prepared);
  const subjectDays = new Map<string, number[]>();
  prepared.subjects.forEach((subject, s) => {
    replayer.replay(s, list);
    const days: number[] = [];
    for (let e = prepared.start[s] as number; e < (prepared.start[s + 1] as number); e++)
      days.push(prepared.days[prepared.entIdx[e] as number] as number);
    subjectDays.set(`${subject.kind}:${subject.id}`, days);
  });
  const changes = list.sorted();
  const lastDay = prepared.lastDay;
  const followed = (days: readonly number[], day: number) => {
    const i = upperBound(days, day);
    return i < days.length && (days[i] as number) <= day + horizonDays;
  };
  let events = 0;
  let eventsFollowed = 0;
  for (const days of subjectDays.values()) {
    for (const d of new Set(days)) {
      if (d + horizonDays > lastDay) continue;
      events++;
      if (followed(days, d)) eventsFollowed++;
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
    const hit = followed(subjectDays.get(`${c.subject.kind}:${c.subject.id}`) as number[], day);
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
