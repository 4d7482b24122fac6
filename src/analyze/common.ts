import type { Attribution } from '../extract/index.js';
import type { ArmedGroup } from '../knowledge/groups.js';
import type { Incident, IncidentEvidence, IncidentGroup } from '../resolve/index.js';

/** What the analysis knows besides incidents: the armed groups and the UN geoscheme of countries. */
export interface Knowledge {
  readonly groups: ReadonlyMap<string, ArmedGroup>;
  readonly countries: ReadonlyMap<string, CountryInfo>;
}

export interface CountryInfo {
  readonly code: string;
  readonly name: string;
  /** UN region as world-countries names it ("Europe"). */
  readonly region: string;
  /** UN subregion ("Eastern Europe"). */
  readonly subregion: string;
}

/** Builds the knowledge from the loaded groups and countries (`loadGroups()`, `loadCountries()`). */
export function makeKnowledge(
  groups: readonly ArmedGroup[],
  countries: readonly { code: string; name: string; region: string; subregion: string }[],
): Knowledge {
  return {
    groups: new Map(groups.map((g) => [g.id, g])),
    countries: new Map(
      countries.map((c) => [
        c.code,
        { code: c.code, name: c.name, region: c.region, subregion: c.subregion },
      ]),
    ),
  };
}

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date (`YYYY-MM-DD…`), or NaN. */
export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Incidents in the order analysis replays them: by date, then id; undated ones are left out. */
export function chronological(incidents: readonly Incident[]): Incident[] {
  const keyed: { key: string; incident: Incident }[] = [];
  for (const i of incidents) {
    if (i.date !== null && Number.isFinite(dayNumber(i.date.date)))
      keyed.push({ key: `${i.date.date}\u0000${i.id}`, incident: i });
  }
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.incident);
}

export function compareIncidents(a: Incident, b: Incident): number {
  const da = a.date?.date ?? '';
  const db = b.date?.date ?? '';
  if (da !== db) return da < db ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether `a` comes before `b` in replay order. */
export function isBefore(a: Incident, b: Incident): boolean {
  return compareIncidents(a, b) < 0;
}

/** Attributions that tie a group to an incident for analysis; a denial does not. */
export function attributedGroups(incident: Incident): IncidentGroup[] {
  return incident.perpetratorGroups.filter((g) => g.attribution !== 'denied');
}

/** Claimed or identified (by authorities or the report), as against merely suspected. */
export function isConfirmed(attribution: Attribution): boolean {
  return attribution === 'claimed' || attribution === 'identified';
}

/** The best value of a count: its value, else its minimum; 0 when unknown. */
export function countOf(count: Incident['killed']): number {
  if (count === null) return 0;
  return count.value ?? count.min;
}

/** Evidence of an incident for the fields an alert or link rests on. */
export function evidenceFor(
  incident: Incident,
  fields: readonly IncidentEvidence['field'][],
): IncidentEvidence[] {
  return incident.evidence.filter((e) => fields.includes(e.field));
}

export function homeCountries(groupId: string, knowledge: Knowledge): readonly string[] {
  return knowledge.groups.get(groupId)?.home_countries ?? [];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Sorted distinct strings. */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
