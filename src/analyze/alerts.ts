import { createHash } from 'node:crypto';
import type { Incident, IncidentEvidence } from '../resolve/index.js';
import {
  attributedGroups,
  chronological,
  countOf,
  dayNumber,
  evidenceFor,
  flat,
  isBefore,
  isConfirmed,
  type Knowledge,
  round,
  sortedSet,
} from './common.js';
import { poissonUpperTail, upperBound } from './stats.js';

export const ALERT_KINDS = [
  'new_country',
  'new_subregion',
  'new_region',
  'tempo_rise',
  'lethality_rise',
  'mass_casualty',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface Alert {
  /** Stable: the same incident and history always give the same id. */
  readonly id: string;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  /** Knowledge-base group id (null for a mass-casualty attack no group is tied to). */
  readonly group: string | null;
  readonly groupName: string | null;
  readonly incident: string;
  readonly date: string | null;
  readonly country: string | null;
  /** One line: "First attack by Islamic State Khorasan Province in Russia". */
  readonly title: string;
  /** Why, in words and numbers. */
  readonly explanation: string;
  /** The numbers the explanation quotes, by name. */
  readonly numbers: Readonly<Record<string, number | string>>;
  /** The incident's evidence for the fields the alert rests on. */
  readonly evidence: readonly IncidentEvidence[];
  /** Documents reporting the incident. */
  readonly sources: readonly string[];
}

export interface AlertParams {
  /** Killed (victims) at or above which an attack is mass-casualty. Default 10. */
  readonly massCasualtyKilled: number;
  /** The recent window of the tempo and lethality tests, in days. Default 90. */
  readonly recentDays: number;
  /** At most this many years before the recent window make the baseline. Default 3. */
  readonly baselineYears: number;
  /** A tempo rise is raised when P(X ≥ recent attacks | Poisson(baseline)) is below this. Default 0.01. */
  readonly tempoPValue: number;
  /** …and the recent window holds at least this many attacks. Default 3. */
  readonly tempoMinAttacks: number;
  /** Expected attacks per recent window never taken below this (a quiet or new group). Default 0.5. */
  readonly minExpectedAttacks: number;
  /** A lethality rise: killed in the recent window ≥ factor × baseline killed per window… Default 3. */
  readonly lethalityFactor: number;
  /** …and ≥ this many killed. Default 25. */
  readonly lethalityMinKilled: number;
}

export const DEFAULT_ALERT_PARAMS: AlertParams = Object.freeze({
  massCasualtyKilled: 10,
  recentDays: 90,
  baselineYears: 3,
  tempoPValue: 0.01,
  tempoMinAttacks: 3,
  minExpectedAttacks: 0.5,
  lethalityFactor: 3,
  lethalityMinKilled: 25,
});

/** The incident's fields an alert of each kind rests on: its evidence is theirs. */
export const ALERT_EVIDENCE_FIELDS: Readonly<Record<AlertKind, readonly IncidentEvidence['field'][]>> = {
  new_country: ['country', 'city', 'perpetrator_groups', 'date'],
  new_subregion: ['country', 'city', 'perpetrator_groups'],
  new_region: ['country', 'city', 'perpetrator_groups'],
  tempo_rise: ['date', 'perpetrator_groups'],
  lethality_rise: ['date', 'killed', 'perpetrator_groups'],
  mass_casualty: ['killed', 'date', 'city', 'country'],
};

/** What the replay remembers of one group. */
interface GroupTrack {
  readonly days: number[];
  /** killedPrefix[i] = killed in the group's first i incidents. */
  readonly killedPrefix: number[];
  /** Home countries and countries attacked. */
  readonly countries: Set<string>;
  /** Countries attacked. */
  readonly attacked: Set<string>;
  readonly subregions: Set<string>;
  readonly regions: Set<string>;
  tempoHigh: boolean;
  lethalHigh: boolean;
}

/**
 * The alerts a new incident raises against the history before it (incidents later in date order, or
 * the same date with a greater id, are not its history). Pure and deterministic.
 *
 * @example
 * alertsFor(moscow, iskpHistory, knowledge) // new_country RU, new_subregion Eastern Europe, …
 */
export function alertsFor(
  incident: Incident,
  history: readonly Incident[],
  knowledge: Knowledge,
  params: Partial<AlertParams> = {},
): Alert[] {
  const groups = new Set(attributedGroups(incident).map((g) => g.groupId));
  const prior = history.filter(
    (h) =>
      h.id !== incident.id &&
      (incident.date === null || h.date === null || isBefore(h, incident)) &&
      attributedGroups(h).some((g) => groups.has(g.groupId)),
  );
  if (incident.date === null) {
    // Undated: only where, not when, can be judged; history is every dated incident of the groups.
    return replayAlerts([...prior], knowledge, params, { extra: incident });
  }
  return replayAlerts([...prior, incident], knowledge, params).filter((a) => a.incident === incident.id);
}

/**
 * Replays incidents in date order (then id) and returns every alert each raises against those before
 * it. Undated incidents are skipped (`extra` is judged after the replay, on geography alone).
 *
 * `group` keeps only one group's alerts (its mass-casualty ones included: those of incidents it is
 * named first in); `null` only the mass-casualty alerts of incidents no group is attributed. A group's
 * alerts depend only on its own incidents, so replaying just those gives what the full replay gives.
 * `from` (a replay step, `date id`) keeps only the alerts of incidents from that step on: those
 * before are replayed for what they leave behind, without making their alerts.
 */
export function replayAlerts(
  incidents: readonly Incident[],
  knowledge: Knowledge,
  params: Partial<AlertParams> = {},
  options: { readonly extra?: Incident; readonly group?: string | null; readonly from?: string } = {},
): Alert[] {
  const p = { ...DEFAULT_ALERT_PARAMS, ...params };
  const tracks = new Map<string, GroupTrack>();
  const alerts: Alert[] = [];
  const trackOf = (groupId: string): GroupTrack => {
    let t = tracks.get(groupId);
    if (t === undefined) {
      t = {
        days: [],
        killedPrefix: [0],
        countries: new Set(),
        attacked: new Set(),
        subregions: new Set(),
        regions: new Set(),
        tempoHigh: false,
        lethalHigh: false,
      };
      const home = knowledge.groups.get(groupId)?.home_countries ?? [];
      for (const c of home) addPlace(t, c, knowledge);
      tracks.set(groupId, t);
    }
    return t;
  };
  const from = options.from;
  for (const incident of chronological(incidents)) {
    const quiet =
      from !== undefined && `${(incident.date as NonNullable<Incident['date']>).date} ${incident.id}` < from;
    for (const a of judge(incident, trackOf, knowledge, p, true, options.group, quiet)) alerts.push(a);
  }
  if (options.extra) alerts.push(...judge(options.extra, trackOf, knowledge, p, false, options.group));
  return alerts;
}

function addPlace(t: GroupTrack, country: string, knowledge: Knowledge): void {
  t.countries.add(country);
  const info = knowledge.countries.get(country);
  if (info) {
    t.subregions.add(info.subregion);
    t.regions.add(info.region);
  }
}

function judge(
  incident: Incident,
  trackOf: (groupId: string) => GroupTrack,
  knowledge: Knowledge,
  p: AlertParams,
  dated: boolean,
  only?: string | null,
  quiet = false,
): Alert[] {
  const out: Alert[] = [];
  const killed = countOf(incident.killed);
  const day = incident.date ? dayNumber(incident.date.date) : Number.NaN;
  const attributed = attributedGroups(incident);
  // Words are made only for the alerts raised (most incidents raise none).
  let described: string | undefined;
  const place = () => {
    described ??= describePlace(incident, knowledge);
    return described;
  };
  for (const g of attributed) {
    if (only !== undefined && g.groupId !== only) continue;
    const t = trackOf(g.groupId);
    const known = knowledge.groups.get(g.groupId);
    const home = known?.home_countries ?? [];
    const seenBefore = t.days.length;
    const basis = seenBefore > 0 || home.length > 0;
    const suspected = !isConfirmed(g.attribution);
    const make = (
      kind: AlertKind,
      severity: AlertSeverity,
      title: string,
      explanation: string,
      numbers: Record<string, number | string>,
      fields: readonly IncidentEvidence['field'][],
    ) =>
      out.push(
        alert(
          incident,
          g.groupId,
          g.group,
          kind,
          suspected && kind.startsWith('new_') ? lower(severity) : severity,
          title,
          explanation,
          numbers,
          fields,
        ),
      );
    const country = incident.country;
    if (country !== null && basis && !quiet) {
      const info = knowledge.countries.get(country);
      const where = () =>
        `${home.length ? `its home countries are ${home.join(', ')}` : 'it has no known home country'}; its ${seenBefore} earlier attack${seenBefore === 1 ? '' : 's'} on record were in ${listOrNone(sortedSet(t.attacked))}`;
      const attributionNote = `attribution ${g.attribution}${suspected ? ' (suspected only: severity lowered one step)' : ''}`;
      if (!t.countries.has(country)) {
        make(
          'new_country',
          'high',
          `First attack by ${g.group} in ${info?.name ?? country}`,
          `First attack by ${g.group} in ${info?.name ?? country} (${country}): ${where()}. ${place()}; ${attributionNote}.`,
          { country, earlier_attacks: seenBefore, home_countries: home.join(','), killed },
          ALERT_EVIDENCE_FIELDS.new_country,
        );
      }
      if (info && !t.subregions.has(info.subregion)) {
        make(
          'new_subregion',
          'high',
          `First attack by ${g.group} in ${info.subregion}`,
          `First attack by ${g.group} in the UN subregion ${info.subregion} (${info.name}): before it the group had struck only in ${listOrNone(sortedSet(t.subregions))}. ${place()}; ${attributionNote}.`,
          {
            country,
            subregion: info.subregion,
            known_subregions: sortedSet(t.subregions).join(','),
            earlier_attacks: seenBefore,
          },
          ALERT_EVIDENCE_FIELDS.new_subregion,
        );
      }
      if (info && !t.regions.has(info.region)) {
        make(
          'new_region',
          'critical',
          `First attack by ${g.group} in ${info.region}`,
          `First attack by ${g.group} in the UN region ${info.region} (${info.name}): before it the group had struck only in ${listOrNone(sortedSet(t.regions))}. ${place()}; ${attributionNote}.`,
          {
            country,
            region: info.region,
            known_regions: sortedSet(t.regions).join(','),
            earlier_attacks: seenBefore,
          },
          ALERT_EVIDENCE_FIELDS.new_region,
        );
      }
    }
    if (dated) {
      // Record the incident, then test the windows that end on its day.
      t.days.push(day);
      t.killedPrefix.push((t.killedPrefix[t.killedPrefix.length - 1] as number) + killed);
      const n = t.days.length;
      const recentStart = upperBound(t.days, day - p.recentDays);
      const recent = n - recentStart;
      const recentKilled = (t.killedPrefix[n] as number) - (t.killedPrefix[recentStart] as number);
      // Baseline: up to `baselineYears` before the recent window, from the group's first attack on.
      const baseEnd = recentStart;
      const baseFromDay = day - p.recentDays - Math.round(p.baselineYears * 365);
      const baseStart = upperBound(t.days, baseFromDay, 0, baseEnd);
      const firstDay = t.days[0] as number;
      const spanDays = Math.max(365, Math.min(p.baselineYears * 365, day - p.recentDays - firstDay));
      const baseCount = baseEnd - baseStart;
      const baseKilled = (t.killedPrefix[baseEnd] as number) - (t.killedPrefix[baseStart] as number);
      const expected = Math.max(p.minExpectedAttacks, (baseCount * p.recentDays) / spanDays);
      const expectedKilled = (baseKilled * p.recentDays) / spanDays;
      // Below the Poisson median (≥ λ − ln 2) P(X ≥ n) is at least ½: no need to sum the tail.
      const pValue =
        recent >= p.tempoMinAttacks && !(recent <= expected - Math.LN2 && p.tempoPValue < 0.5)
          ? poissonUpperTail(recent, expected)
          : 1;
      const tempoHigh = recent >= p.tempoMinAttacks && pValue < p.tempoPValue;
      if (tempoHigh && !t.tempoHigh && !quiet) {
        make(
          'tempo_rise',
          pValue < p.tempoPValue / 10 ? 'high' : 'medium',
          `Sharp rise in the tempo of ${g.group}'s attacks`,
          `${recent} attacks by ${g.group} in the ${p.recentDays} days to ${incident.date?.date}, against ${round(expected)} expected from its ${baseCount} attacks in the ${Math.round(spanDays)} days before (Poisson P(X ≥ ${recent}) = ${pValue.toExponential(2)}, threshold ${p.tempoPValue}).`,
          {
            recent_attacks: recent,
            expected: round(expected, 3),
            baseline_attacks: baseCount,
            baseline_days: Math.round(spanDays),
            p_value: Number(pValue.toPrecision(3)),
          },
          ALERT_EVIDENCE_FIELDS.tempo_rise,
        );
      }
      t.tempoHigh = tempoHigh;
      const lethalHigh =
        recentKilled >= p.lethalityMinKilled && recentKilled >= p.lethalityFactor * expectedKilled;
      if (lethalHigh && !t.lethalHigh && !quiet) {
        const ratio = expectedKilled > 0 ? recentKilled / expectedKilled : Number.POSITIVE_INFINITY;
        make(
          'lethality_rise',
          ratio >= 2 * p.lethalityFactor ? 'high' : 'medium',
          `Sharp rise in the lethality of ${g.group}'s attacks`,
          `${recentKilled} killed in ${recent} attacks by ${g.group} in the ${p.recentDays} days to ${incident.date?.date}, against ${round(expectedKilled, 1)} expected per ${p.recentDays} days from ${baseKilled} killed in the ${Math.round(spanDays)} days before (${Number.isFinite(ratio) ? `${round(ratio, 1)}×` : 'no deaths before'}; thresholds ${p.lethalityFactor}× and ${p.lethalityMinKilled} killed).`,
          {
            recent_killed: recentKilled,
            recent_attacks: recent,
            expected_killed: round(expectedKilled, 1),
            baseline_killed: baseKilled,
            baseline_days: Math.round(spanDays),
          },
          ALERT_EVIDENCE_FIELDS.lethality_rise,
        );
      }
      t.lethalHigh = lethalHigh;
    }
    if (country !== null) {
      addPlace(t, country, knowledge);
      t.attacked.add(country);
    }
  }
  const named = attributed[0]?.groupId ?? null;
  if (!quiet && killed >= p.massCasualtyKilled && (only === undefined || only === named)) {
    const g = attributed[0] ?? null;
    const by = g ? ` by ${g.group} (${g.attribution})` : ' (no group attributed)';
    out.push(
      alert(
        incident,
        g?.groupId ?? null,
        g?.group ?? null,
        'mass_casualty',
        killed >= 10 * p.massCasualtyKilled
          ? 'critical'
          : killed >= 5 * p.massCasualtyKilled
            ? 'high'
            : 'medium',
        `Mass-casualty attack${g ? ` by ${g.group}` : ''}: ${killed} killed`,
        `${killed} killed${by}, at or above the mass-casualty threshold of ${p.massCasualtyKilled}. ${place()}.`,
        { killed, threshold: p.massCasualtyKilled, wounded: countOf(incident.wounded) },
        ALERT_EVIDENCE_FIELDS.mass_casualty,
      ),
    );
  }
  return out;
}

function describePlace(incident: Incident, knowledge: Knowledge): string {
  const country = incident.country
    ? (knowledge.countries.get(incident.country)?.name ?? incident.country)
    : null;
  const where = [incident.city, country].filter((x) => x).join(', ') || 'place unknown';
  const killed = incident.killed ? `, ${countOf(incident.killed)} killed` : '';
  return `Incident ${incident.id} on ${incident.date?.date ?? 'an unknown date'} in ${where}${killed}`;
}

function listOrNone(items: readonly string[]): string {
  return items.length === 0 ? 'no country' : items.join(', ');
}

function lower(severity: AlertSeverity): AlertSeverity {
  return ALERT_SEVERITIES[Math.max(0, ALERT_SEVERITIES.indexOf(severity) - 1)] as AlertSeverity;
}

function alert(
  incident: Incident,
  group: string | null,
  groupName: string | null,
  kind: AlertKind,
  severity: AlertSeverity,
  title: string,
  explanation: string,
  numbers: Record<string, number | string>,
  fields: readonly IncidentEvidence['field'][],
): Alert {
  return {
    id: createHash('sha256')
      .update(`${kind}|${group ?? ''}|${incident.id}`)
      .digest('hex')
      .slice(0, 16),
    kind,
    severity,
    group,
    groupName,
    incident: incident.id,
    date: incident.date?.date ?? null,
    country: incident.country,
    title: flat(title),
    explanation: flat(explanation),
    numbers,
    evidence: evidenceFor(incident, fields),
    sources: incident.sources,
  };
}
