/**
 * Scores Vigil's reading of coder-gold incident texts the way `eval/incidents/README.md` says: the
 * incident Vigil finds with the highest toll against what the coders recorded, field by field.
 */
import { extractIncidents } from '../../extract/index.js';
import { type ArmedGroup, loadGroups } from '../../knowledge/groups.js';
import { type Incident, resolveDraft } from '../../resolve/index.js';
import { attackCode, countryCode, targetCode, weaponCode } from './codes.js';
import type { CodedIncident } from './records.js';

export const FIELDS = [
  'date',
  'country',
  'city',
  'attack_type',
  'target_type',
  'weapon',
  'group_named',
  'group_unknown',
  'killed',
  'wounded',
] as const;
export type FieldName = (typeof FIELDS)[number];

/** One field of one record: what the coders wrote (as Vigil's code) and what Vigil found. */
export interface FieldOutcome {
  readonly field: FieldName;
  readonly gold: string;
  readonly predicted: string;
  readonly correct: boolean;
}

/** The text Vigil reads and its publication date: GTD summaries lose their date stamp and are
 * published the day after the incident, so the date must come from the text. */
export function prepared(record: CodedIncident): { text: string; published: string | null } {
  const text = record.text.replace(/^\s*\d{1,2}\/\d{1,2}\/\d{4}\s*:\s*/, '');
  const day = isoDay(record.date);
  if (day === null) return { text, published: null };
  const next = new Date(`${day}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { text, published: next.toISOString().slice(0, 10) };
}

/** The coders' date as an ISO day: ISO already, or ACLED's `01-January-2015` / `9-May-20`. */
export function isoDay(date: string | null): string | null {
  if (!date) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const m = /^(\d{1,2})-([A-Za-z]+)-(\d{2}|\d{4})$/.exec(date);
  if (!m) return null;
  const year = m[3]?.length === 2 ? `20${m[3]}` : m[3];
  const parsed = new Date(`${m[1]} ${m[2]} ${year} 12:00 UTC`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString().slice(0, 10);
}

/** The text names the day somehow (a weekday, a month, a numeric date): only then is a date scored. */
const NAMES_A_DAY =
  /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s*\d|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

const UNKNOWN_GROUP = /^(?:unknown|other|none|unaffiliated individual\(s\)|individual)$/i;

export function groupMap(): ReadonlyMap<string, ArmedGroup> {
  return new Map(loadGroups().map((g) => [g.id, g]));
}

/** The incident of highest toll (killed, then wounded) Vigil reads in the text, or null. */
export function vigilIncident(
  record: CodedIncident,
  groups: ReadonlyMap<string, ArmedGroup>,
): Incident | null {
  const { text, published } = prepared(record);
  const drafts = extractIncidents({ id: `eval:${record.id}`, text, published });
  let best: Incident | null = null;
  for (const draft of drafts) {
    const incident = resolveDraft(draft, groups);
    if (best === null || tollOrder(incident) > tollOrder(best)) best = incident;
  }
  return best;
}

const figure = (c: Incident['killed']) => (c === null ? 0 : (c.value ?? c.min));
/** Everyone the attack killed, attackers included: what GTD's and RAND's coders count. */
const dead = (i: Incident | null) => (i === null ? 0 : figure(i.killed) + figure(i.perpetratorsKilled));
export const tollOrder = (i: Incident) => dead(i) * 1e6 + figure(i.wounded);

/** Every field the record lets us score, compared. */
export function scoreRecord(
  record: CodedIncident,
  incident: Incident | null,
  groups: ReadonlyMap<string, ArmedGroup>,
): FieldOutcome[] {
  const out: FieldOutcome[] = [];
  const add = (field: FieldName, gold: string, predicted: string, correct = gold === predicted) =>
    out.push({ field, gold, predicted, correct });
  const { text } = prepared(record);

  const goldDay = isoDay(record.date);
  if (goldDay !== null && NAMES_A_DAY.test(text)) {
    const date = incident?.date;
    add('date', goldDay, date && !date.approximate && date.precision === 'day' ? date.date : '—');
  }
  const country = countryCode(record.country);
  if (country !== null) add('country', country, incident?.country ?? '—');
  if (record.city !== null && !/^unknown$/i.test(record.city.trim())) {
    const predicted = incident?.city ?? '—';
    add('city', record.city, predicted, sameCity(record.city, predicted));
  }
  const attack = attackCode(record.eventType);
  if (attack !== null) add('attack_type', attack, incident?.attackTypes[0] ?? 'unknown');
  const target = targetCode(record.target);
  if (target !== null) add('target_type', target, incident?.targetTypes[0] ?? 'unknown');
  const weapon = weaponCode(record.weapon);
  if (weapon !== null) add('weapon', weapon, incident?.weaponTypes[0] ?? 'unknown');
  if (record.perpetrator !== null) {
    const named = incident?.perpetratorGroups ?? [];
    const predicted = named.map((g) => g.group).join('; ') || '—';
    if (UNKNOWN_GROUP.test(record.perpetrator.trim())) add('group_unknown', '—', predicted);
    else
      add(
        'group_named',
        record.perpetrator,
        predicted,
        named.some((g) => sameGroup(record.perpetrator as string, g, groups)),
      );
  }
  if (record.killed !== null) add('killed', String(record.killed), String(dead(incident)));
  if (record.wounded !== null)
    add('wounded', String(record.wounded), String(figure(incident?.wounded ?? null)));
  return out;
}

/** Letters only, without accents, apostrophes or a bracketed note: "Ba'quba" → "baquba". */
function letters(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\([^)]*\)/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .toLowerCase();
}

/** One place spelt two ways: equal letters, or one a transliteration of the other (one letter more
 * or less or different, or a trailing "h": Baquba / Baqubah). */
export function sameCity(gold: string, predicted: string): boolean {
  const a = letters(gold);
  const b = letters(predicted);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  return Math.min(a.length, b.length) >= 5 && editDistance(a, b) <= 1;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length] as number;
}

/** The coders' group name and a group Vigil named are one group: a name or alias in common (with
 * or without the bracketed acronym GTD appends). */
function sameGroup(
  gold: string,
  named: Incident['perpetratorGroups'][number],
  groups: ReadonlyMap<string, ArmedGroup>,
): boolean {
  const goldNames = new Set([letters(gold)]);
  for (const m of gold.matchAll(/\(([^)]+)\)/g)) goldNames.add(letters(m[1] as string));
  const kb = groups.get(named.groupId);
  const names = [named.group, ...named.aliasesSeen, ...(kb ? [kb.name, ...kb.aliases] : [])];
  return names.some((n) => goldNames.has(letters(n)));
}
