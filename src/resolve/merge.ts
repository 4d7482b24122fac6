import { ATTRIBUTIONS, type Count } from '../extract/index.js';
import type { ReportCluster } from './cluster.js';
import type { Incident, IncidentGroup } from './incident.js';
import type { Report } from './match.js';

const LIMITS = { attackTypes: 3, weaponTypes: 4, targetTypes: 3 } as const;
const PRECISION_RANK = { day: 2, month: 1, year: 0 } as const;

/** Values by how many reports give them, then by the earliest report giving them. */
function byVotes<T>(values: readonly (readonly T[])[], limit = Number.POSITIVE_INFINITY): T[] {
  const votes = new Map<string, { value: T; n: number; first: number }>();
  values.forEach((list, i) => {
    for (const value of list) {
      const key = JSON.stringify(value);
      const seen = votes.get(key);
      if (seen) seen.n++;
      else votes.set(key, { value, n: 1, first: i });
    }
  });
  return [...votes.values()]
    .sort((a, b) => b.n - a.n || a.first - b.first)
    .slice(0, limit)
    .map((v) => v.value);
}

/** The figure of the latest report that gives one (tolls rise as bodies are counted), with a range
 * covering every report's. */
function latestCount(reports: readonly Report[], pick: (i: Incident) => Count | null): Count | null {
  const given = reports.flatMap((r) => {
    const c = pick(r.incident);
    return c ? [c] : [];
  });
  const latest = given.at(-1);
  if (!latest) return null;
  const min = Math.min(...given.map((c) => c.min));
  const maxes = given.map((c) => c.max);
  const max = maxes.some((m) => m === null) ? null : Math.max(...(maxes as number[]));
  return given.length === 1 ? latest : { ...latest, min: Math.min(min, latest.min), max };
}

function mergedGroups(reports: readonly Report[]): IncidentGroup[] {
  const byId = new Map<string, IncidentGroup>();
  for (const r of reports) {
    for (const g of r.incident.perpetratorGroups) {
      const seen = byId.get(g.groupId);
      if (!seen) byId.set(g.groupId, g);
      else
        byId.set(g.groupId, {
          ...seen,
          aliasesSeen: [...new Set([...seen.aliasesSeen, ...g.aliasesSeen])],
          attribution:
            ATTRIBUTIONS.indexOf(g.attribution) < ATTRIBUTIONS.indexOf(seen.attribution)
              ? g.attribution
              : seen.attribution,
        });
    }
  }
  return [...byId.values()];
}

const unique = (lists: readonly (readonly string[])[]) => [...new Set(lists.flat())];

/**
 * One incident from the reports of a cluster (in canonical order): its id is the first report's;
 * the date is the most precise one most reports give (a stated date before a publication day); the place the most specific most reports
 * give; types by votes; groups with the strongest attribution any report makes; each toll follows
 * the latest report that gives one, its range covering them all; every source and all evidence.
 */
export function mergeReports(cluster: ReportCluster): Incident {
  const reports = cluster.members.map((m) => m.report);
  const [first] = reports;
  if (!first) throw new Error('an incident needs at least one report');
  if (reports.length === 1) return first.incident;
  const incidents = reports.map((r) => r.incident);
  // A date the text states beats the publication day that stands in for none (`approximate`).
  const given = incidents.flatMap((i) => (i.date ? [i.date] : []));
  const stated = given.filter((d) => !d.approximate);
  const dates = stated.length > 0 ? stated : given;
  const best = Math.max(...dates.map((d) => PRECISION_RANK[d.precision]));
  const [date] = byVotes(dates.filter((d) => PRECISION_RANK[d.precision] === best).map((d) => [d]));
  const placed = incidents.filter((i) => i.city !== null);
  const [city] = byVotes(placed.map((i) => [i.city as string]));
  const place =
    placed.find((i) => i.city === city) ?? incidents.find((i) => i.country !== null) ?? first.incident;
  return {
    ...first.incident,
    date: date ?? null,
    country: place.country,
    city: place.city,
    lat: place.lat,
    lon: place.lon,
    placePrecision: place.placePrecision,
    attackTypes: byVotes(
      incidents.map((i) => i.attackTypes),
      LIMITS.attackTypes,
    ),
    weaponTypes: byVotes(
      incidents.map((i) => i.weaponTypes),
      LIMITS.weaponTypes,
    ),
    targetTypes: byVotes(
      incidents.map((i) => i.targetTypes),
      LIMITS.targetTypes,
    ),
    targetText: unique(incidents.map((i) => i.targetText)),
    physicalTargetText: unique(incidents.map((i) => i.physicalTargetText)),
    perpetratorGroups: mergedGroups(reports),
    perpetratorsMin: Math.max(...incidents.map((i) => i.perpetratorsMin ?? 0)) || null,
    perpetratorsMax: Math.max(...incidents.map((i) => i.perpetratorsMax ?? 0)) || null,
    perpetratorNationalities: unique(incidents.map((i) => i.perpetratorNationalities)),
    perpetratorText: unique(incidents.map((i) => i.perpetratorText)),
    victimText: unique(incidents.map((i) => i.victimText)),
    weaponText: unique(incidents.map((i) => i.weaponText)),
    killed: latestCount(reports, (i) => i.killed),
    wounded: latestCount(reports, (i) => i.wounded),
    kidnapped: latestCount(reports, (i) => i.kidnapped),
    perpetratorsKilled: latestCount(reports, (i) => i.perpetratorsKilled),
    suicide: incidents.some((i) => i.suicide),
    outcome: incidents.some((i) => i.outcome === 'carried_out') ? 'carried_out' : first.incident.outcome,
    sources: unique(incidents.map((i) => i.sources)),
    evidence: incidents.flatMap((i) => i.evidence),
  };
}
