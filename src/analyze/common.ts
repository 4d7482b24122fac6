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
  const head = iso.length === 10 ? iso : iso.slice(0, 10);
  const fast = calendarDay(head);
  // What the calendar arithmetic cannot read (an overflowing day such as 02-30) Date.parse decides.
  return Number.isNaN(fast) ? Math.floor(Date.parse(`${head}T00:00:00Z`) / DAY_MS) : fast;
}

/** Days since 1970-01-01 of a canonical `YYYY-MM-DD` naming a real calendar day, else NaN. Plain
 * arithmetic (days from civil, proleptic Gregorian): the replay reads one per incident. */
function calendarDay(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return Number.NaN;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export function isoDay(day: number): string {
  // Civil from days (the inverse of calendarDay) for years 0–9999; Date for the rest.
  if (!(day >= -719_528 && day <= 2_932_896)) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Incidents in the order analysis replays them: by date, then id; undated ones are left out. */
export function chronological(incidents: readonly Incident[]): Incident[] {
  const dated: Incident[] = [];
  const days: number[] = [];
  let canonical = true;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const i of incidents) {
    if (i.date === null) continue;
    const d = dayNumber(i.date.date);
    if (!Number.isFinite(d)) continue;
    dated.push(i);
    days.push(d);
    if (canonical && i.date.date.length === 10 && !Number.isNaN(calendarDay(i.date.date))) {
      if (d < min) min = d;
      if (d > max) max = d;
    } else canonical = false;
  }
  // Comparing date then id orders exactly as the key `date \0 id` would. When every date is a
  // canonical day, date order is day order: a counting sort by day, then by id within a day.
  if (!canonical || dated.length < 64 || max - min > 4 * dated.length + 100_000)
    return dated.sort(compareIncidents);
  const range = max - min + 1;
  const start = new Int32Array(range + 1);
  for (const d of days) start[d - min + 1] = (start[d - min + 1] as number) + 1;
  for (let k = 0; k < range; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const out = new Array<Incident>(dated.length);
  const fill = start.slice(0, range);
  for (let n = 0; n < dated.length; n++) {
    const k = (days[n] as number) - min;
    const at = fill[k] as number;
    fill[k] = at + 1;
    out[at] = dated[n] as Incident;
  }
  for (let k = 0; k < range; k++) {
    const a = start[k] as number;
    const b = start[k + 1] as number;
    // Within a day (a dozen incidents at GTD density) by id: an insertion sort, stable.
    for (let n = a + 1; n < b; n++) {
      const x = out[n] as Incident;
      let j = n - 1;
      while (j >= a && (out[j] as Incident).id > x.id) {
        out[j + 1] = out[j] as Incident;
        j--;
      }
      out[j + 1] = x;
    }
  }
  return out;
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

/** The string, flattened: V8 builds a template literal as a tree of pieces (a cons string) and
 * reading a character turns it into one flat string. The changes of level and alerts kept (a hundred
 * thousand each over a GTD-sized history) then take a third of the memory, and the collector a third of the time. */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Sorted distinct strings. */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
