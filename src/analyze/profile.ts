import type { Attribution } from '../extract/index.js';
import type { Incident } from '../resolve/index.js';
import { attributedGroups, chronological, countOf, type Knowledge, round } from './common.js';

export interface Tally {
  readonly incidents: number;
  readonly killed: number;
  readonly wounded: number;
}

export interface GroupProfile {
  readonly group: string;
  readonly name: string;
  readonly homeCountries: readonly string[];
  readonly totals: Tally;
  /** Keyed by year ("2021"); undated incidents under "unknown". */
  readonly byYear: Readonly<Record<string, Tally>>;
  /** Keyed by ISO country code; incidents with no country under "unknown". */
  readonly byCountry: Readonly<Record<string, Tally>>;
  /** How many incidents had each attack, weapon and target type (an incident can have several). */
  readonly attackTypes: Readonly<Record<string, number>>;
  readonly weaponTypes: Readonly<Record<string, number>>;
  readonly targetTypes: Readonly<Record<string, number>>;
  readonly firstAttack: { readonly date: string; readonly incident: string } | null;
  readonly lastAttack: { readonly date: string; readonly incident: string } | null;
  /** Countries attacked, in order of the first attack there. */
  readonly countries: readonly string[];
  /** Countries attacked outside the home countries. */
  readonly countriesOutsideHome: readonly string[];
  readonly attributions: Readonly<Record<Attribution, number>>;
  /** Claimed or identified incidents over all attributed ones (denials not counted), 0..1. */
  readonly confirmedShare: number;
}

const emptyTally = (): { incidents: number; killed: number; wounded: number } => ({
  incidents: 0,
  killed: 0,
  wounded: 0,
});

/** The profile of one group over the incidents attributed to it (denials are not attributions). */
export function groupProfile(
  groupId: string,
  incidents: readonly Incident[],
  knowledge: Knowledge,
): GroupProfile {
  const own = incidents.filter((i) => attributedGroups(i).some((g) => g.groupId === groupId));
  const known = knowledge.groups.get(groupId);
  const name =
    known?.name ??
    own.flatMap((i) => i.perpetratorGroups).find((g) => g.groupId === groupId)?.group ??
    groupId;
  const home = known?.home_countries ?? [];
  const totals = emptyTally();
  const byYear = new Map<string, ReturnType<typeof emptyTally>>();
  const byCountry = new Map<string, ReturnType<typeof emptyTally>>();
  const attackTypes = new Map<string, number>();
  const weaponTypes = new Map<string, number>();
  const targetTypes = new Map<string, number>();
  const attributions: Record<Attribution, number> = { claimed: 0, identified: 0, suspected: 0, denied: 0 };
  const add = (map: Map<string, ReturnType<typeof emptyTally>>, key: string, i: Incident) => {
    let t = map.get(key);
    if (t === undefined) {
      t = emptyTally();
      map.set(key, t);
    }
    t.incidents += 1;
    t.killed += countOf(i.killed);
    t.wounded += countOf(i.wounded);
  };
  const bump = (map: Map<string, number>, keys: readonly string[]) => {
    for (const k of new Set(keys)) map.set(k, (map.get(k) ?? 0) + 1);
  };
  const ordered = [...chronological(own), ...own.filter((i) => i.date === null)];
  const countries: string[] = [];
  for (const i of ordered) {
    totals.incidents += 1;
    totals.killed += countOf(i.killed);
    totals.wounded += countOf(i.wounded);
    add(byYear, i.date?.date.slice(0, 4) ?? 'unknown', i);
    add(byCountry, i.country ?? 'unknown', i);
    if (i.country !== null && !countries.includes(i.country)) countries.push(i.country);
    bump(attackTypes, i.attackTypes);
    bump(weaponTypes, i.weaponTypes);
    bump(targetTypes, i.targetTypes);
    const g = i.perpetratorGroups.find((p) => p.groupId === groupId);
    if (g) attributions[g.attribution] += 1;
  }
  const dated = chronological(own);
  const first = dated[0];
  const last = dated[dated.length - 1];
  const attributed = attributions.claimed + attributions.identified + attributions.suspected;
  const confirmed = (['claimed', 'identified'] as const).reduce((n, a) => n + attributions[a], 0);
  return {
    group: groupId,
    name,
    homeCountries: home,
    totals,
    byYear: sortedRecord(byYear),
    byCountry: sortedRecord(byCountry),
    attackTypes: sortedRecord(attackTypes),
    weaponTypes: sortedRecord(weaponTypes),
    targetTypes: sortedRecord(targetTypes),
    firstAttack: first?.date ? { date: first.date.date, incident: first.id } : null,
    lastAttack: last?.date ? { date: last.date.date, incident: last.id } : null,
    countries,
    countriesOutsideHome: countries.filter((c) => !home.includes(c)),
    attributions,
    confirmedShare: attributed === 0 ? 0 : round(confirmed / attributed, 3),
  };
}

function sortedRecord<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
