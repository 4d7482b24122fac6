import { createHash } from 'node:crypto';
import type { Incident } from '../resolve/index.js';
import { LANGUAGE_NAMES } from '../sources/language-id.js';
import type { Alert, AlertSeverity } from './alerts.js';
import { attributedGroups, type Knowledge, sortedSet } from './common.js';
import type { MediaEvidence } from './media-attribution.js';
import { languageCountry } from './media-attribution.js';

/**
 * Monitoring of groups' media output: volume per group and media arm by language and by audience over
 * time, and alerts when a group starts publishing in a new language or to a new audience, set against
 * where it has attacked. Pure functions over stored media records; no I/O.
 */

/** A stored media item as analysis sees it: metadata, attribution and audiences, never its text. */
export interface MediaRecord {
  readonly id: string;
  readonly channel: string;
  readonly kind: string;
  /** ISO date or date-time; undated items count in totals but not over time or in alerts. */
  readonly published: string | null;
  readonly language: string | null;
  readonly groupId: string | null;
  readonly mediaArm: string | null;
  /** Countries (ISO alpha-2) the item addresses. */
  readonly audiences: readonly string[];
  readonly origin: string;
  /** Evidence of attribution and audiences (snippets of at most 200 characters). */
  readonly evidence: readonly MediaEvidence[];
}

export type MediaPeriod = 'week' | 'month' | 'year';

export interface Tallies {
  readonly total: number;
  readonly byLanguage: Readonly<Record<string, number>>;
  readonly byAudience: Readonly<Record<string, number>>;
}

export interface PeriodVolume extends Tallies {
  /** `2024-03` (month), `2024-W12` (ISO week), `2024` (year). */
  readonly period: string;
}

export interface ArmVolume extends Tallies {
  /** The media arm, or null for items attributed to the group itself (its name in the channel or text). */
  readonly arm: string | null;
  readonly periods: readonly PeriodVolume[];
}

export interface GroupVolume extends Tallies {
  /** Knowledge-base group id, or null for items no group could be tied to. */
  readonly group: string | null;
  readonly groupName: string | null;
  readonly arms: readonly ArmVolume[];
  readonly periods: readonly PeriodVolume[];
  readonly firstItem: string | null;
  readonly lastItem: string | null;
}

const UNKNOWN_LANGUAGE = 'und';

/** The period an ISO date falls in. */
export function periodOf(date: string, period: MediaPeriod): string {
  const day = date.slice(0, 10);
  if (period === 'year') return day.slice(0, 4);
  if (period === 'month') return day.slice(0, 7);
  // ISO 8601 week: the week with the year's first Thursday is week 1.
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function tally(items: readonly MediaRecord[]): Tallies {
  const byLanguage: Record<string, number> = {};
  const byAudience: Record<string, number> = {};
  for (const i of items) {
    const lang = i.language ?? UNKNOWN_LANGUAGE;
    byLanguage[lang] = (byLanguage[lang] ?? 0) + 1;
    for (const a of new Set(i.audiences)) byAudience[a] = (byAudience[a] ?? 0) + 1;
  }
  return { total: items.length, byLanguage: sortedRecord(byLanguage), byAudience: sortedRecord(byAudience) };
}

/** Largest first, then by key: the order tables show. */
function sortedRecord(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

function periods(items: readonly MediaRecord[], period: MediaPeriod): PeriodVolume[] {
  const by = new Map<string, MediaRecord[]>();
  for (const i of items) {
    if (i.published === null) continue;
    const p = periodOf(i.published, period);
    by.set(p, [...(by.get(p) ?? []), i]);
  }
  return [...by.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([p, list]) => ({ period: p, ...tally(list) }));
}

function groupBy<K>(items: readonly MediaRecord[], key: (i: MediaRecord) => K): Map<K, MediaRecord[]> {
  const by = new Map<K, MediaRecord[]>();
  for (const i of items) by.set(key(i), [...(by.get(key(i)) ?? []), i]);
  return by;
}

/**
 * Output volume per group (then per media arm), by language and by audience, in total and per
 * period. Groups with most items first; unattributed items last, as the group `null`.
 *
 * @example
 * mediaVolumes(records, knowledge, 'month')[0] // { group: 'iskp', total: 12, byLanguage: { pbu: 5, tgk: 4, … }, … }
 */
export function mediaVolumes(
  items: readonly MediaRecord[],
  knowledge: Pick<Knowledge, 'groups'>,
  period: MediaPeriod = 'month',
): GroupVolume[] {
  const out: GroupVolume[] = [];
  for (const [group, list] of groupBy(items, (i) => i.groupId)) {
    const arms = [...groupBy(list, (i) => i.mediaArm).entries()]
      .map(([arm, armItems]) => ({ arm, ...tally(armItems), periods: periods(armItems, period) }))
      .sort((a, b) => b.total - a.total || String(a.arm).localeCompare(String(b.arm)));
    const dates = sortedSet(list.flatMap((i) => (i.published ? [i.published.slice(0, 10)] : [])));
    out.push({
      group,
      groupName: group === null ? null : (knowledge.groups.get(group)?.name ?? group),
      ...tally(list),
      arms,
      periods: periods(list, period),
      firstItem: dates[0] ?? null,
      lastItem: dates.at(-1) ?? null,
    });
  }
  return out.sort(
    (a, b) =>
      Number(a.group === null) - Number(b.group === null) ||
      b.total - a.total ||
      String(a.group).localeCompare(String(b.group)),
  );
}

export const MEDIA_ALERT_KINDS = ['new_language', 'new_audience'] as const;
export type MediaAlertKind = (typeof MEDIA_ALERT_KINDS)[number];

/** Where a group stands: its home and the countries it has attacked (from stored incidents). */
export interface ExpansionPicture {
  readonly homeCountries: readonly string[];
  /** Countries of incidents attributed to the group (claimed, identified or suspected), sorted. */
  readonly attackedCountries: readonly string[];
  /** The country the new language or audience points to, or null (a language of many countries). */
  readonly country: string | null;
  /** Whether that country is one of the group's home countries. */
  readonly home: boolean | null;
  /** Whether the group has attacked there; null when no country is in question. */
  readonly attacked: boolean | null;
}

/** An alert in the shape of `src/analyze` alerts, about a media item instead of an incident. */
export type MediaAlert = Omit<Alert, 'kind' | 'incident' | 'evidence'> & {
  readonly kind: MediaAlertKind;
  /** The media item that first showed the new language or audience. */
  readonly item: string;
  readonly mediaArm: string | null;
  readonly channel: string;
  readonly language: string | null;
  /** The new audience (ISO alpha-2), for `new_audience`. */
  readonly audience: string | null;
  readonly evidence: readonly MediaEvidence[];
  readonly expansion: ExpansionPicture;
};

export interface MediaAlertParams {
  /** A group's first items set its baseline: a language or audience is new only after this many. Default 3. */
  readonly minPriorItems: number;
}

export const DEFAULT_MEDIA_ALERT_PARAMS: MediaAlertParams = Object.freeze({ minPriorItems: 3 });

/** Countries each group has attacked, from incidents (denials do not count). */
export function attackedCountries(incidents: readonly Incident[]): Map<string, string[]> {
  const by = new Map<string, Set<string>>();
  for (const i of incidents) {
    if (i.country === null) continue;
    for (const g of attributedGroups(i)) {
      const set = by.get(g.groupId) ?? new Set<string>();
      set.add(i.country);
      by.set(g.groupId, set);
    }
  }
  return new Map([...by.entries()].map(([g, s]) => [g, sortedSet(s)]));
}

const languageName = (code: string | null) => (code ? (LANGUAGE_NAMES[code] ?? code) : 'unknown');

function describeCounts(r: Readonly<Record<string, number>>, name: (k: string) => string): string {
  const entries = Object.entries(r);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${name(k)} (${n})`).join(', ');
}

/**
 * Replays each group's dated items in date order (then id) and raises an alert for the first item in
 * a language, or addressing a country, the group had not used before — once it has at least
 * `minPriorItems` items to compare with. Each alert says where that points against the group's
 * expansion picture: its home countries and the countries it has attacked. Severity: `high` when the
 * country is outside the group's home and it has not attacked there (a reach ahead of its attacks),
 * `medium` when it has attacked there or no single country is in question, `low` at home. Pure and
 * deterministic.
 */
export function mediaAlerts(
  items: readonly MediaRecord[],
  knowledge: Knowledge,
  attacked: ReadonlyMap<string, readonly string[]> = new Map(),
  params: Partial<MediaAlertParams> = {},
): MediaAlert[] {
  const p = { ...DEFAULT_MEDIA_ALERT_PARAMS, ...params };
  const alerts: MediaAlert[] = [];
  const dated = items
    .filter((i) => i.groupId !== null && i.published !== null)
    .sort((a, b) =>
      (a.published as string) < (b.published as string)
        ? -1
        : (a.published as string) > (b.published as string)
          ? 1
          : a.id < b.id
            ? -1
            : 1,
    );
  for (const [groupId, list] of groupBy(dated, (i) => i.groupId as string)) {
    const group = knowledge.groups.get(groupId);
    const groupName = group?.name ?? groupId;
    const home = group?.home_countries ?? [];
    const hit = attacked.get(groupId) ?? [];
    const languages: Record<string, number> = {};
    const audiences: Record<string, number> = {};
    let seen = 0;
    for (const item of list) {
      const expansion = (country: string | null): ExpansionPicture => ({
        homeCountries: home,
        attackedCountries: hit,
        country,
        home: country === null ? null : home.includes(country),
        attacked: country === null ? null : hit.includes(country),
      });
      const base = {
        group: groupId,
        groupName,
        item: item.id,
        mediaArm: item.mediaArm,
        channel: item.channel,
        date: item.published?.slice(0, 10) ?? null,
        sources: [item.origin],
      };
      const via = `${item.mediaArm ? `its media arm ${item.mediaArm}, ` : ''}channel "${item.channel}"`;
      const history = `after ${seen} earlier item${seen === 1 ? '' : 's'} in ${describeCounts(sortedRecord(languages), languageName)}`;
      if (seen >= p.minPriorItems) {
        const lang = item.language;
        if (lang !== null && languages[lang] === undefined) {
          const country = languageCountry(lang);
          const picture = expansion(country);
          alerts.push({
            ...base,
            id: alertId('new_language', groupId, lang),
            kind: 'new_language',
            severity: severityOf(picture),
            country,
            language: lang,
            audience: null,
            title: `First ${languageName(lang)}-language item from ${groupName}`,
            explanation: `First item in ${languageName(lang)} (${lang}) from ${groupName}, via ${via}, on ${base.date}, ${history}. ${whereItPoints(picture, country ? `${languageName(lang)} is spoken mainly in ${country}` : `${languageName(lang)} is not tied to one country`)}`,
            numbers: {
              language: lang,
              earlier_items: seen,
              earlier_languages: Object.keys(languages).length,
              home_countries: home.join(','),
              attacked_countries: hit.join(','),
            },
            evidence: item.evidence.filter((e) => e.where === 'channel').slice(0, 1),
            expansion: picture,
          });
        }
        for (const code of new Set(item.audiences)) {
          if (audiences[code] !== undefined) continue;
          const picture = expansion(code);
          const mention = item.evidence.find((e) => e.where === 'text' && audienceEvidenceFor(e, code));
          alerts.push({
            ...base,
            id: alertId('new_audience', groupId, code),
            kind: 'new_audience',
            severity: severityOf(picture),
            country: code,
            language: item.language,
            audience: code,
            title: `First item from ${groupName} addressing ${code}`,
            explanation: `First item from ${groupName} addressing ${code} (its people or diaspora), via ${via}, in ${languageName(item.language)}, on ${base.date}; earlier audiences: ${describeCounts(sortedRecord(audiences), (k) => k)}. ${whereItPoints(picture, `The audience is ${code}`)}`,
            numbers: {
              audience: code,
              earlier_items: seen,
              earlier_audiences: Object.keys(audiences).length,
              home_countries: home.join(','),
              attacked_countries: hit.join(','),
            },
            evidence: mention ? [mention] : [],
            expansion: picture,
          });
        }
      }
      const lang = item.language;
      if (lang !== null) languages[lang] = (languages[lang] ?? 0) + 1;
      for (const code of new Set(item.audiences)) audiences[code] = (audiences[code] ?? 0) + 1;
      seen++;
    }
  }
  return alerts;
}

function audienceEvidenceFor(e: MediaEvidence, code: string): boolean {
  return e.about === code;
}

function severityOf(p: ExpansionPicture): AlertSeverity {
  if (p.country === null || p.attacked) return 'medium';
  return p.home ? 'low' : 'high';
}

function whereItPoints(p: ExpansionPicture, lead: string): string {
  const attacks = p.attackedCountries.length
    ? `attacks on record in ${p.attackedCountries.join(', ')}`
    : 'no attack on record';
  const homes = p.homeCountries.length ? p.homeCountries.join(', ') : 'none known';
  if (p.country === null) return `${lead}. Home countries: ${homes}; ${attacks}.`;
  if (p.home) return `${lead}, one of the group's home countries (${homes}); ${attacks}.`;
  return p.attacked
    ? `${lead}, outside the group's home countries (${homes}) but where it has already attacked; ${attacks}.`
    : `${lead}, outside the group's home countries (${homes}) and where it has not attacked: its propaganda reaches ahead of its attacks; ${attacks}.`;
}

function alertId(kind: MediaAlertKind, group: string, value: string): string {
  return createHash('sha256').update(`${kind}\n${group}\n${value}`).digest('hex').slice(0, 16);
}
